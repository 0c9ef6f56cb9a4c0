package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// stepDatabase says which database the tour uses and whether it holds an earlier run.
func (t *tourRun) stepDatabase() error {
	t.printf("%s database %s, schema version %d (migrations applied and recorded)", t.db.Dialect(), redactDSN(t.dsn), sqlstore.SchemaVersion())
	t.printf("Tour clock: %s (Helsinki %s %s); every rule below sees this instant.",
		tourNow.Format(time.RFC3339), osallisuus.DateOf(tourNow), tourNow.In(helsinki()).Format("15:04"))
	if t.reopened {
		t.printf("Data from an earlier run found: it is reused, not created again.")
	} else {
		t.printf("A fresh database: the tour creates its data.")
	}
	return nil
}

// helsinki is the Europe/Helsinki zone (embedded by main's time/tzdata import).
func helsinki() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		return time.UTC
	}
	return loc
}

const (
	loadPeople    = 250
	loadPerPerson = 12
	loadBatch     = 500
)

// stepLoad registers synthetic participants and appends a few thousand synthetic consent
// events with AppendBatch, showing progress and the rate, then decides over the ledger.
func (t *tourRun) stepLoad() error {
	t.printf("%d synthetic participants, %d consent events in batches of %d (AppendBatch, one transaction each)",
		loadPeople, loadPeople*loadPerPerson, loadBatch)
	start := time.Now()
	created := 0
	var facts []participation.SubjectFacts
	for i := range loadPeople {
		p := participation.Participant{ID: osallisuus.ParticipantID{UUID: tourID("synthetic", fmt.Sprint(i))},
			Kind: participation.KindCustomer, BirthDate: osallisuus.NewDate(1940+i%60, time.Month(1+i%12), 1+i%28)}
		_, err := t.people.Register(t.ctx, p)
		switch {
		case err == nil:
			created++
		case !errors.Is(err, osallisuus.ErrConflict):
			return fmt.Errorf("register synthetic participant %d: %w", i, err)
		}
		facts = append(facts, participation.FactsOf(p, nil, nil))
		if (i+1)%100 == 0 || i+1 == loadPeople {
			t.printf("  participants %4d/%d  %s", i+1, loadPeople, rate(i+1, time.Since(start), "participants"))
		}
	}
	if created < loadPeople {
		t.reused += loadPeople - created
	}

	events := syntheticEvents(facts)
	for i := range events {
		auth, err := participation.CheckConsentEvent(t.policy, facts[i/loadPerPerson], events[i])
		if err != nil {
			return fmt.Errorf("synthetic event %d: %w", i, err)
		}
		events[i].Authority, events[i].RecordedAt = auth, tourNow
	}
	ledger := t.db.Participation()
	start = time.Now()
	appended, kept := 0, 0
	for lo := 0; lo < len(events); lo += loadBatch {
		hi := min(lo+loadBatch, len(events))
		_, err := ledger.AppendBatch(t.ctx, events[lo:hi])
		switch {
		case err == nil:
			appended += hi - lo
		case errors.Is(err, osallisuus.ErrConflict):
			kept += hi - lo // this batch is in the ledger from an earlier run
		default:
			return fmt.Errorf("append events %d..%d: %w", lo, hi, err)
		}
		if err == nil {
			t.printf("  events %5d/%d  %s", hi, len(events), rate(appended, time.Since(start), "events"))
		} else {
			t.printf("  events %5d/%d  (stored by an earlier run)", hi, len(events))
		}
	}
	if kept > 0 {
		t.reused += kept
		t.printf("  %d events were already in the ledger from an earlier run (same IDs): kept, not added again.", kept)
	}
	if appended > 0 {
		t.printf("  appended %d events (timings vary by machine)", appended)
	}

	q := participation.ConsentQuery{Subject: facts[7].Subject, Purpose: "contact", Scope: "panel:family-forum", At: tourNow}
	d0 := time.Now()
	d, err := t.people.CheckConsent(t.ctx, q)
	if err != nil {
		return err
	}
	t.printf("  decision over the loaded ledger: %s %s (%d of this subject's events read, %s)",
		allowedWord(d.Allowed), d.Reason, loadPerPerson, time.Since(d0).Round(time.Microsecond))
	return nil
}

