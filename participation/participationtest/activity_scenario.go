package participationtest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// activityScenario is an activity scenario file (spec/activities.md, "Scenario files"):
// the consent sections, then settings, organisations, projects, activities and steps.
// Pointer fields tell an omitted or null value (the default) from an explicit one.
type activityScenario struct {
	ConsentSections
	Settings      *activitySettings      `json:"settings"`
	Organisations []scenarioOrganisation `json:"organisations"`
	Projects      []scenarioProject      `json:"projects"`
	Activities    []scenarioActivity     `json:"activities"`
	Steps         []activityStep         `json:"steps"`
}

// activitySettings are the host settings of an activity scenario; nil fields take the
// defaults "contact", "participation" and 5.
type activitySettings struct {
	InvitationPurpose    *string `json:"invitationPurpose"`
	ParticipationPurpose *string `json:"participationPurpose"`
	Suppression          *int    `json:"suppression"`
}

// scenarioOrganisation is an organisation of a scenario; a unit names its Parent.
type scenarioOrganisation struct {
	ID     string `json:"id"`
	Sector string `json:"sector"`
	Parent string `json:"parent"`
}

// scenarioProject is a development project of a scenario.
type scenarioProject struct {
	ID           string `json:"id"`
	Organisation string `json:"organisation"`
	PlanDate     string `json:"planDate"`
}

// scenarioActivity is an activity of a scenario, values as written: bad values are
// answered by its create step, not by rejecting the file.
type scenarioActivity struct {
	ID            string            `json:"id"`
	Organisation  string            `json:"organisation"`
	Project       string            `json:"project"`
	Kind          string            `json:"kind"`
	Label         string            `json:"label"`
	Phase         string            `json:"phase"`
	Level         string            `json:"level"`
	Start         string            `json:"start"`
	End           *string           `json:"end"`
	Languages     []string          `json:"languages"`
	Accessibility string            `json:"accessibility"`
	Capacity      int               `json:"capacity"`
	Waitlist      *scenarioWaitlist `json:"waitlist"`
}

// scenarioWaitlist is an activity's waitlist setting; Enabled nil means on.
type scenarioWaitlist struct {
	Enabled   *bool `json:"enabled"`
	MaxLength int   `json:"maxLength"`
}

// scenarioText is an outcome text: fi, sv and en only.
type scenarioText struct {
	FI string `json:"fi"`
	SV string `json:"sv"`
	EN string `json:"en"`
}

// activityStep is one step of an activity scenario: one service call at At. Only the
// fields its Op takes may be present.
type activityStep struct {
	At        string        `json:"at"`
	Op        string        `json:"op"`
	Activity  *string       `json:"activity"`
	Who       *string       `json:"who"`
	Role      *string       `json:"role"`
	Status    *string       `json:"status"`
	On        *string       `json:"on"`
	Text      *scenarioText `json:"text"`
	Proposals []string      `json:"proposals"`
	Themes    []string      `json:"themes"`
	Project   *string       `json:"project"`
	Days      *int          `json:"days"`
}

// stepFields returns the fields a step of op may have besides at and op, and false for
// an unknown op.
func stepFields(op string) ([]string, bool) {
	switch op {
	case "create", "roster", "waitlist":
		return []string{"activity"}, true
	case "invite", "cancel":
		return []string{"activity", "who"}, true
	case "register":
		return []string{"activity", "who", "role"}, true
	case "record-attendance":
		return []string{"activity", "who", "status", "on"}, true
	case "record-participation":
		return []string{"activity", "who", "role", "on"}, true
	case "record-outcome":
		return []string{"activity", "text", "on", "proposals", "themes"}, true
	case "early-involvement":
		return nil, true
	case "coverage":
		return []string{"project"}, true
	case "no-outcome":
		return []string{"days"}, true
	}
	return nil, false
}

// present returns the names of the optional fields the step has.
func (s *activityStep) present() []string {
	var out []string
	add := func(name string, ok bool) {
		if ok {
			out = append(out, name)
		}
	}
	add("activity", s.Activity != nil)
	add("who", s.Who != nil)
	add("role", s.Role != nil)
	add("status", s.Status != nil)
	add("on", s.On != nil)
	add("text", s.Text != nil)
	add("proposals", s.Proposals != nil)
	add("themes", s.Themes != nil)
	add("project", s.Project != nil)
	add("days", s.Days != nil)
	return out
}

