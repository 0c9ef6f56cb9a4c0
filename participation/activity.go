package participation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
)

// OrganisationID identifies an [Organisation]; the zero value means "not set".
type OrganisationID struct{ uuid.UUID }

// ProjectID identifies a [Project]; the zero value means "not set".
type ProjectID struct{ uuid.UUID }

// ActivityID identifies an [Activity]; the zero value means "not set".
type ActivityID struct{ uuid.UUID }

// RecordID identifies a [ParticipationRecord]; the zero value means "not set".
type RecordID struct{ uuid.UUID }

// OutcomeID identifies an [Outcome]; the zero value means "not set".
type OutcomeID struct{ uuid.UUID }

// IsZero reports whether id is unset.
func (id OrganisationID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id ProjectID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id ActivityID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id RecordID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id OutcomeID) IsZero() bool { return id.UUID == uuid.Nil }

// NewOrganisationID returns a new time-ordered (version 7) organisation ID.
func NewOrganisationID() (OrganisationID, error) {
	u, err := osallisuus.NewUUID()
	return OrganisationID{u}, err
}

// NewProjectID returns a new time-ordered project ID.
func NewProjectID() (ProjectID, error) {
	u, err := osallisuus.NewUUID()
	return ProjectID{u}, err
}

// NewActivityID returns a new time-ordered activity ID.
func NewActivityID() (ActivityID, error) {
	u, err := osallisuus.NewUUID()
	return ActivityID{u}, err
}

// NewRecordID returns a new time-ordered participation record ID.
func NewRecordID() (RecordID, error) {
	u, err := osallisuus.NewUUID()
	return RecordID{u}, err
}

// NewOutcomeID returns a new time-ordered outcome ID.
func NewOutcomeID() (OutcomeID, error) {
	u, err := osallisuus.NewUUID()
	return OutcomeID{u}, err
}

// Sector is the sector of an organisation (sektori): public, private or third.
type Sector string

// The sectors (spec/activities.md, Concepts).
const (
	// SectorUnspecified on a unit means "its root organisation's sector".
	SectorUnspecified Sector = ""
	SectorPublic      Sector = "public"  // julkinen sektori
	SectorPrivate     Sector = "private" // yksityinen sektori
	SectorThird       Sector = "third"   // kolmas sektori: associations, foundations
)

// Sectors returns the sectors in report order: public, private, third.
func Sectors() [3]Sector { return [3]Sector{SectorPublic, SectorPrivate, SectorThird} }

// Valid reports whether s is public, private or third.
func (s Sector) Valid() bool { return s == SectorPublic || s == SectorPrivate || s == SectorThird }

// Organisation is a provider or one of its units (organisaatio, yksikkö). A root
// organisation (no Parent) has a Sector; a unit's Sector is empty or its root's, and
// reports place it in its root's sector.
type Organisation struct {
	ID     OrganisationID  `json:"id"`
	Name   osallisuus.Text `json:"name,omitzero"`
	Sector Sector          `json:"sector,omitzero"`
	// Parent is the organisation this unit belongs to; zero for a root organisation.
	// A parent chain never loops.
	Parent    OrganisationID `json:"parent,omitzero"`
	CreatedAt time.Time      `json:"createdAt,omitzero"`
	// Version counts saves: 1 after creation, +1 on every update.
	Version int64 `json:"version"`
}

// Project is a development project (kehittämishanke): a named piece of development work
// of one organisation, with the date its plan was first written down (PlanDate), which
// the early-involvement report (A7) compares participation with.
type Project struct {
	ID           ProjectID       `json:"id"`
	Name         osallisuus.Text `json:"name,omitzero"`
	Organisation OrganisationID  `json:"organisation"`
	PlanDate     osallisuus.Date `json:"planDate"`
	CreatedAt    time.Time       `json:"createdAt,omitzero"`
	Version      int64           `json:"version"`
}

// Validate checks the project's own fields (the organisation's existence is the
// service's check); the error is a *osallisuus.ValidationError naming them.
func (p Project) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate project"}
	if p.Organisation.IsZero() {
		ve.Add("organisation", osallisuus.CodeRequired)
	}
	switch {
	case p.PlanDate.IsZero():
		ve.Add("planDate", osallisuus.CodeRequired)
	case !p.PlanDate.Valid():
		ve.Add("planDate", osallisuus.CodeFormat)
	}
	return ve.Err()
}

