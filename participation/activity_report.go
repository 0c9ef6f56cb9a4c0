package participation

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/osallisuus/osallisuus"
)

// DefaultSuppression is the small-number threshold k of the reports when the host sets
// none (A10).
const DefaultSuppression = 5

// Count is a number of distinct people in a report after small-number suppression (A10):
// a count n with 1 ≤ n < k is hidden and shown as "<k"; 0 and counts of at least k are
// shown. A hidden count keeps no trace of its value. Its JSON form is the number or the
// string "<k".
type Count struct {
	n     int
	below int // k when hidden
}

// SuppressCount returns n as a report shows it under threshold k (k < 1 counts as 1).
func SuppressCount(n, k int) Count {
	k = max(k, 1)
	if n >= 1 && n < k {
		return Count{below: k}
	}
	return Count{n: n}
}

// Value returns the count and true when it is shown, or 0 and false when it is hidden.
func (c Count) Value() (int, bool) { return c.n, c.below == 0 }

// String returns the count in decimal, or "<k" when hidden.
func (c Count) String() string {
	if c.below > 0 {
		return "<" + strconv.Itoa(c.below)
	}
	return strconv.Itoa(c.n)
}

// MarshalJSON returns the number, or the string "<k" when hidden.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.below > 0 {
		return strconv.AppendQuote(nil, c.String()), nil
	}
	return strconv.AppendInt(nil, int64(c.n), 10), nil
}

// Share is a percentage of projects, 100 × part / whole rounded half up to one decimal,
// or undefined for a group without projects (JSON null). Shares are about projects, not
// people, and are never suppressed.
type Share struct {
	tenths  int64
	defined bool
}

// ShareOf returns 100 × part / whole rounded half up to one decimal; whole 0 gives an
// undefined share.
func ShareOf(part, whole int) Share {
	if whole <= 0 {
		return Share{}
	}
	p, w := int64(part), int64(whole)
	return Share{tenths: (2000*p + w) / (2 * w), defined: true}
}

// Percent returns the share and whether it is defined.
func (s Share) Percent() (float64, bool) { return float64(s.tenths) / 10, s.defined }

// MarshalJSON returns the number (66.7, 50) or null.
func (s Share) MarshalJSON() ([]byte, error) {
	if !s.defined {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(s.tenths)/10, 'f', -1, 64), nil
}

// ProjectEarly is one project's row of the early-involvement report.
type ProjectEarly struct {
	Project      ProjectID      `json:"project"`
	Organisation OrganisationID `json:"organisation"`
	Early        bool           `json:"early"`
	// People counts the customer voices whose records made the project early.
	People Count `json:"people"`
}

// EarlyGroup is a group's row of the early-involvement report: an organisation (with its
// units at any depth), a sector, or the total.
type EarlyGroup struct {
	Organisation OrganisationID `json:"organisation,omitzero"`
	Sector       Sector         `json:"sector,omitzero"`
	Projects     int            `json:"projects"`
	Early        int            `json:"early"`
	Share        Share          `json:"share"`
	People       Count          `json:"people"`
}

// EarlyInvolvementReport shows how many projects involved customers early (A7), per
// project, organisation, sector and in total.
type EarlyInvolvementReport struct {
	// Projects in ID order.
	Projects []ProjectEarly `json:"projects"`
	// Organisations, every one in the tree, in ID order.
	Organisations []EarlyGroup `json:"organisations"`
	// Sectors: public, private, third, always all three in that order.
	Sectors []EarlyGroup `json:"sectors"`
	Total   EarlyGroup   `json:"total"`
}

// people maps participant IDs to dense indexes and counts distinct ones per group
// without maps: a stamp per person says which group last counted them.
type people struct {
	index map[osallisuus.ParticipantID]int32
	stamp []int32
	group int32
}

func (p *people) id(who osallisuus.ParticipantID) int32 {
	if i, ok := p.index[who]; ok {
		return i
	}
	i := int32(len(p.stamp))
	p.index[who] = i
	p.stamp = append(p.stamp, -1)
	return i
}

// newGroup starts counting a new group.
func (p *people) newGroup() { p.group++ }

// count adds the people in ids to the current group and returns how many were new to it.
func (p *people) count(ids []int32) int {
	n := 0
	for _, i := range ids {
		if p.stamp[i] != p.group {
			p.stamp[i] = p.group
			n++
		}
	}
	return n
}