func validID(s string) bool { return s != "" && participation.ValidScope("x:"+s) }

// decodeActivityScenario reads an activity scenario strictly ([DecodeStrict]) and checks
// everything that makes a file malformed (spec/activities.md, "Malformed files", with
// consent.md F2). The error matches osallisuus.ErrInvalid and names the fields.
func decodeActivityScenario(r io.Reader) (*activityScenario, error) {
	var sc activityScenario
	if err := DecodeStrict(r, &sc); err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return &sc, nil
}

// settings returns the settings after defaults.
func (sc *activityScenario) settings() (invitation, participationPurpose string, k int) {
	invitation, participationPurpose, k = "contact", "participation", participation.DefaultSuppression
	if s := sc.Settings; s != nil {
		if s.InvitationPurpose != nil {
			invitation = *s.InvitationPurpose
		}
		if s.ParticipationPurpose != nil {
			participationPurpose = *s.ParticipationPurpose
		}
		if s.Suppression != nil {
			k = *s.Suppression
		}
	}
	return invitation, participationPurpose, k
}

// Validate checks the malformed-file rules of an activity scenario. The error matches
// osallisuus.ErrInvalid and names every bad field.
func (sc *activityScenario) Validate() error {
	ve := &osallisuus.ValidationError{Op: "activity scenario"}
	if err := sc.ConsentSections.Validate(); err != nil {
		ve.Merge("", asValidation(err))
	}
	inv, part, k := sc.settings()
	if !sc.Policy.Has(inv) {
		ve.Add("settings.invitationPurpose", osallisuus.CodeUnknown)
	}
	if !sc.Policy.Has(part) {
		ve.Add("settings.participationPurpose", osallisuus.CodeUnknown)
	}
	if k < 1 {
		ve.Add("settings.suppression", osallisuus.CodeOutOfRange)
	}
	orgs := make(map[string]*scenarioOrganisation, len(sc.Organisations))
	checkID := func(field, id string, seen map[string]bool) {
		switch {
		case id == "":
			ve.Add(field, osallisuus.CodeRequired)
		case !validID(id):
			ve.Add(field, osallisuus.CodeFormat)
		case seen[id]:
			ve.Add(field, osallisuus.CodeDuplicate)
		}
		seen[id] = true
	}
	seen := map[string]bool{}
	for i := range sc.Organisations {
		o := &sc.Organisations[i]
		checkID(fmt.Sprintf("organisations[%d].id", i), o.ID, seen)
		if _, dup := orgs[o.ID]; !dup {
			orgs[o.ID] = o
		}
	}
	for i := range sc.Organisations {
		o := &sc.Organisations[i]
		f := fmt.Sprintf("organisations[%d]", i)
		if o.Parent == "" {
			if !participation.Sector(o.Sector).Valid() {
				ve.Add(f+".sector", unknownOrRequired(o.Sector))
			}
			continue
		}
		root, problem := rootOf(orgs, o)
		switch {
		case problem != "":
			ve.Add(f+".parent", osallisuus.Code(problem))
		case o.Sector != "" && o.Sector != root.Sector:
			ve.Add(f+".sector", osallisuus.CodeNotAllowed)
		}
	}
	seen = map[string]bool{}
	projects := map[string]bool{}
	for i, p := range sc.Projects {
		f := fmt.Sprintf("projects[%d]", i)
		checkID(f+".id", p.ID, seen)
		projects[p.ID] = true
		if orgs[p.Organisation] == nil {
			ve.Add(f+".organisation", unknownOrRequired(p.Organisation))
		}
		if _, err := osallisuus.ParseDate(p.PlanDate); err != nil {
			ve.Add(f+".planDate", formatOrRequired(p.PlanDate))
		}
	}
	seen = map[string]bool{}
	for i, a := range sc.Activities {
		f := fmt.Sprintf("activities[%d]", i)
		checkID(f+".id", a.ID, seen)
		if orgs[a.Organisation] == nil {
			ve.Add(f+".organisation", unknownOrRequired(a.Organisation))
		}
		if a.Project != "" && !projects[a.Project] {
			ve.Add(f+".project", osallisuus.CodeUnknown)
		}
	}
	var last *activityStep
	for i := range sc.Steps {
		s := &sc.Steps[i]
		f := fmt.Sprintf("steps[%d]", i)
		at, err := osallisuus.ParseInstant(s.At)
		if err != nil {
			ve.Add(f+".at", formatOrRequired(s.At))
		} else if last != nil {
			if prevAt, err := osallisuus.ParseInstant(last.At); err == nil && at.Before(prevAt) {
				ve.Add(f+".at", osallisuus.CodeOrder)
			}
		}
		if err == nil {
			last = s
		}
		allowed, ok := stepFields(s.Op)
		if !ok {
			ve.Add(f+".op", unknownOrRequired(s.Op))
			continue
		}
		for _, name := range s.present() {
			if !slices.Contains(allowed, name) {
				ve.Add(f+"."+name, osallisuus.CodeUnknownField)
			}
		}
	}
	return ve.Err()
}

