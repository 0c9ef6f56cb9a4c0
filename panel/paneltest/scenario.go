package paneltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
	partmem "github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// EvalPanelScenario reads one panel scenario (spec/panel.md §12) from r, runs it through
// panel.Service on a fresh memstore and writes its JSON Lines (§12.5) to w. A malformed
// file (§12.7) returns an error matching osallisuus.ErrInvalid that names the field,
// writing nothing.
func EvalPanelScenario(r io.Reader, w io.Writer) error {
	return evalPanelScenario(context.Background(), r, w, memstore.New())
}

// RunPanelScenarios runs every NAME.json in dir as a subtest through panel.Service on a
// store from newStore and compares the output with NAME.want.jsonl as JSON values, line
// by line; a want file {"malformed":true} expects an ErrInvalid error and no output. It
// fails, never skips, when dir is missing or holds no scenario.
func RunPanelScenarios(t *testing.T, dir string, newStore func(*testing.T) panel.Store) {
	t.Helper()
	participationtest.RunScenarioDir(t, dir, func(t *testing.T, r *os.File, w *bytes.Buffer) error {
		return evalPanelScenario(t.Context(), r, w, newStore(t))
	})
}

type runner struct {
	ctx      context.Context
	sc       *scenarioFile
	world    *participationtest.World
	svc      *panel.Service
	store    panel.Store
	panels   map[string]panelJSON
	ids      map[string]uuid.UUID // "kind:name" → ID
	names    map[osallisuus.ParticipantID]string
	profiles map[string]panel.Profile
	now      time.Time
}

func evalPanelScenario(ctx context.Context, r io.Reader, w io.Writer, store panel.Store) error {
	sc, err := decode(r)
	if err != nil {
		return err
	}
	world, err := sc.Setup(ctx, participation.StoresOf(partmem.New()))
	if err != nil {
		return err
	}
	if _, err := world.RecordEvents(ctx, sc.Events); err != nil {
		return err
	}
	run := &runner{ctx: ctx, sc: sc, world: world, store: store,
		panels: make(map[string]panelJSON), ids: make(map[string]uuid.UUID),
		names: make(map[osallisuus.ParticipantID]string), profiles: make(map[string]panel.Profile)}
	for _, p := range sc.Panels {
		run.panels[p.ID] = p
	}
	for _, p := range sc.People {
		run.names[world.ID(p.ID)] = p.ID
	}
	for _, p := range sc.Profiles {
		run.profiles[p.ID] = panel.Profile{Language: p.Language, AgeBand: p.AgeBand, Area: p.Area,
			ServiceGroup: p.ServiceGroup, UserRole: p.UserRole}
	}
	ineligible := make(map[string][]string)
	for _, e := range sc.Eligibility {
		ineligible[e.Panel+"\x00"+world.ID(e.Who).String()] = e.Reasons
	}
	clock := osallisuus.ClockFunc(func() time.Time { return run.now })
	run.svc, err = panel.NewService(store, world.Service, world.Service, panel.ServiceConfig{
		Clock: clock,
		Eligibility: panel.EligibilityFunc(func(_ context.Context, p panel.Panel, who osallisuus.ParticipantID, _ time.Time) ([]string, error) {
			return ineligible[p.Key+"\x00"+who.String()], nil
		}),
	})
	if err != nil {
		return err
	}
	var out bytes.Buffer
	for i, st := range sc.steps {
		run.now = st.at
		world.Clock.T = st.at
		res, err := run.step(st)
		line := map[string]any{"step": i}
		switch {
		case err == nil:
			line["ok"] = true
			for k, v := range res {
				line[k] = v
			}
		case osallisuus.KindOf(err) != nil:
			line["ok"] = false
			line["error"] = participationtest.ErrorCode(err)
			if re, ok := errors.AsType[*osallisuus.RuleError](err); ok && len(re.Reasons) > 0 {
				line["reason"] = string(re.Reasons[0])
				if re.Reasons[0] == panel.ReasonIneligible {
					rs := make([]string, 0, len(re.Reasons)-1)
					for _, r := range re.Reasons[1:] {
						rs = append(rs, string(r))
					}
					line["reasons"] = rs
				}
			}
		default:
			return fmt.Errorf("step %d (%s): %w", i, st.Op, err)
		}
		b, err := json.Marshal(line)
		if err != nil {
			return err
		}
		out.Write(b)
		out.WriteByte('\n')
	}
	_, err = w.Write(out.Bytes())
	return err
}