// syntheticEvents makes loadPerPerson events per participant: grants, withdrawals and
// refusals of the contact and panel purposes through 2025, deterministic IDs.
func syntheticEvents(facts []participation.SubjectFacts) []participation.ConsentEvent {
	actions := [...]participation.Action{participation.Grant, participation.Grant, participation.Withdraw, participation.Grant, participation.Refuse, participation.Grant}
	purposes := [...]string{"contact", "panel-membership"}
	evs := make([]participation.ConsentEvent, 0, len(facts)*loadPerPerson)
	base := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	for i, f := range facts {
		for j := range loadPerPerson {
			evs = append(evs, participation.ConsentEvent{
				ID:      participation.EventID{UUID: tourID("synthetic-event", fmt.Sprintf("%d/%d", i, j))},
				At:      base.AddDate(0, 0, j*29+i%20).Add(time.Duration(i%9) * time.Hour),
				Subject: f.Subject, By: f.Subject, Action: actions[(i+j)%len(actions)],
				Purpose: purposes[j%len(purposes)], Method: participation.Electronic, NoticeVersion: 1,
			})
		}
	}
	return evs
}

// rate formats a count per second.
func rate(n int, d time.Duration, what string) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf("(%.0f %s/s)", float64(n)/d.Seconds(), what)
}

func allowedWord(ok bool) string {
	if ok {
		return "allowed"
	}
	return "denied"
}

// forumID is the family forum's fixed ID.
var forumID = panel.PanelID{UUID: tourID("panel", "family-forum")}

// stepForum forms the family-centre customer forum with a Swedish-speaker quota and a
// waitlist, and lets the forum candidates join.
func (t *tourRun) stepForum() error {
	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	cfg.Seats = panel.Seats{User: panel.SeatRange{Min: 3, Max: 4}, Official: panel.SeatRange{Min: 1, Max: 2}}
	cfg.Quotas = []panel.Quota{{ID: "swedish", Dimension: panel.DimLanguage, Values: []string{"sv"}, Min: 1, Reserve: true}}
	cfg.Waitlist.Enabled = true
	p, err := t.panels.Create(t.ctx, panel.Panel{ID: forumID, Key: "family-forum",
		Name: osallisuus.Text{FI: "Perhekeskuksen asiakasfoorumi", SV: "Familjecentrets kundforum", EN: "Family-centre customer forum"}, Config: cfg})
	created := err == nil
	switch {
	case created:
		if p, err = t.panels.Open(t.ctx, p.ID); err != nil {
			return fmt.Errorf("open the forum: %w", err)
		}
	case errors.Is(err, osallisuus.ErrConflict):
		if p, err = t.panels.Panel(t.ctx, forumID); err != nil {
			return err
		}
	default:
		return fmt.Errorf("create the forum: %w", err)
	}
	t.printf("%s / %s: %s, user seats %d–%d, one seat kept for a Swedish speaker, waitlist on [%s]",
		p.Name.FI, p.Name.SV, p.State, cfg.Seats.User.Min, cfg.Seats.User.Max, t.status(created))
	t.printf("")
	var refusals []string
	t.row("joins", "lang", "result", "waitlist", "reason")
	for _, k := range []string{"aada", "cecilia", "daniel", "eveliina", "bertil", "frans"} {
		who := personID(k)
		lang := personLang(k)
		res, err := t.panels.Join(t.ctx, panel.JoinRequest{Panel: forumID, Who: who, Profile: panel.Profile{Language: lang}})
		var re *osallisuus.RuleError
		switch {
		case err == nil:
			t.row(t.name(who), lang, string(res.State), position(res.Position), string(res.Reason))
		case errors.As(err, &re) && re.Has("already-member"):
			t.reused++
			t.row(t.name(who), lang, "(member from an earlier run)", "", "")
		case errors.As(err, &re):
			t.row(t.name(who), lang, "refused ("+osallisuus.KindOf(err).Error()+")", "", string(re.Reasons[0]))
			refusals = append(refusals, fmt.Sprintf("%s: %s / %s", t.name(who), osallisuus.Localize(err, language.Finnish), osallisuus.Localize(err, language.Swedish)))
		default:
			return fmt.Errorf("join %s: %w", k, err)
		}
	}
	t.flush()

	for _, r := range refusals {
		t.wrapped("  ", r)
	}
	p, err = t.panels.Panel(t.ctx, forumID)
	if err != nil {
		return err
	}
	t.printf("")
	t.printf("Roster (stored, version %d):", p.Version)
	t.row("member", "seat", "state", "lang")
	for _, m := range p.Members {
		t.row(t.name(m.Participant), string(m.Seat), string(m.State), m.Profile.Language)
	}
	t.flush()
	return nil
}