// rootOf walks up o's parents: the root, or the problem code ("unknown" parent, "order"
// for a cycle).
func rootOf(orgs map[string]*scenarioOrganisation, o *scenarioOrganisation) (*scenarioOrganisation, string) {
	visited := map[string]bool{o.ID: true}
	cur := o
	for cur.Parent != "" {
		p := orgs[cur.Parent]
		if p == nil {
			return nil, string(osallisuus.CodeUnknown)
		}
		if visited[p.ID] {
			return nil, string(osallisuus.CodeOrder)
		}
		visited[p.ID] = true
		cur = p
	}
	return cur, ""
}

// EvalActivityScenario reads one activity scenario (spec/activities.md, "Scenario files
// and the activities eval command") from r, runs its steps through
// participation.ActivityService on a fresh memstore and writes one JSON line per step
// to w. A malformed file returns an error matching osallisuus.ErrInvalid that names the
// field, writing nothing.
func EvalActivityScenario(r io.Reader, w io.Writer) error {
	s := memstore.New()
	return evalActivityScenario(context.Background(), r, w, s, participation.StoresOf(s))
}

// RunActivityScenarios runs every NAME.json in dir as a subtest through
// participation.ActivityService on a store from newStore (the consent world on a
// memstore), and compares the output with NAME.want.jsonl as JSON values, line by line;
// a want file {"malformed":true} expects an ErrInvalid error and no output. It fails,
// never skips, when dir is missing or holds no scenario.
func RunActivityScenarios(t *testing.T, dir string, newStore func(*testing.T) participation.ActivityStore) {
	t.Helper()
	RunScenarioDir(t, dir, func(t *testing.T, r *os.File, w *bytes.Buffer) error {
		return evalActivityScenario(t.Context(), r, w, newStore(t), participation.StoresOf(memstore.New()))
	})
}

type activityRunner struct {
	ctx      context.Context
	sc       *activityScenario
	world    *World
	svc      *participation.ActivityService
	people   map[string]bool
	names    map[osallisuus.ParticipantID]string
	acts     map[string]participation.ActivityID
	actNames map[participation.ActivityID]string
	decl     map[string]*scenarioActivity
	orgs     map[string]participation.OrganisationID
	orgNames map[participation.OrganisationID]string
	projs    map[string]participation.ProjectID
	prjNames map[participation.ProjectID]string
}