func (r *runner) id(kind, name string) uuid.UUID {
	k := kind + ":" + name
	if id, ok := r.ids[k]; ok {
		return id
	}
	id, err := osallisuus.NewUUID()
	if err != nil {
		panic(err) // the system's random source failed
	}
	r.ids[k] = id
	return id
}

func (r *runner) panelID(name string) panel.PanelID { return panel.PanelID{UUID: r.id("panel", name)} }
func (r *runner) meetingID(name string) panel.MeetingID {
	return panel.MeetingID{UUID: r.id("meeting", name)}
}
func (r *runner) proposalID(name string) panel.ProposalID {
	return panel.ProposalID{UUID: r.id("proposal", name)}
}
func (r *runner) callID(name string) panel.CallID { return panel.CallID{UUID: r.id("call", name)} }
func (r *runner) who(name string) osallisuus.ParticipantID {
	return r.world.ID(name)
}
func (r *runner) name(id osallisuus.ParticipantID) string { return r.names[id] }

type result = map[string]any

func membership(state panel.MemberState) result { return result{"membership": string(state)} }

func (r *runner) step(st step) (result, error) {
	ctx, svc := r.ctx, r.svc
	pid := r.panelID(st.Panel)
	switch st.Op {
	case "create":
		pj, ok := r.panels[st.Panel]
		if !ok {
			return nil, osallisuus.NotFound("panel", pid)
		}
		if _, err := r.store.GetPanel(ctx, pid); err == nil {
			return nil, &osallisuus.RuleError{Kind: osallisuus.ErrConflict, Reasons: []osallisuus.Reason{panel.ReasonExists}}
		}
		cfg, ve := pj.config()
		if err := ve.Err(); err != nil {
			return nil, err
		}
		if _, err := svc.Create(ctx, panel.Panel{ID: pid, Key: st.Panel, Config: cfg}); err != nil {
			if errors.Is(err, osallisuus.ErrConflict) {
				return nil, &osallisuus.RuleError{Kind: osallisuus.ErrConflict, Reasons: []osallisuus.Reason{panel.ReasonExists}}
			}
			return nil, err
		}
		return result{"panel": "draft"}, nil
	case "open":
		_, err := svc.Open(ctx, pid)
		return result{"panel": "active"}, err
	case "close":
		_, err := svc.Close(ctx, pid, st.Reason)
		return result{"panel": "closed"}, err
	case "join":
		res, err := svc.Join(ctx, panel.JoinRequest{Panel: pid, Who: r.who(st.Who), Profile: r.profiles[st.Who],
			Priority: st.Priority, Assent: st.Assent})
		if err != nil {
			return nil, err
		}
		out := membership(res.State)
		if res.State == panel.MemberWaitlisted {
			out["position"], out["reason"] = res.Position, string(res.Reason)
		}
		return out, nil
	case "leave":
		reason, err := svc.Leave(ctx, pid, r.who(st.Who))
		return result{"membership": "ended", "reason": string(reason)}, err
	case "accept":
		return membership(panel.MemberActive), svc.Accept(ctx, pid, r.who(st.Who), st.Assent)
	case "decline":
		return result{"membership": "ended", "reason": "declined"}, svc.Decline(ctx, pid, r.who(st.Who))
	case "appoint":
		return membership(panel.MemberActive), svc.Appoint(ctx, panel.AppointRequest{Panel: pid, Who: r.who(st.Who),
			Profile: r.profiles[st.Who], Decision: strings.TrimSpace(st.Decision), Assent: st.Assent})
	case "add-official":
		voting, aff := true, panel.AffiliationCounty
		if st.Voting != nil {
			voting = *st.Voting
		}
		if st.Affiliation != nil {
			aff = panel.Affiliation(*st.Affiliation)
		}
		return membership(panel.MemberActive), svc.AddOfficial(ctx, pid, r.who(st.Who), voting, aff)
	case "add-deputy":
		return membership(panel.MemberActive), svc.AddDeputy(ctx, panel.DeputyRequest{Panel: pid, Who: r.who(st.Who),
			Principal: r.who(st.Principal), Profile: r.profiles[st.Who], Assent: st.Assent})
	case "assign":
		return result{"role": st.Role}, svc.Assign(ctx, pid, r.who(st.Who), panel.Role(st.Role), st.Replace)
	case "unassign":
		return result{"role": "member"}, svc.Unassign(ctx, pid, r.who(st.Who))
	case "renew":
		t, err := svc.Renew(ctx, pid, r.who(st.Who))
		return result{"membership": "active", "termEnds": t.Last.String()}, err
	case "review":
		warn := 30
		if st.WarnDays != nil {
			warn = *st.WarnDays
		}
		rev, err := svc.ReviewConsents(ctx, pid, warn)
		if err != nil {
			return nil, err
		}
		sus := []result{}
		for _, s := range rev.Suspended {
			sus = append(sus, result{"who": r.name(s.Who), "reason": string(s.Reason)})
		}
		slices.SortFunc(sus, func(a, b result) int { return strings.Compare(a["who"].(string), b["who"].(string)) })
		exp := []string{}
		for _, w := range rev.Expiring {
			exp = append(exp, r.name(w))
		}
		slices.Sort(exp)
		return result{"suspended": sus, "expiring": exp}, nil
	case "reinstate":
		return membership(panel.MemberActive), svc.Reinstate(ctx, pid, r.who(st.Who))
	case "remove":
		return result{"membership": "ended", "reason": "removed"}, svc.Remove(ctx, pid, r.who(st.Who), strings.TrimSpace(st.Reason))
	case "plan":
		if st.Meeting == "" {
			return nil, osallisuus.Invalid("meeting", osallisuus.CodeRequired)
		}
		start, err := osallisuus.ParseInstant(st.Start)
		if err != nil {
			return nil, osallisuus.Invalid("start", osallisuus.CodeFormat)
		}
		_, err = svc.PlanMeeting(ctx, pid, r.meetingID(st.Meeting), start)
		return result{"meeting": "planned"}, err
	case "cancel":
		_, err := svc.CancelMeeting(ctx, r.meetingID(st.Meeting), st.Reason)
		return result{"meeting": "cancelled"}, err
	case "hold":
		att := make(map[osallisuus.ParticipantID]panel.Attendance, len(st.Attendance))
		for k, v := range st.Attendance {
			att[r.who(k)] = panel.Attendance(v)
		}
		m, err := svc.HoldMeeting(ctx, r.meetingID(st.Meeting), att)
		if err != nil {
			return nil, err
		}
		return result{"meeting": "held", "quorate": m.Quorum.Quorate}, nil
	case "quorum":
		m, err := svc.Meeting(ctx, r.meetingID(st.Meeting))
		if err != nil {
			return nil, err
		}
		if m.State != panel.MeetingHeld {
			return nil, &osallisuus.RuleError{Kind: osallisuus.ErrConflict, Reasons: []osallisuus.Reason{osallisuus.Reason(m.State)}}
		}
		q := m.Quorum
		return result{"quorate": q.Quorate, "numerator": q.Numerator, "denominator": q.Denominator, "chairOrVice": q.ChairOrVice}, nil
	case "minutes":
		_, err := svc.DraftMinutes(ctx, r.meetingID(st.Meeting), st.Text)
		return result{"minutes": "draft"}, err
	case "approve-minutes":
		var by osallisuus.ParticipantID
		if st.By != "" {
			by = r.who(st.By)
		}
		_, err := svc.ApproveMinutes(ctx, r.meetingID(st.Meeting), by, st.AtMeeting)
		return result{"minutes": "approved"}, err
	case "correct-minutes":
		m, err := svc.CorrectMinutes(ctx, r.meetingID(st.Meeting), st.Text)
		if err != nil {
			return nil, err
		}
		return result{"minutes": "approved", "corrections": len(m.Minutes.Corrections)}, nil
	case "submit":
		if st.Proposal == "" {
			return nil, osallisuus.Invalid("proposal", osallisuus.CodeRequired)
		}
		var mid panel.MeetingID
		if st.Meeting != "" {
			mid = r.meetingID(st.Meeting)
		}
		p, err := svc.Submit(ctx, panel.SubmitRequest{Panel: pid, ID: r.proposalID(st.Proposal),
			Kind: panel.ProposalKind(st.Kind), Text: st.Text, Meeting: mid})
		if err != nil {
			return nil, err
		}
		return result{"proposal": "submitted", "answerDue": p.AnswerDue.String()}, nil
	case "answer":
		a := panel.Answer{Outcome: panel.Outcome(st.Outcome), Justification: st.Justification}
		if st.PlannedBy != "" {
			d, err := osallisuus.ParseDate(st.PlannedBy)
			if err != nil {
				return nil, osallisuus.Invalid("plannedBy", osallisuus.CodeFormat)
			}
			a.PlannedBy = d
		}
		_, err := svc.Answer(ctx, r.proposalID(st.Proposal), a)
		return result{"proposal": "answered"}, err
	case "implement":
		var on osallisuus.Date
		if st.On != "" {
			d, err := osallisuus.ParseDate(st.On)
			if err != nil {
				return nil, osallisuus.Invalid("on", osallisuus.CodeFormat)
			}
			on = d
		}
		_, err := svc.Implement(ctx, r.proposalID(st.Proposal), st.Description, on)
		return result{"proposal": "implemented"}, err
	case "open-call":
		if st.Call == "" {
			return nil, osallisuus.Invalid("call", osallisuus.CodeRequired)
		}
		opens, err1 := osallisuus.ParseInstant(st.OpensAt)
		closes, err2 := osallisuus.ParseInstant(st.ClosesAt)
		if err1 != nil || err2 != nil {
			return nil, osallisuus.Invalid("opensAt", osallisuus.CodeFormat)
		}
		_, err := svc.OpenCall(ctx, pid, r.callID(st.Call), opens, closes, st.Seats)
		return result{"call": "open"}, err
	case "apply":
		_, err := svc.Apply(ctx, r.callID(st.Call), panel.Application{Participant: r.who(st.Who),
			Profile: r.profiles[st.Who], Priority: st.Priority, Reserve: st.Reserve})
		return result{"application": "submitted"}, err
	case "screen":
		_, err := svc.Screen(ctx, r.callID(st.Call), r.who(st.Who), st.Eligible, st.Reason)
		return result{"application": "screened"}, err
	case "select":
		req := panel.SelectRequest{Method: panel.Method(st.Method), Justification: st.Justification}
		if req.Method == panel.MethodRandomDraw {
			if len(st.Seed) != 2 {
				return nil, osallisuus.Invalid("seed", osallisuus.CodeRequired)
			}
			req.Seed = [2]uint64{st.Seed[0], st.Seed[1]}
		}
		for _, n := range st.List {
			req.List = append(req.List, r.who(n))
		}
		sel, err := svc.Select(ctx, r.callID(st.Call), req)
		if err != nil {
			return nil, err
		}
		return result{"selected": r.names_(sel.Selected), "reserve": r.names_(sel.Reserve)}, nil
	case "report":
		return r.report(st, pid)
	}
	return nil, fmt.Errorf("unknown op %q", st.Op)
}

