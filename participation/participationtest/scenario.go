package participationtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// ConsentSections is the consent part of a scenario file (spec/consent.md §10): name,
// description, policy, people, representations, assessments and events. The consent,
// panel and activities scenario files share it; embed it in a file's struct (its fields
// are then top-level keys) and call [ConsentSections.Validate] and [ConsentSections.Setup].
type ConsentSections struct {
	Name            string                   `json:"name"`
	Description     string                   `json:"description"`
	Policy          participation.Policy     `json:"policy"`
	People          []ScenarioPerson         `json:"people"`
	Representations []ScenarioRepresentation `json:"representations"`
	Assessments     []ScenarioAssessment     `json:"assessments"`
	Events          []ScenarioEvent          `json:"events"`
}

// ScenarioPerson is a person of a scenario: an opaque id and a birth date (T2).
type ScenarioPerson struct {
	ID        string `json:"id"`
	BirthDate string `json:"birthDate"`
}

// ScenarioRepresentation is a representation of a scenario (S2), ids as strings.
type ScenarioRepresentation struct {
	Representative string   `json:"representative"`
	Subject        string   `json:"subject"`
	Kind           string   `json:"kind"`
	From           string   `json:"from"`
	Until          string   `json:"until"`
	Scopes         []string `json:"scopes"`
	Purposes       []string `json:"purposes"`
}

// ScenarioAssessment is a maturity assessment of a scenario (S3).
type ScenarioAssessment struct {
	Subject  string   `json:"subject"`
	By       string   `json:"by"`
	At       string   `json:"at"`
	Purposes []string `json:"purposes"`
	Until    string   `json:"until"`
}

// ScenarioEvent is a consent event of a scenario (§5), every value as written: bad values
// are results (R1), not malformed files.
type ScenarioEvent struct {
	At            string `json:"at"`
	Subject       string `json:"subject"`
	By            string `json:"by"`
	RecordedBy    string `json:"recordedBy"`
	Action        string `json:"action"`
	Purpose       string `json:"purpose"`
	Scope         string `json:"scope"`
	Method        string `json:"method"`
	NoticeVersion int    `json:"noticeVersion"`
	NoticeHash    string `json:"noticeHash"`
	ValidUntil    string `json:"validUntil"`
}

// ScenarioQuery is a consent query of a scenario (§7).
type ScenarioQuery struct {
	ID      string `json:"id"`
	At      string `json:"at"`
	Subject string `json:"subject"`
	Purpose string `json:"purpose"`
	Scope   string `json:"scope"`
}

type consentScenario struct {
	ConsentSections
	Queries []ScenarioQuery `json:"queries"`
}

// Validate checks the F2 rules of the consent sections: a non-empty name, a valid policy
// (§2), people with unique ids and real birth dates, representations and assessments
// keeping S2 and S3. The error matches osallisuus.ErrInvalid and names the fields.
func (c *ConsentSections) Validate() error {
	ve := &osallisuus.ValidationError{Op: "scenario"}
	if c.Name == "" {
		ve.Add("name", osallisuus.CodeRequired)
	}
	if err := c.Policy.Validate(); err != nil {
		ve.Merge("policy", asValidation(err))
	}
	known := make(map[string]bool, len(c.People))
	for i, p := range c.People {
		f := fmt.Sprintf("people[%d]", i)
		switch {
		case p.ID == "":
			ve.Add(f+".id", osallisuus.CodeRequired)
		case known[p.ID]:
			ve.Add(f+".id", osallisuus.CodeDuplicate)
		}
		known[p.ID] = true
		if _, err := osallisuus.ParseDate(p.BirthDate); err != nil {
			ve.Add(f+".birthDate", osallisuus.CodeFormat)
		}
	}
	for i, r := range c.Representations {
		f := fmt.Sprintf("representations[%d]", i)
		if r.Subject != "" && !known[r.Subject] {
			ve.Add(f+".subject", osallisuus.CodeUnknown)
		}
		rep, problems := r.convert(func(s string) osallisuus.ParticipantID { return osallisuus.ParticipantID{} })
		ve.Merge(f, problems)
		if r.Representative != "" && r.Representative == r.Subject {
			ve.Add(f+".representative", osallisuus.CodeNotAllowed)
		}
		if r.Representative == "" {
			ve.Add(f+".representative", osallisuus.CodeRequired)
		}
		if r.Subject == "" {
			ve.Add(f+".subject", osallisuus.CodeRequired)
		}
		if !rep.Kind.Valid() {
			ve.Add(f+".kind", osallisuus.CodeUnknown)
		}
		if !rep.From.IsZero() && !rep.Until.IsZero() && rep.Until.Before(rep.From) {
			ve.Add(f+".until", osallisuus.CodeOrder)
		}
		for j, s := range rep.Scopes {
			if s != participation.ScopeEconomic && s != participation.ScopePersonal {
				ve.Add(fmt.Sprintf("%s.scopes[%d]", f, j), osallisuus.CodeUnknown)
			}
		}
		c.checkPurposes(ve, f+".purposes", r.Purposes, false)
	}
	for i, a := range c.Assessments {
		f := fmt.Sprintf("assessments[%d]", i)
		if !known[a.Subject] {
			ve.Add(f+".subject", unknownOrRequired(a.Subject))
		}
		if a.By == "" {
			ve.Add(f+".by", osallisuus.CodeRequired)
		}
		at, atErr := osallisuus.ParseInstant(a.At)
		if atErr != nil {
			ve.Add(f+".at", osallisuus.CodeFormat)
		}
		c.checkPurposes(ve, f+".purposes", a.Purposes, true)
		if a.Until != "" {
			until, err := osallisuus.ParseDate(a.Until)
			switch {
			case err != nil:
				ve.Add(f+".until", osallisuus.CodeFormat)
			case atErr == nil && until.Before(osallisuus.DateOf(at)):
				ve.Add(f+".until", osallisuus.CodeOrder)
			}
		}
	}
	return ve.Err()
}