func evalActivityScenario(ctx context.Context, r io.Reader, w io.Writer, store participation.ActivityStore, stores participation.Stores) error {
	sc, err := decodeActivityScenario(r)
	if err != nil {
		return err
	}
	world, err := sc.Setup(ctx, stores)
	if err != nil {
		return err
	}
	if _, err := world.RecordEvents(ctx, sc.Events); err != nil {
		return err
	}
	inv, part, k := sc.settings()
	svc, err := participation.NewActivityService(store, stores.Participants, world.Service,
		participation.ActivityConfig{Clock: world.Clock, InvitationPurpose: inv, ParticipationPurpose: part, Suppression: k})
	if err != nil {
		return err
	}
	run := &activityRunner{ctx: ctx, sc: sc, world: world, svc: svc,
		people: map[string]bool{}, names: map[osallisuus.ParticipantID]string{},
		acts: map[string]participation.ActivityID{}, actNames: map[participation.ActivityID]string{},
		decl: map[string]*scenarioActivity{},
		orgs: map[string]participation.OrganisationID{}, orgNames: map[participation.OrganisationID]string{},
		projs: map[string]participation.ProjectID{}, prjNames: map[participation.ProjectID]string{}}
	for _, p := range sc.People {
		run.people[p.ID] = true
		run.names[world.ID(p.ID)] = p.ID
	}
	if err := run.setup(); err != nil {
		return err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	for i := range sc.Steps {
		line, err := run.step(i, &sc.Steps[i])
		if err != nil {
			return fmt.Errorf("steps[%d]: %w", i, err)
		}
		// No HTML escaping: a hidden count reads "<5", not "\u003c5".
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	_, err = w.Write(out.Bytes())
	return err
}

// setup adds the organisations (parents first), projects and the IDs of the declared
// activities.
func (run *activityRunner) setup() error {
	for _, o := range run.sc.Organisations {
		id, err := participation.NewOrganisationID()
		if err != nil {
			return err
		}
		run.orgs[o.ID], run.orgNames[id] = id, o.ID
	}
	added := map[string]bool{}
	var add func(o scenarioOrganisation) error
	byName := map[string]scenarioOrganisation{}
	for _, o := range run.sc.Organisations {
		byName[o.ID] = o
	}
	add = func(o scenarioOrganisation) error {
		if added[o.ID] {
			return nil
		}
		if o.Parent != "" {
			if err := add(byName[o.Parent]); err != nil {
				return err
			}
		}
		added[o.ID] = true
		org := participation.Organisation{ID: run.orgs[o.ID], Sector: participation.Sector(o.Sector)}
		if o.Parent != "" {
			org.Parent = run.orgs[o.Parent]
		}
		_, err := run.svc.AddOrganisation(run.ctx, org)
		return err
	}
	for _, o := range run.sc.Organisations {
		if err := add(o); err != nil {
			return fmt.Errorf("organisation %q: %w", o.ID, err)
		}
	}
	for _, p := range run.sc.Projects {
		plan, _ := osallisuus.ParseDate(p.PlanDate)
		pr, err := run.svc.AddProject(run.ctx, participation.Project{Organisation: run.orgs[p.Organisation], PlanDate: plan})
		if err != nil {
			return fmt.Errorf("project %q: %w", p.ID, err)
		}
		run.projs[p.ID], run.prjNames[pr.ID] = pr.ID, p.ID
	}
	for i := range run.sc.Activities {
		a := &run.sc.Activities[i]
		id, err := participation.NewActivityID()
		if err != nil {
			return err
		}
		run.acts[a.ID], run.actNames[id], run.decl[a.ID] = id, a.ID, a
	}
	return nil
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, e := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := marshalPlain(e.k)
		if err != nil {
			return nil, err
		}
		b = append(append(b, k...), ':')
		v, err := marshalPlain(e.v)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// marshalPlain is json.Marshal without HTML escaping.
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func (run *activityRunner) who(p *string) osallisuus.ParticipantID {
	if p != nil && run.people[*p] {
		return run.world.ID(*p)
	}
	// Not a person of the file (a representative, say, or nobody): an ID the
	// participant store does not know, so the service answers not-found.
	id, err := osallisuus.NewParticipantID()
	if err != nil {
		panic(err)
	}
	return id
}

func (run *activityRunner) activity(p *string) participation.ActivityID {
	if p != nil {
		if id, ok := run.acts[*p]; ok {
			return id
		}
	}
	id, err := participation.NewActivityID()
	if err != nil {
		panic(err)
	}
	return id
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// date parses an optional date: zero for nil, ErrInvalid naming "on" when not a date.
func date(p *string) (osallisuus.Date, error) {
	if p == nil {
		return osallisuus.Date{}, nil
	}
	d, err := osallisuus.ParseDate(*p)
	if err != nil {
		return d, osallisuus.Invalid("on", osallisuus.CodeFormat)
	}
	return d, nil
}

func (run *activityRunner) step(i int, s *activityStep) (obj, error) {
	at, _ := osallisuus.ParseInstant(s.At)
	run.world.Clock.T = at
	ok := obj{{"step", i}, {"ok", true}}
	res, err := run.do(s)
	if err == nil {
		return append(ok, res...), nil
	}
	code := ErrorCode(err)
	if code == "" {
		return nil, err
	}
	line := obj{{"step", i}, {"ok", false}, {"error", code}}
	if re, isRule := errors.AsType[*osallisuus.RuleError](err); isRule && len(re.Reasons) > 0 &&
		code != "invalid" && code != "not-found" {
		line = append(line, kv{"reason", string(re.Reasons[0])})
	}
	return line, nil
}

func (run *activityRunner) do(s *activityStep) (obj, error) {
	ctx, svc := run.ctx, run.svc
	switch s.Op {
	case "create":
		return run.create(s)
	case "invite":
		if _, err := svc.Invite(ctx, run.activity(s.Activity), run.who(s.Who)); err != nil {
			return nil, err
		}
		return obj{{"invitation", "sent"}}, nil
	case "register":
		reg, err := svc.Register(ctx, run.activity(s.Activity), run.who(s.Who), participation.Role(str(s.Role)))
		if err != nil {
			return nil, err
		}
		if reg.Record.Status == participation.StatusWaitlisted {
			return obj{{"registration", "waitlisted"}, {"position", reg.Position}}, nil
		}
		return obj{{"registration", string(reg.Record.Status)}}, nil
	case "cancel":
		c, err := svc.Cancel(ctx, run.activity(s.Activity), run.who(s.Who))
		if err != nil {
			return nil, err
		}
		promoted := []string{}
		for _, r := range c.Promoted {
			promoted = append(promoted, run.names[r.Who])
		}
		return obj{{"registration", "cancelled"}, {"promoted", promoted}}, nil
	case "record-attendance":
		status := participation.RecordStatus(str(s.Status))
		if status != participation.StatusAttended && status != participation.StatusAbsent {
			return nil, osallisuus.Invalid("status", unknownOrRequired(string(status)))
		}
		on, err := date(s.On)
		if err != nil {
			return nil, err
		}
		rec, err := svc.RecordAttendance(ctx, run.activity(s.Activity), run.who(s.Who), status, on)
		if err != nil {
			return nil, err
		}
		return obj{{"record", string(rec.Status)}}, nil
	case "record-participation":
		on, err := date(s.On)
		if err != nil {
			return nil, err
		}
		rec, err := svc.RecordParticipation(ctx, run.activity(s.Activity), run.who(s.Who), participation.Role(str(s.Role)), on)
		if err != nil {
			return nil, err
		}
		return obj{{"record", string(rec.Status)}}, nil
	case "record-outcome":
		return run.outcome(s)
	case "early-involvement":
		return run.early()
	case "coverage":
		id, known := run.projs[str(s.Project)]
		if !known {
			return nil, fmt.Errorf("project %q: %w", str(s.Project), osallisuus.ErrNotFound)
		}
		rep, err := svc.Coverage(ctx, id)
		if err != nil {
			return nil, err
		}
		return obj{{"project", str(s.Project)}, {"phases", rep.Phases}, {"people", rep.People}}, nil
	case "no-outcome":
		days := participation.DefaultOutcomeDays
		if s.Days != nil {
			days = *s.Days
		}
		list, err := svc.NoOutcome(ctx, days)
		if err != nil {
			return nil, err
		}
		rows := []obj{}
		for _, a := range list {
			rows = append(rows, obj{{"activity", run.actNames[a.Activity]}, {"due", a.Due}, {"overdueDays", a.OverdueDays}})
		}
		slices.SortFunc(rows, func(a, b obj) int { return cmp.Compare(a[0].v.(string), b[0].v.(string)) })
		return obj{{"activities", rows}}, nil
	case "roster":
		return run.roster(s)
	case "waitlist":
		r, err := svc.Roster(ctx, run.activity(s.Activity))
		if err != nil {
			return nil, err
		}
		names := []string{}
		for _, rec := range r.Waitlist() {
			names = append(names, run.names[rec.Who])
		}
		return obj{{"waitlist", names}}, nil
	}
	return nil, fmt.Errorf("op %q: %w", s.Op, osallisuus.ErrInvalid) // Validate refused it already
}

func (run *activityRunner) create(s *activityStep) (obj, error) {
	name := str(s.Activity)
	decl, declared := run.decl[name]
	if !declared {
		return nil, fmt.Errorf("activity %q not declared: %w", name, osallisuus.ErrNotFound)
	}
	id := run.acts[name]
	if _, err := run.svc.Activity(run.ctx, id); err == nil {
		return nil, &osallisuus.RuleError{Op: "create activity", Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{participation.ReasonExists}}
	}
	a := participation.Activity{ID: id, Key: name, Organisation: run.orgs[decl.Organisation],
		Kind: participation.ActivityKind(decl.Kind), Label: decl.Label,
		Phase: participation.Phase(decl.Phase), Level: participation.Level(decl.Level),
		Accessibility: decl.Accessibility, Capacity: decl.Capacity}
	if decl.Project != "" {
		a.Project = run.projs[decl.Project]
	}
	ve := &osallisuus.ValidationError{Op: "create activity"}
	var err error
	if decl.Start != "" {
		if a.Start, err = osallisuus.ParseDate(decl.Start); err != nil {
			ve.Add("start", osallisuus.CodeFormat)
		}
	}
	if decl.End != nil {
		if a.End, err = osallisuus.ParseDate(*decl.End); err != nil {
			ve.Add("end", osallisuus.CodeFormat)
		}
	}
	for _, l := range decl.Languages {
		a.Languages = append(a.Languages, participation.Language(l))
	}
	if w := decl.Waitlist; w != nil {
		a.Waitlist = participation.WaitlistPolicy{Disabled: w.Enabled != nil && !*w.Enabled, MaxLength: w.MaxLength}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if _, err := run.svc.CreateActivity(run.ctx, a); err != nil {
		return nil, err
	}
	return obj{{"activity", "created"}}, nil
}

func (run *activityRunner) outcome(s *activityStep) (obj, error) {
	o := participation.Outcome{Activity: run.activity(s.Activity), Proposals: s.Proposals, Themes: s.Themes}
	if s.Text != nil {
		o.Text = osallisuus.Text{FI: s.Text.FI, SV: s.Text.SV, EN: s.Text.EN}
	}
	on, err := date(s.On)
	if err != nil {
		return nil, err
	}
	o.On = on
	if _, err := run.svc.RecordOutcome(run.ctx, o); err != nil {
		return nil, err
	}
	all, err := run.svc.Outcomes(run.ctx, o.Activity)
	if err != nil {
		return nil, err
	}
	return obj{{"outcomes", len(all)}}, nil
}

func (run *activityRunner) early() (obj, error) {
	rep, err := run.svc.EarlyInvolvement(run.ctx)
	if err != nil {
		return nil, err
	}
	projects := make([]obj, 0, len(rep.Projects))
	for _, p := range rep.Projects {
		projects = append(projects, obj{{"project", run.prjNames[p.Project]}, {"organisation", run.orgNames[p.Organisation]},
			{"early", p.Early}, {"people", p.People}})
	}
	byFirst := func(a, b obj) int { return cmp.Compare(a[0].v.(string), b[0].v.(string)) }
	slices.SortFunc(projects, byFirst)
	group := func(key string, name string, g participation.EarlyGroup) obj {
		o := obj{}
		if key != "" {
			o = append(o, kv{key, name})
		}
		return append(o, kv{"projects", g.Projects}, kv{"early", g.Early}, kv{"share", g.Share}, kv{"people", g.People})
	}
	orgs := make([]obj, 0, len(rep.Organisations))
	for _, g := range rep.Organisations {
		orgs = append(orgs, group("organisation", run.orgNames[g.Organisation], g))
	}
	slices.SortFunc(orgs, byFirst)
	sectors := make([]obj, 0, len(rep.Sectors))
	for _, g := range rep.Sectors {
		sectors = append(sectors, group("sector", string(g.Sector), g))
	}
	return obj{{"projects", projects}, {"organisations", orgs}, {"sectors", sectors}, {"total", group("", "", rep.Total)}}, nil
}

func (run *activityRunner) roster(s *activityStep) (obj, error) {
	r, err := run.svc.Roster(run.ctx, run.activity(s.Activity))
	if err != nil {
		return nil, err
	}
	rows := []obj{}
	for _, rec := range r.LatestRecords() {
		row := obj{{"who", run.names[rec.Who]}, {"role", string(rec.Role)}, {"status", string(rec.Status)}}
		if rec.Status == participation.StatusAttended || rec.Status == participation.StatusAbsent {
			row = append(row, kv{"on", rec.On})
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b obj) int { return cmp.Compare(a[0].v.(string), b[0].v.(string)) })
	var free any
	if n, limited := r.Free(); limited {
		free = n
	}
	return obj{{"roster", rows}, {"taken", r.Taken()}, {"free", free}}, nil
}