// EarlyInvolvement computes the early-involvement report (A7, A10) from the
// organisations, the projects, the activities and their records (only attended records
// count; other statuses are ignored). A project is involved early when some attended
// record of a customer voice, in a planning activity of the project, has On ≤ the plan
// date. The project's organisation decides its groups; an organisation's row includes its
// units' projects; units count in their root's sector. People are distinct customer
// voices whose records made a project of the group early, shown under threshold k.
// Projects of organisations not in tree count only in the total. Pure.
func EarlyInvolvement(tree *OrganisationTree, projects []Project, activities []Activity, records []ParticipationRecord, k int) EarlyInvolvementReport {
	projIdx := make(map[ProjectID]int, len(projects))
	for i := range projects {
		projIdx[projects[i].ID] = i
	}
	// planning activities → their project's index
	actProj := make(map[ActivityID]int, len(activities))
	for i := range activities {
		a := &activities[i]
		if a.Phase != PhasePlanning || a.Project.IsZero() {
			continue
		}
		if pi, ok := projIdx[a.Project]; ok {
			actProj[a.ID] = pi
		}
	}
	ppl := &people{index: make(map[osallisuus.ParticipantID]int32)}
	voices := make([][]int32, len(projects))
	for i := range records {
		r := &records[i]
		if r.Status != StatusAttended || !r.Role.CustomerVoice() {
			continue
		}
		pi, ok := actProj[r.Activity]
		if !ok || r.On.After(projects[pi].PlanDate) {
			continue
		}
		voices[pi] = append(voices[pi], ppl.id(r.Who))
	}
	var rep EarlyInvolvementReport
	rep.Projects = make([]ProjectEarly, len(projects))
	orgRows := make(map[OrganisationID]*EarlyGroup)
	var orgIDs []OrganisationID
	if tree != nil {
		for id := range tree.byID {
			orgIDs = append(orgIDs, id)
		}
	}
	slices.SortFunc(orgIDs, func(a, b OrganisationID) int { return cmp.Compare(a.String(), b.String()) })
	rep.Organisations = make([]EarlyGroup, len(orgIDs))
	for i, id := range orgIDs {
		rep.Organisations[i].Organisation = id
		orgRows[id] = &rep.Organisations[i]
	}
	sectors := Sectors()
	rep.Sectors = make([]EarlyGroup, len(sectors))
	for i, s := range sectors {
		rep.Sectors[i].Sector = s
	}
	sectorRow := func(s Sector) *EarlyGroup {
		for i := range rep.Sectors {
			if rep.Sectors[i].Sector == s {
				return &rep.Sectors[i]
			}
		}
		return nil
	}
	// members of each group: project indexes
	orgProjects := make(map[OrganisationID][]int)
	sectorProjects := make([][]int, len(sectors))
	for i := range projects {
		p := &projects[i]
		early := len(voices[i]) > 0
		ppl.newGroup()
		rep.Projects[i] = ProjectEarly{Project: p.ID, Organisation: p.Organisation, Early: early,
			People: SuppressCount(ppl.count(voices[i]), k)}
		add := func(g *EarlyGroup) {
			g.Projects++
			if early {
				g.Early++
			}
		}
		add(&rep.Total)
		if tree == nil {
			continue
		}
		for _, o := range tree.Chain(p.Organisation) {
			add(orgRows[o])
			orgProjects[o] = append(orgProjects[o], i)
		}
		if g := sectorRow(tree.Sector(p.Organisation)); g != nil {
			add(g)
			si := slices.Index(sectors[:], g.Sector)
			sectorProjects[si] = append(sectorProjects[si], i)
		}
	}
	groupPeople := func(g *EarlyGroup, members []int) {
		ppl.newGroup()
		n := 0
		for _, pi := range members {
			n += ppl.count(voices[pi])
		}
		g.People = SuppressCount(n, k)
		g.Share = ShareOf(g.Early, g.Projects)
	}
	for i := range rep.Organisations {
		groupPeople(&rep.Organisations[i], orgProjects[rep.Organisations[i].Organisation])
	}
	for i := range rep.Sectors {
		groupPeople(&rep.Sectors[i], sectorProjects[i])
	}
	all := make([]int, len(projects))
	for i := range all {
		all[i] = i
	}
	groupPeople(&rep.Total, all)
	slices.SortFunc(rep.Projects, func(a, b ProjectEarly) int { return cmp.Compare(a.Project.String(), b.Project.String()) })
	return rep
}

// PhaseCoverage is one phase's row of a project's coverage report (A8).
type PhaseCoverage struct {
	Phase Phase `json:"phase"`
	// Covered: the phase had participants (attended records of any role but official).
	Covered bool `json:"covered"`
	// Level is the highest declared level over the phase's activities that had
	// participants; empty (JSON null) when not covered.
	Level Level `json:"level"`
	// Activities counts the project's activities in the phase.
	Activities int `json:"activities"`
	// People counts the phase's distinct participants.
	People Count `json:"people"`
}

// MarshalJSON writes Level as null when the phase is not covered.
func (p PhaseCoverage) MarshalJSON() ([]byte, error) {
	b := []byte(`{"phase":`)
	b = strconv.AppendQuote(b, string(p.Phase))
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, p.Covered)
	b = append(b, `,"level":`...)
	if p.Level == LevelUnspecified {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendQuote(b, string(p.Level))
	}
	b = append(b, `,"activities":`...)
	b = strconv.AppendInt(b, int64(p.Activities), 10)
	b = append(b, `,"people":`...)
	c, _ := p.People.MarshalJSON()
	b = append(b, c...)
	return append(b, '}'), nil
}