func (c *ConsentSections) checkPurposes(ve *osallisuus.ValidationError, field string, ps []string, required bool) {
	if required && len(ps) == 0 {
		ve.Add(field, osallisuus.CodeRequired)
	}
	for j, p := range ps {
		if !c.Policy.Has(p) {
			ve.Add(fmt.Sprintf("%s[%d]", field, j), osallisuus.CodeUnknown)
		}
	}
}

func unknownOrRequired(s string) osallisuus.Code {
	if s == "" {
		return osallisuus.CodeRequired
	}
	return osallisuus.CodeUnknown
}

// convert maps a scenario representation to the library's, with format problems.
func (r ScenarioRepresentation) convert(id func(string) osallisuus.ParticipantID) (participation.Representation, *osallisuus.ValidationError) {
	ve := &osallisuus.ValidationError{}
	rep := participation.Representation{
		Representative: id(r.Representative), Subject: id(r.Subject),
		Kind: participation.RepresentationKind(r.Kind), Purposes: r.Purposes,
	}
	for _, s := range r.Scopes {
		rep.Scopes = append(rep.Scopes, participation.TrusteeScope(s))
	}
	var err error
	if r.From != "" {
		if rep.From, err = osallisuus.ParseDate(r.From); err != nil {
			ve.Add("from", osallisuus.CodeFormat)
		}
	}
	if r.Until != "" {
		if rep.Until, err = osallisuus.ParseDate(r.Until); err != nil {
			ve.Add("until", osallisuus.CodeFormat)
		}
	}
	return rep, ve
}

// World is a scenario's consent world after [ConsentSections.Setup]: a participation
// service on the given stores, the mapping from the file's opaque ids to participant IDs,
// and a clock the runner moves.
type World struct {
	Service *participation.Service
	Stores  participation.Stores
	// Clock is the service's clock; set Clock.Now before each call.
	Clock *ManualClock
	ids   map[string]osallisuus.ParticipantID
	birth map[string]osallisuus.Date
}

// ManualClock is a clock a single-threaded runner sets by hand.
type ManualClock struct{ T time.Time }

// Now returns T.
func (c *ManualClock) Now() time.Time { return c.T }

// ID returns the participant ID of the file's id s, making a new one the first time.
// Ids that are not registered participants stay unregistered (an unknown subject).
func (w *World) ID(s string) osallisuus.ParticipantID {
	if id, ok := w.ids[s]; ok {
		return id
	}
	id, err := osallisuus.NewParticipantID()
	if err != nil {
		panic(err) // the system's random source failed; nothing sensible remains
	}
	w.ids[s] = id
	return id
}

// Known reports whether s is a person of the file (registered as a participant).
func (w *World) Known(s string) bool {
	_, ok := w.birth[s]
	return ok
}