func personLang(key string) string {
	for _, p := range tourPeople {
		if p.key == key {
			return p.lang
		}
	}
	return ""
}

func position(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("#%d", n)
}

// tourExpert is one recruit of the tour with the profile they give.
type tourExpert struct {
	key     string
	trained bool
	profile expert.Profile
}

func tourExperts() []tourExpert {
	return []tourExpert{
		{"kalle", true, expert.Profile{Experience: []expert.Experience{{Code: "family-services", Perspective: expert.PerspectiveOwn}},
			Languages: []string{"fi"}, Areas: []string{"vaasa"}}},
		{"liisa", true, expert.Profile{Experience: []expert.Experience{{Code: "family-services", Perspective: expert.PerspectiveCloseRelative},
			{Code: "mental-health", Perspective: expert.PerspectiveCloseRelative}},
			Languages: []string{"fi", "sv"}, Areas: []string{"vaasa", "mustasaari"}}},
		{"mikael", true, expert.Profile{Experience: []expert.Experience{{Code: "mental-health", Perspective: expert.PerspectiveOwn}},
			Languages: []string{"sv"}, Areas: []string{"vaasa"}}},
		{"noora", false, expert.Profile{Experience: []expert.Experience{{Code: "family-services", Perspective: expert.PerspectiveOwn}},
			Languages: []string{"fi"}, Areas: []string{"vaasa"}}},
	}
}

// stepExperts recruits, trains and activates experts, then matches a family-centre
// workshop by experience and shows the explanation for every candidate.
func (t *tourRun) stepExperts() error {
	if err := t.experts.AddSchedule(t.ctx, tourSchedule()); err != nil && !errors.Is(err, osallisuus.ErrConflict) {
		return fmt.Errorf("add the fee schedule: %w", err)
	}
	keyNames := map[string]string{}
	t.row("expert", "experience", "languages", "training", "state", "data")
	for _, te := range tourExperts() {
		who := personID(te.key)
		e, created, err := t.recruit(te)
		if err != nil {
			return fmt.Errorf("recruit %s: %w", te.key, err)
		}
		keyNames[e.ID.String()] = t.name(who)
		var exp []string
		for _, x := range e.Profile.Experience {
			exp = append(exp, x.Code+"/"+x.Perspective.String())
		}
		training := "in course"
		if te.trained {
			training = "50 h, done"
		}
		t.row(t.name(who), strings.Join(exp, ", "), strings.Join(e.Profile.Languages, ","), training, e.State.String(), t.status(created))
	}
	t.flush()

	r, created, err := t.workshopRequest()
	if err != nil {
		return err
	}
	t.printf("")
	t.printf("Tilaus · Beställning · Request: %s, %s %s, %d min, language %s,", r.Title, r.Date(), r.Start.In(helsinki()).Format("15:04"), r.Minutes, r.Language)
	t.printf("  experience %s (own experience preferred), %d needed, %d reserve [%s]", strings.Join(r.Experience, ","), r.Needed, r.Reserve, t.status(created))
	xs, err := t.experts.Match(t.ctx, r.ID, false)
	if err != nil {
		return fmt.Errorf("match: %w", err)
	}
	t.printf("")
	t.row("candidate", "included", "rank", "proposed", "load", "failing filters")
	for _, x := range xs {
		inc := "no"
		if x.Included {
			inc = "yes"
		}
		t.row(keyNames[x.Key], inc, rankText(x.Rank), x.Proposed.String(), fmt.Sprint(x.Keys.Load), reasonsText(x.Reasons.Codes()))
	}
	t.flush()
	t.printf("")
	t.printf("Perustelut · Motiveringar · Explanations:")
	for _, x := range xs {
		for _, tag := range []language.Tag{language.Finnish, language.English} {
			t.printf("  %s  %s", tag, strings.Replace(x.Explain(tag), x.Key, keyNames[x.Key], 1))
		}
	}

	if r.Accepted() >= r.Needed {
		t.reused++
		for _, a := range r.Assignments {
			t.printf("")
			t.printf("Assignment from an earlier run: %s, %s [reused]", keyNames[a.Expert.String()], r.StatusOf(a, tourNow))
		}
		return nil
	}
	for _, x := range xs {
		if x.Proposed != expert.ProposeOffer {
			continue
		}
		a, err := t.experts.Offer(t.ctx, r.ID, x.ExpertID, false)
		if err != nil {
			return fmt.Errorf("offer: %w", err)
		}
		a, err = t.experts.Accept(t.ctx, r.ID, a.ID, expert.AcceptOptions{})
		if err != nil {
			return fmt.Errorf("accept: %w", err)
		}
		t.printf("")
		t.printf("Tarjous · Erbjudande · Offer: %s was offered the task and accepted (status %s) [new]", keyNames[x.Key], a.Status)
		break
	}
	return nil
}