// ActivityKind is the kind of an activity (osallistumistapa).
type ActivityKind string

// The activity kinds (spec/activities.md, Concepts).
const (
	ActivityKindUnspecified ActivityKind = ""
	ActivityWorkshop        ActivityKind = "workshop"        // työpaja
	ActivityPilot           ActivityKind = "pilot"           // käyttöönoton testaus
	ActivitySurvey          ActivityKind = "survey"          // kysely
	ActivityEvaluation      ActivityKind = "evaluation"      // arviointi
	ActivityInterview       ActivityKind = "interview"       // haastattelu
	ActivityCouncilHearing  ActivityKind = "council-hearing" // vanhus-, vammais- tai nuorisoneuvoston kuuleminen
	ActivityCoDesign        ActivityKind = "co-design"       // yhteiskehittäminen
	ActivityPeerGroup       ActivityKind = "peer-group"      // vertaisryhmä
	ActivityMeetingPlace    ActivityKind = "meeting-place"   // kohtaamispaikka
	ActivityOther           ActivityKind = "other"           // muu; needs a Label
)

// Valid reports whether k is one of the defined kinds.
func (k ActivityKind) Valid() bool {
	switch k {
	case ActivityWorkshop, ActivityPilot, ActivitySurvey, ActivityEvaluation, ActivityInterview, ActivityCouncilHearing,
		ActivityCoDesign, ActivityPeerGroup, ActivityMeetingPlace, ActivityOther:
		return true
	}
	return false
}

// Phase is the phase of service work an activity takes part in (vaihe).
type Phase string

// The phases, in report order.
const (
	PhaseUnspecified Phase = ""
	PhasePlanning    Phase = "planning"    // suunnittelu
	PhaseProduction  Phase = "production"  // tuottaminen
	PhaseDevelopment Phase = "development" // kehittäminen
	PhaseEvaluation  Phase = "evaluation"  // arviointi
)

// Phases returns the phases in report order: planning, production, development,
// evaluation.
func Phases() [4]Phase {
	return [4]Phase{PhasePlanning, PhaseProduction, PhaseDevelopment, PhaseEvaluation}
}

// Valid reports whether p is one of the four phases.
func (p Phase) Valid() bool { return p.index() >= 0 }

func (p Phase) index() int {
	switch p {
	case PhasePlanning:
		return 0
	case PhaseProduction:
		return 1
	case PhaseDevelopment:
		return 2
	case PhaseEvaluation:
		return 3
	}
	return -1
}

// Level is how much say participants had in an activity (osallisuuden taso), as the
// organiser declares it, on an ordered scale adapted from the public participation
// spectrum: inform < consult < involve < collaborate < co-decide. The library stores and
// reports it; it does not judge it.
type Level string

// The levels, lowest first.
const (
	LevelUnspecified Level = ""
	LevelInform      Level = "inform"      // tiedottaminen
	LevelConsult     Level = "consult"     // kuuleminen
	LevelInvolve     Level = "involve"     // osallistaminen
	LevelCollaborate Level = "collaborate" // yhteistyö
	LevelCoDecide    Level = "co-decide"   // yhteinen päätöksenteko
)

// Rank returns the level's place on the scale, 1 (inform) to 5 (co-decide), or 0 for a
// level that is not defined.
func (l Level) Rank() int {
	switch l {
	case LevelInform:
		return 1
	case LevelConsult:
		return 2
	case LevelInvolve:
		return 3
	case LevelCollaborate:
		return 4
	case LevelCoDecide:
		return 5
	}
	return 0
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l.Rank() > 0 }

// Language is a language an activity is offered in.
type Language string

// The languages an activity may offer.
const (
	LanguageFinnish  Language = "fi"
	LanguageSwedish  Language = "sv"
	LanguageEnglish  Language = "en"
	LanguageEasy     Language = "selko" // easy Finnish (selkosuomi)
	LanguageSignLang Language = "sign"  // sign language (viittomakieli)
)

// Valid reports whether l is fi, sv, en, selko or sign.
func (l Language) Valid() bool {
	switch l {
	case LanguageFinnish, LanguageSwedish, LanguageEnglish, LanguageEasy, LanguageSignLang:
		return true
	}
	return false
}