// BirthDate returns the birth date of person s.
func (w *World) BirthDate(s string) osallisuus.Date { return w.birth[s] }

// Setup validates the sections (F2) and registers the people, representations and
// assessments through a participation.Service on stores. People are customers, except
// that assessors are officials; representatives and assessors who are not among the
// people are registered without a birth date. It does not record the events (see
// [World.RecordEvents]).
func (c *ConsentSections) Setup(ctx context.Context, stores participation.Stores) (*World, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	clock := &ManualClock{}
	svc, err := participation.NewService(stores, &c.Policy, participation.Config{Clock: clock})
	if err != nil {
		return nil, err
	}
	w := &World{Service: svc, Stores: stores, Clock: clock,
		ids: make(map[string]osallisuus.ParticipantID), birth: make(map[string]osallisuus.Date)}
	staff := make(map[string]bool)
	for _, a := range c.Assessments {
		staff[a.By] = true
		if t, err := osallisuus.ParseInstant(a.At); err == nil && t.After(clock.T) {
			clock.T = t
		}
	}
	register := func(s string, birth osallisuus.Date) error {
		if _, ok := w.birth[s]; ok {
			return nil
		}
		kind := participation.KindCustomer
		switch {
		case staff[s]:
			kind = participation.KindOfficial
		case birth.IsZero():
			kind = participation.KindRelative
		}
		if _, err := svc.Register(ctx, participation.Participant{ID: w.ID(s), Kind: kind, BirthDate: birth}); err != nil {
			return fmt.Errorf("register %q: %w", s, err)
		}
		w.birth[s] = birth
		return nil
	}
	for _, p := range c.People {
		b, _ := osallisuus.ParseDate(p.BirthDate)
		if err := register(p.ID, b); err != nil {
			return nil, err
		}
	}
	for i, r := range c.Representations {
		if err := register(r.Representative, osallisuus.Date{}); err != nil {
			return nil, err
		}
		rep, _ := r.convert(w.ID)
		if _, err := svc.AddRepresentation(ctx, rep); err != nil {
			return nil, fmt.Errorf("representations[%d]: %w", i, err)
		}
	}
	for i, a := range c.Assessments {
		if err := register(a.By, osallisuus.Date{}); err != nil {
			return nil, err
		}
		at, _ := osallisuus.ParseInstant(a.At)
		var until osallisuus.Date
		if a.Until != "" {
			until, _ = osallisuus.ParseDate(a.Until)
		}
		if _, err := svc.AddAssessment(ctx, participation.MaturityAssessment{Subject: w.ID(a.Subject),
			By: w.ID(a.By), At: at, Purposes: a.Purposes, Until: until}); err != nil {
			return nil, fmt.Errorf("assessments[%d]: %w", i, err)
		}
	}
	return w, nil
}

// Event converts a scenario event into a library event. Values that do not parse (an
// instant, say) give a *osallisuus.ValidationError naming them, which a runner reports
// as an invalid event.
func (w *World) Event(e ScenarioEvent) (participation.ConsentEvent, error) {
	ve := &osallisuus.ValidationError{Op: "record consent event"}
	ev := participation.ConsentEvent{
		Action: participation.Action(e.Action), Purpose: e.Purpose, Scope: e.Scope,
		Method: participation.Method(e.Method), NoticeVersion: e.NoticeVersion, NoticeHash: e.NoticeHash,
	}
	if e.Subject != "" {
		ev.Subject = w.ID(e.Subject)
	}
	if e.By != "" {
		ev.By = w.ID(e.By)
	}
	if e.RecordedBy != "" {
		ev.RecordedBy = w.ID(e.RecordedBy)
	}
	var err error
	if ev.At, err = osallisuus.ParseInstant(e.At); err != nil {
		ve.Add("at", formatOrRequired(e.At))
	}
	if e.ValidUntil != "" {
		if ev.ValidUntil, err = osallisuus.ParseInstant(e.ValidUntil); err != nil {
			ve.Add("validUntil", osallisuus.CodeFormat)
		}
	}
	return ev, ve.Err()
}

func formatOrRequired(s string) osallisuus.Code {
	if s == "" {
		return osallisuus.CodeRequired
	}
	return osallisuus.CodeFormat
}