func rankText(n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprint(n)
}

func reasonsText(rs []osallisuus.Reason) string {
	if len(rs) == 0 {
		return "–"
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// recruit registers an expert once (found by participant on later runs) and takes them
// through the county's course, checks and activation, resuming where an interrupted run
// stopped. It reports whether the record was created now.
func (t *tourRun) recruit(te tourExpert) (expert.Expert, bool, error) {
	who := personID(te.key)
	var e expert.Expert
	found := false
	for x, err := range t.db.Expert().ListExperts(t.ctx, expert.ExpertFilter{Participant: who}) {
		if err != nil {
			return x, false, err
		}
		e, found = x, true
		break
	}
	var err error
	if !found {
		if e, err = t.experts.Register(t.ctx, who, expert.ExpertID{}); err != nil {
			return e, true, err
		}
	}
	if e.State == expert.StateCandidate {
		if e, err = t.experts.StartTraining(t.ctx, e.ID); err != nil {
			return e, !found, err
		}
	}
	if len(e.Profile.Experience) == 0 {
		if e, err = t.experts.SetProfile(t.ctx, e.ID, 0, te.profile, expert.ActorExpert); err != nil {
			return e, !found, err
		}
	}
	if !te.trained || e.State != expert.StateInTraining {
		return e, !found, nil
	}
	checks := []expert.Check{
		{Name: expert.CheckTraining, Training: &expert.Training{Course: "Kokemusasiantuntijakoulutus", Provider: "county",
			Hours: 50, CompletedOn: osallisuus.NewDate(2026, 3, 12)}},
		{Name: expert.CheckAgreement, Version: 1, Until: osallisuus.NewDate(2027, 12, 31)},
		{Name: expert.CheckConfidentiality, Version: 1},
	}
	for _, c := range checks {
		if e, err = t.experts.RecordCheck(t.ctx, e.ID, c); err != nil {
			return e, !found, err
		}
	}
	e, err = t.experts.Activate(t.ctx, e.ID)
	return e, !found, err
}

// workshopRequest creates and opens the family-centre workshop request once.
func (t *tourRun) workshopRequest() (expert.Request, bool, error) {
	const unit = "perhekeskus-pohjoinen"
	for r, err := range t.db.Expert().ListRequests(t.ctx, expert.RequestFilter{Unit: unit, TaskType: "workshop"}) {
		if err != nil {
			return r, false, err
		}
		return r, false, nil
	}
	r, err := t.experts.CreateRequest(t.ctx, expert.Request{Unit: unit, TaskType: "workshop",
		Title: "Perhekeskuksen palvelupolun työpaja", Start: osallisuus.NewDate(2026, 4, 14).Time(13, 0), Minutes: 180,
		Location: "vaasa", Language: "fi", Experience: []string{"family-services"}, Perspective: expert.PerspectiveOwn, Needed: 1, Reserve: 1})
	if err != nil {
		return r, true, fmt.Errorf("create the request: %w", err)
	}
	r, err = t.experts.OpenRequest(t.ctx, r.ID)
	if err != nil {
		return r, true, fmt.Errorf("open the request: %w", err)
	}
	return r, true, nil
}

// tourSchedule is the county's fee schedule for 2026.
func tourSchedule() expert.Schedule {
	return expert.Schedule{ID: "tour-2026", ValidFrom: osallisuus.NewDate(2026, 1, 1),
		Rates: map[string]expert.Rate{
			"workshop":       {Basis: expert.RateBlock, HalfDayCents: 8000, DayCents: 15000, BeyondDayCentsPerHour: 2500},
			"staff-training": {Basis: expert.RateHourly, CentsPerHour: 3000},
		},
		PreparationCentsPerHour: 2000, MaxPreparationMinutes: 120, TravelCentsPerHour: 1000,
		MileageCentsPerKm: map[string]int64{"car": 57}}
}