// WaitlistPolicy says whether an activity's first-come waitlist (jonotuslista) is used.
// The zero value is a waitlist without a maximum length.
type WaitlistPolicy struct {
	// Disabled switches the waitlist off: a registration for a full activity fails with
	// ErrCapacity.
	Disabled bool `json:"disabled,omitzero"`
	// MaxLength caps the queue; 0 means no cap.
	MaxLength int `json:"maxLength,omitzero"`
}

// Activity is one event or stream of work (tilaisuus, osallistumistapa) run by one
// organisation, optionally inside one project of any organisation (spec/activities.md
// A1). It runs from Start to End, both inclusive Helsinki dates; it has *ended* at t when
// the Helsinki date of t is after End.
type Activity struct {
	ID ActivityID `json:"id"`
	// Key is the host's short name of the activity, used in consent scopes
	// ("activity:"+Key, see [Activity.Scope]); empty means the ID. It matches
	// [A-Za-z0-9._-]+. Hosts keep keys unique; the store does not check.
	Key          string          `json:"key,omitzero"`
	Name         osallisuus.Text `json:"name,omitzero"`
	Organisation OrganisationID  `json:"organisation"`
	// Project is optional and may belong to another organisation (a third-sector
	// partner may run a workshop in a county project). It does not change after creation.
	Project ProjectID    `json:"project,omitzero"`
	Kind    ActivityKind `json:"kind"`
	// Label names the kind of an "other" activity; it must not be blank then.
	Label string          `json:"label,omitzero"`
	Phase Phase           `json:"phase"`
	Level Level           `json:"level"`
	Start osallisuus.Date `json:"start"`
	// End is the last day; the service sets a zero End to Start (a one-day activity).
	End osallisuus.Date `json:"end"`
	// Languages offered: at least one, no repeats.
	Languages     []Language `json:"languages"`
	Accessibility string     `json:"accessibility,omitzero"`
	// Capacity is the number of places; 0 means unlimited.
	Capacity  int            `json:"capacity,omitzero"`
	Waitlist  WaitlistPolicy `json:"waitlist,omitzero"`
	CreatedAt time.Time      `json:"createdAt,omitzero"`
	Version   int64          `json:"version"`
}

// Scope returns the consent scope of the activity: "activity:" + Key, or the ID when
// Key is empty. Invitations and records ask consent in this scope (A2, A3), so a global
// grant answers and another activity's scoped grant does not.
func (a *Activity) Scope() string {
	if a.Key != "" {
		return "activity:" + a.Key
	}
	return "activity:" + a.ID.String()
}

// Ended reports whether the activity has ended at t: the Helsinki date of t is after End.
func (a *Activity) Ended(t time.Time) bool { return osallisuus.DateOf(t).After(a.End) }

// Clone returns a deep copy of a.
func (a Activity) Clone() Activity {
	a.Languages = slices.Clone(a.Languages)
	return a
}

// Validate checks the A1 values of the activity: organisation, kind (and the label of
// "other"), phase, level, dates (start ≤ end), languages (at least one, known, no
// repeats), capacity and waitlist length (not negative) and the key's form. The error is
// a *osallisuus.ValidationError naming every bad field. A zero End counts as Start.
func (a Activity) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate activity"}
	if a.Key != "" && !ValidScope("activity:"+a.Key) {
		ve.Add("key", osallisuus.CodeFormat)
	}
	if a.Organisation.IsZero() {
		ve.Add("organisation", osallisuus.CodeRequired)
	}
	if !a.Kind.Valid() {
		ve.Add("kind", unknownOrRequired(string(a.Kind)))
	}
	if a.Kind == ActivityOther && strings.TrimSpace(a.Label) == "" {
		ve.Add("label", osallisuus.CodeRequired)
	}
	if !a.Phase.Valid() {
		ve.Add("phase", unknownOrRequired(string(a.Phase)))
	}
	if !a.Level.Valid() {
		ve.Add("level", unknownOrRequired(string(a.Level)))
	}
	startOK := false
	switch {
	case a.Start.IsZero():
		ve.Add("start", osallisuus.CodeRequired)
	case !a.Start.Valid():
		ve.Add("start", osallisuus.CodeFormat)
	default:
		startOK = true
	}
	switch {
	case a.End.IsZero():
	case !a.End.Valid():
		ve.Add("end", osallisuus.CodeFormat)
	case startOK && a.End.Before(a.Start):
		ve.Add("end", osallisuus.CodeOrder)
	}
	if len(a.Languages) == 0 {
		ve.Add("languages", osallisuus.CodeRequired)
	}
	for i, l := range a.Languages {
		switch {
		case !l.Valid():
			ve.Add(fmt.Sprintf("languages[%d]", i), osallisuus.CodeUnknown)
		case slices.Contains(a.Languages[:i], l):
			ve.Add(fmt.Sprintf("languages[%d]", i), osallisuus.CodeDuplicate)
		}
	}
	if a.Capacity < 0 {
		ve.Add("capacity", osallisuus.CodeOutOfRange)
	}
	if a.Waitlist.MaxLength < 0 {
		ve.Add("waitlist.maxLength", osallisuus.CodeOutOfRange)
	}
	return ve.Err()
}