// RecordEvents records every event in file order through the service (spec F1) and
// returns, per event, nil for accepted or the error that rejected it (ErrInvalid,
// ErrForbidden). A store failure is returned as the second value.
func (w *World) RecordEvents(ctx context.Context, events []ScenarioEvent) ([]error, error) {
	results := make([]error, len(events))
	for i, e := range events {
		ev, err := w.Event(e)
		if err == nil {
			if !ev.At.IsZero() {
				w.Clock.T = ev.At
			}
			_, err = w.Service.Record(ctx, ev)
		}
		if err != nil && !errors.Is(err, osallisuus.ErrInvalid) && !errors.Is(err, osallisuus.ErrForbidden) {
			return nil, fmt.Errorf("events[%d]: %w", i, err)
		}
		results[i] = err
	}
	return results, nil
}

// Query converts a scenario query; unparsable values give a *osallisuus.ValidationError.
// A subject that is not a person of the file gets an unregistered ID, so the service
// answers invalid (D1).
func (w *World) Query(q ScenarioQuery) (participation.ConsentQuery, error) {
	cq := participation.ConsentQuery{Purpose: q.Purpose, Scope: q.Scope}
	if q.Subject != "" {
		cq.Subject = w.ID(q.Subject)
	}
	at, err := osallisuus.ParseInstant(q.At)
	if err != nil {
		return cq, osallisuus.Invalid("at", formatOrRequired(q.At))
	}
	cq.At = at
	return cq, nil
}

// EvalConsentScenario reads one consent scenario (spec/consent.md §10) from r, evaluates
// it on a fresh memstore and writes its JSON Lines (§11) to w. A malformed file (F2)
// returns an error matching osallisuus.ErrInvalid that names the field, writing nothing.
func EvalConsentScenario(r io.Reader, w io.Writer) error {
	return evalConsentScenario(context.Background(), r, w, participation.StoresOf(memstore.New()))
}

func evalConsentScenario(ctx context.Context, r io.Reader, w io.Writer, stores participation.Stores) error {
	var sc consentScenario
	if err := DecodeStrict(r, &sc); err != nil {
		return err
	}
	ve := &osallisuus.ValidationError{Op: "scenario"}
	seen := make(map[string]bool)
	for i, q := range sc.Queries {
		switch {
		case q.ID == "":
			ve.Add(fmt.Sprintf("queries[%d].id", i), osallisuus.CodeRequired)
		case seen[q.ID]:
			ve.Add(fmt.Sprintf("queries[%d].id", i), osallisuus.CodeDuplicate)
		}
		seen[q.ID] = true
	}
	if err := sc.Validate(); err != nil {
		ve.Merge("", asValidation(err))
	}
	if err := ve.Err(); err != nil {
		return err
	}
	world, err := sc.Setup(ctx, stores)
	if err != nil {
		return err
	}
	results, err := world.RecordEvents(ctx, sc.Events)
	if err != nil {
		return err
	}
	var out []byte
	for i, res := range results {
		out = appendLine(out, eventLine{Event: i, Accepted: res == nil, Error: ErrorCode(res)})
	}
	for _, q := range sc.Queries {
		cq, err := world.Query(q)
		var d participation.ConsentDecision
		if err == nil {
			d, err = world.Service.CheckConsent(ctx, cq)
		}
		switch {
		case err == nil:
			out = appendLine(out, queryLine{ID: q.ID, Allowed: &d.Allowed, Reason: string(d.Reason)})
		case errors.Is(err, osallisuus.ErrInvalid):
			out = appendLine(out, queryLine{ID: q.ID, Error: ErrorCode(err)})
		default:
			return fmt.Errorf("query %q: %w", q.ID, err)
		}
	}
	_, err = w.Write(out)
	return err
}

type eventLine struct {
	Event    int    `json:"event"`
	Accepted bool   `json:"accepted"`
	Error    string `json:"error,omitempty"`
}

type queryLine struct {
	ID      string `json:"id"`
	Allowed *bool  `json:"allowed,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Error   string `json:"error,omitempty"`
}

// ErrorCode returns the output code of an error's kind: "invalid", "forbidden",
// "capacity", "conflict", "not-found", or "" for nil. Scenario runners print it.
func ErrorCode(err error) string {
	switch k := osallisuus.KindOf(err); k {
	case nil:
		return ""
	case osallisuus.ErrNotFound:
		return "not-found"
	default:
		return k.Error()
	}
}

func appendLine(out []byte, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the line types always marshal
	}
	return append(append(out, b...), '\n')
}

func asValidation(err error) *osallisuus.ValidationError {
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	return ve
}