func (r *runner) names_(ids []osallisuus.ParticipantID) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, r.name(id))
	}
	return out
}

func (r *runner) report(st step, pid panel.PanelID) (result, error) {
	switch st.Of {
	case "roster", "waitlist", "proposals":
		if st.Targets != nil {
			return nil, osallisuus.Invalid("targets", osallisuus.CodeNotAllowed)
		}
	case "representativeness":
	default:
		return nil, osallisuus.Invalid("of", osallisuus.CodeUnknown)
	}
	targets := panel.Targets{}
	for dim, vals := range st.Targets {
		switch panel.Dimension(dim) {
		case panel.DimAgeBand, panel.DimLanguage, panel.DimArea, panel.DimServiceGroup:
		default:
			return nil, osallisuus.Invalid("targets."+dim, osallisuus.CodeUnknown)
		}
		m := make(map[string]panel.Tenths, len(vals))
		for v, x := range vals {
			t := math.Round(x * 10)
			if x < 0 || x > 100 || math.Abs(x*10-t) > 1e-6 {
				return nil, osallisuus.Invalid("targets."+dim+"."+v, osallisuus.CodeOutOfRange)
			}
			m[v] = panel.Tenths(t)
		}
		targets[panel.Dimension(dim)] = m
	}
	p, err := r.svc.Panel(r.ctx, pid)
	if err != nil {
		return nil, err
	}
	switch st.Of {
	case "roster":
		rows := []result{}
		for _, m := range p.Members {
			if m.State != panel.MemberActive && m.State != panel.MemberSuspended && m.State != panel.MemberOffered {
				continue
			}
			row := result{"who": r.name(m.Participant), "seat": string(m.Seat), "state": string(m.State), "role": string(m.Role)}
			if m.State == panel.MemberSuspended {
				row["reason"] = string(m.Suspension)
			}
			if m.IsDeputy() {
				row["deputyOf"] = r.name(m.DeputyOf)
			}
			if d := m.TermEnds(); !d.IsZero() {
				row["termEnds"] = d.String()
			}
			rows = append(rows, row)
		}
		slices.SortFunc(rows, func(a, b result) int { return strings.Compare(a["who"].(string), b["who"].(string)) })
		return result{"roster": rows}, nil
	case "waitlist":
		names := []string{}
		for _, i := range p.Waitlist() {
			names = append(names, r.name(p.Members[i].Participant))
		}
		return result{"waitlist": names}, nil
	case "proposals":
		return r.proposals(pid)
	}
	return result{"representativeness": p.Report(targets)}, nil
}

func (r *runner) proposals(pid panel.PanelID) (result, error) {
	today := osallisuus.DateOf(r.now)
	names := make(map[uuid.UUID]string)
	for k, id := range r.ids {
		if n, ok := strings.CutPrefix(k, "proposal:"); ok {
			names[id] = n
		}
	}
	rows := []result{}
	for p, err := range r.svc.Proposals(r.ctx, panel.ProposalFilter{Panel: pid}) {
		if err != nil {
			return nil, err
		}
		row := result{"id": names[p.ID.UUID], "kind": string(p.Kind), "state": string(p.State),
			"answerDue": p.AnswerDue.String(), "overdue": p.Overdue(today)}
		if a := p.Answer; a != nil {
			row["outcome"] = string(a.Outcome)
			row["answerDays"] = panel.DaysBetween(osallisuus.DateOf(p.SubmittedAt), osallisuus.DateOf(a.At))
			if !a.PlannedBy.IsZero() {
				row["plannedBy"] = a.PlannedBy.String()
			}
		}
		if im := p.Implementation; im != nil {
			row["implementedOn"] = im.On.String()
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b result) int { return strings.Compare(a["id"].(string), b["id"].(string)) })
	return result{"proposals": rows}, nil
}