// CoverageReport shows a project's participation per phase (A8).
type CoverageReport struct {
	Project ProjectID `json:"project"`
	// Phases in the order planning, production, development, evaluation.
	Phases [4]PhaseCoverage `json:"phases"`
	// People counts the project's distinct participants over all phases.
	People Count `json:"people"`
}

// Coverage computes the coverage report (A8, A10) of each of projects, in the given
// order, from the activities and their records (only attended records count). Officials
// neither cover a phase nor raise its level: an activity attended only by officials adds
// to the phase's activity count and nothing else. Pure.
func Coverage(projects []Project, activities []Activity, records []ParticipationRecord, k int) []CoverageReport {
	projIdx := make(map[ProjectID]int, len(projects))
	out := make([]CoverageReport, len(projects))
	for i := range projects {
		projIdx[projects[i].ID] = i
		out[i].Project = projects[i].ID
		for j, ph := range Phases() {
			out[i].Phases[j].Phase = ph
		}
	}
	type actInfo struct {
		proj, phase int
		level       Level
		seen        bool
	}
	acts := make(map[ActivityID]*actInfo, len(activities))
	for i := range activities {
		a := &activities[i]
		pi, ok := projIdx[a.Project]
		if !ok || a.Project.IsZero() || !a.Phase.Valid() {
			continue
		}
		acts[a.ID] = &actInfo{proj: pi, phase: a.Phase.index(), level: a.Level}
		out[pi].Phases[a.Phase.index()].Activities++
	}
	ppl := &people{index: make(map[osallisuus.ParticipantID]int32)}
	who := make([][4][]int32, len(projects))
	for i := range records {
		r := &records[i]
		if r.Status != StatusAttended || r.Role == RoleOfficial {
			continue
		}
		a, ok := acts[r.Activity]
		if !ok {
			continue
		}
		who[a.proj][a.phase] = append(who[a.proj][a.phase], ppl.id(r.Who))
		if !a.seen {
			a.seen = true
			ph := &out[a.proj].Phases[a.phase]
			ph.Covered = true
			if a.level.Rank() > ph.Level.Rank() {
				ph.Level = a.level
			}
		}
	}
	for i := range out {
		for j := range out[i].Phases {
			ppl.newGroup()
			out[i].Phases[j].People = SuppressCount(ppl.count(who[i][j]), k)
		}
		ppl.newGroup()
		total := 0
		for j := range who[i] {
			total += ppl.count(who[i][j])
		}
		out[i].People = SuppressCount(total, k)
	}
	return out
}

// OverdueActivity is a row of the no-outcome report (A9).
type OverdueActivity struct {
	Activity ActivityID `json:"activity"`
	// Due is End + days: the last day the outcome was still on time.
	Due osallisuus.Date `json:"due"`
	// OverdueDays is today − Due, at least 1.
	OverdueDays int `json:"overdueDays"`
}

// DefaultOutcomeDays is the number of days after an activity's last day within which an
// outcome is expected, when the host sets none (A9).
const DefaultOutcomeDays = 30

// NoOutcome lists, in ID order, the activities that had participants (attended records
// of any role but official) and have no outcome recorded once days calendar days have
// passed after their last day: listed when today > End + days (A9). days must not be
// negative (ErrInvalid naming "days"). Pure.
func NoOutcome(activities []Activity, records []ParticipationRecord, outcomes []Outcome, days int, now time.Time) ([]OverdueActivity, error) {
	if days < 0 {
		return nil, osallisuus.Invalid("days", osallisuus.CodeOutOfRange)
	}
	today := osallisuus.DateOf(now)
	participated := make(map[ActivityID]bool, len(activities))
	for i := range records {
		if records[i].Status == StatusAttended && records[i].Role != RoleOfficial {
			participated[records[i].Activity] = true
		}
	}
	answered := make(map[ActivityID]bool, len(outcomes))
	for i := range outcomes {
		answered[outcomes[i].Activity] = true
	}
	out := []OverdueActivity{}
	for i := range activities {
		a := &activities[i]
		if !participated[a.ID] || answered[a.ID] {
			continue
		}
		// Compare elapsed days with days rather than adding days to End, which a huge
		// days would overflow.
		if elapsed := daysBetween(a.End, today); elapsed > days {
			out = append(out, OverdueActivity{Activity: a.ID, Due: a.End.AddDays(days), OverdueDays: elapsed - days})
		}
	}
	slices.SortFunc(out, func(a, b OverdueActivity) int { return cmp.Compare(a.Activity.String(), b.Activity.String()) })
	return out, nil
}

// daysBetween returns b − a in days.
func daysBetween(a, b osallisuus.Date) int {
	// Seconds, not a time.Duration, which would overflow after 292 years; a DST day is
	// an hour short or long, which the half day absorbs.
	diff := b.Start().Unix() - a.Start().Unix()
	if diff >= 0 {
		return int((diff + 43200) / 86400)
	}
	return -int((-diff + 43200) / 86400)
}