// Validate checks the organisation's own fields: a root organisation (no Parent) needs a
// valid Sector; a unit's Sector is empty or valid (that it equals its root's is the
// service's check, [OrganisationTree]). The error is a *osallisuus.ValidationError.
func (o Organisation) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate organisation"}
	switch {
	case o.Parent.IsZero() && !o.Sector.Valid():
		ve.Add("sector", unknownOrRequired(string(o.Sector)))
	case !o.Parent.IsZero() && o.Sector != SectorUnspecified && !o.Sector.Valid():
		ve.Add("sector", osallisuus.CodeUnknown)
	case !o.Parent.IsZero() && o.Parent == o.ID:
		ve.Add("parent", osallisuus.CodeNotAllowed)
	}
	return ve.Err()
}

// OrganisationTree answers questions about a set of organisations: each one's root, its
// sector (the root's) and its ancestors. Build it with [NewOrganisationTree]; it is
// read-only afterwards and safe for concurrent reads.
type OrganisationTree struct {
	byID map[OrganisationID]*Organisation
	// chain holds each organisation followed by its ancestors, nearest first.
	chain map[OrganisationID][]OrganisationID
}

// NewOrganisationTree indexes orgs. The error matches ErrInvalid when a parent is
// unknown, a parent chain loops, a root has no valid sector or a unit's sector differs
// from its root's; it names the field as "organisations[i].parent" or
// "organisations[i].sector", i being the index in orgs.
func NewOrganisationTree(orgs []Organisation) (*OrganisationTree, error) {
	t := &OrganisationTree{byID: make(map[OrganisationID]*Organisation, len(orgs)),
		chain: make(map[OrganisationID][]OrganisationID, len(orgs))}
	index := make(map[OrganisationID]int, len(orgs))
	for i := range orgs {
		t.byID[orgs[i].ID] = &orgs[i]
		index[orgs[i].ID] = i
	}
	ve := &osallisuus.ValidationError{Op: "organisations"}
	for i := range orgs {
		field := fmt.Sprintf("organisations[%d]", i)
		chain := []OrganisationID{orgs[i].ID}
		cur := &orgs[i]
		bad := false
		for !cur.Parent.IsZero() {
			p, ok := t.byID[cur.Parent]
			if !ok {
				if cur == &orgs[i] {
					ve.Add(field+".parent", osallisuus.CodeUnknown)
				}
				bad = true
				break
			}
			if slices.Contains(chain, p.ID) {
				ve.Add(field+".parent", osallisuus.CodeOrder) // a cycle of parents
				bad = true
				break
			}
			chain = append(chain, p.ID)
			cur = p
		}
		if bad {
			continue
		}
		t.chain[orgs[i].ID] = chain
		root := t.byID[chain[len(chain)-1]]
		switch {
		case len(chain) == 1 && !orgs[i].Sector.Valid():
			ve.Add(field+".sector", unknownOrRequired(string(orgs[i].Sector)))
		case len(chain) > 1 && orgs[i].Sector != SectorUnspecified && orgs[i].Sector != root.Sector:
			ve.Add(field+".sector", osallisuus.CodeNotAllowed)
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// Has reports whether id is in the tree.
func (t *OrganisationTree) Has(id OrganisationID) bool { _, ok := t.byID[id]; return ok }

// Sector returns the sector of id: its root organisation's (A7).
func (t *OrganisationTree) Sector(id OrganisationID) Sector {
	c := t.chain[id]
	if len(c) == 0 {
		return SectorUnspecified
	}
	return t.byID[c[len(c)-1]].Sector
}

// Chain returns id followed by its ancestors, nearest first: the organisations whose
// report rows include what belongs to id. The caller must not change the slice.
func (t *OrganisationTree) Chain(id OrganisationID) []OrganisationID { return t.chain[id] }
