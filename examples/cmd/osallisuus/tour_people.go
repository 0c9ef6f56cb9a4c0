package main

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// tourPerson is one generated person of the tour. The labels are made up for the tour
// and live only in this program: the library stores no names.
type tourPerson struct {
	key   string
	label string
	kind  participation.Kind
	born  osallisuus.Date
	lang  string
	role  string
}

// tourPeople are the tour's generated people, in registration order.
var tourPeople = []tourPerson{
	{"aada", "Aada K.", participation.KindCustomer, osallisuus.NewDate(1986, 5, 1), "fi", "forum"},
	{"bertil", "Bertil S.", participation.KindCustomer, osallisuus.NewDate(1979, 9, 12), "sv", "forum"},
	{"cecilia", "Cecilia L.", participation.KindCustomer, osallisuus.NewDate(1992, 2, 28), "fi", "forum"},
	{"daniel", "Daniel M.", participation.KindCustomer, osallisuus.NewDate(1990, 11, 3), "fi", "forum"},
	{"eveliina", "Eveliina P.", participation.KindCustomer, osallisuus.NewDate(1995, 7, 19), "fi", "forum"},
	{"frans", "Frans H.", participation.KindCustomer, osallisuus.NewDate(1983, 4, 6), "sv", "forum"},
	{"helmi", "Helmi R.", participation.KindRelative, osallisuus.NewDate(1984, 1, 15), "fi", "guardian"},
	{"ilona", "Ilona R.", participation.KindCustomer, osallisuus.NewDate(2016, 8, 21), "fi", "child"},
	{"johanna", "Johanna V.", participation.KindOfficial, osallisuus.NewDate(1975, 10, 2), "fi", "staff"},
	{"kalle", "Kalle N.", participation.KindCustomer, osallisuus.NewDate(1981, 3, 30), "fi", "expert"},
	{"liisa", "Liisa T.", participation.KindRelative, osallisuus.NewDate(1969, 12, 8), "fi", "expert"},
	{"mikael", "Mikael B.", participation.KindCustomer, osallisuus.NewDate(1977, 6, 24), "sv", "expert"},
	{"noora", "Noora J.", participation.KindCustomer, osallisuus.NewDate(1998, 8, 1), "fi", "expert"},
}

// personID is the tour's fixed participant ID of a generated person.
func personID(key string) osallisuus.ParticipantID {
	return osallisuus.ParticipantID{UUID: tourID("participant", key)}
}

// tourPolicy is the county's list of purposes for the tour.
func tourPolicy() *participation.Policy {
	return &participation.Policy{Purposes: []participation.Purpose{
		{Name: "panel-membership", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
		{Name: "expert-profile", MaxDuration: "P3Y", MinNoticeVersion: 1},
		{Name: "experience-data", Explicit: true, MinNoticeVersion: 1},
		{Name: "feedback-reply", MaxDuration: "P1Y"},
		// participation: taking part in a co-development activity, asked in the
		// activity's scope (activity:<key>) by participation.ActivityService.
		{Name: "participation", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
	}}
}

// at is an instant on the tour's day before the tour clock, at h:m in Helsinki.
func at(d osallisuus.Date, h, m int) time.Time { return d.Time(h, m) }

// stepPeople registers the generated people and the guardian's representation.
func (t *tourRun) stepPeople() error {
	t.printf("Every person here is generated, none is real. The library keeps no names, identity codes")
	t.printf("or contact details: the labels below exist only in this program.")
	t.printf("")
	t.row("who", "kind", "born", "lang", "role", "data")
	for _, p := range tourPeople {
		id := personID(p.key)
		t.names[id] = p.label
		_, err := t.people.Register(t.ctx, participation.Participant{ID: id, Kind: p.kind, BirthDate: p.born, Language: p.lang})
		if err != nil && !errors.Is(err, osallisuus.ErrConflict) {
			return fmt.Errorf("register %s: %w", p.key, err)
		}
		t.row(p.label, string(p.kind), p.born.String(), p.lang, p.role, t.status(err == nil))
	}
	t.flush()

	rep := participation.Representation{ID: participation.RepresentationID{UUID: tourID("representation", "helmi-ilona")},
		Representative: personID("helmi"), Subject: personID("ilona"), Kind: participation.Guardian, From: osallisuus.NewDate(2016, 8, 21)}
	_, err := t.people.AddRepresentation(t.ctx, rep)
	if err != nil && !errors.Is(err, osallisuus.ErrConflict) {
		return fmt.Errorf("add guardian: %w", err)
	}
	t.printf("")
	t.printf("Huoltaja · Vårdnadshavare · Guardian: %s acts for %s (age %d) [%s]",
		t.name(rep.Representative), t.name(rep.Subject), osallisuus.AgeOn(osallisuus.NewDate(2016, 8, 21), osallisuus.DateOf(tourNow)),
		t.status(err == nil))
	return nil
}

// tourGrant is one consent event the tour records.
type tourGrant struct {
	subject, by, recordedBy string
	action                  participation.Action
	purpose, scope          string
	method                  participation.Method
	at                      time.Time
}

// tourGrants are the consents of the story, recorded before the tour clock.
func tourGrants() []tourGrant {
	day := osallisuus.NewDate(2026, 3, 16)
	var gs []tourGrant
	for _, k := range []string{"aada", "bertil", "cecilia", "daniel", "eveliina", "frans"} {
		gs = append(gs, tourGrant{subject: k, by: k, action: participation.Grant, purpose: "panel-membership",
			method: participation.Electronic, at: at(day, 10, 0)})
	}
	gs = append(gs,
		tourGrant{subject: "ilona", by: "helmi", action: participation.Grant, purpose: "contact",
			scope: "panel:family-forum", method: participation.Written, at: at(day, 11, 0)},
		tourGrant{subject: "cecilia", by: "cecilia", action: participation.Grant, purpose: "feedback-reply",
			method: participation.Electronic, at: at(day, 12, 0)})
	for _, k := range []string{"kalle", "liisa", "mikael", "noora"} {
		gs = append(gs, tourGrant{subject: k, by: k, action: participation.Grant, purpose: "expert-profile",
			method: participation.Written, at: at(day, 13, 0)})
	}
	gs = append(gs,
		tourGrant{subject: "mikael", by: "mikael", recordedBy: "johanna", action: participation.Grant, purpose: "experience-data",
			method: participation.Oral, at: at(day, 14, 0)},
		tourGrant{subject: "frans", by: "frans", action: participation.Withdraw, purpose: "panel-membership",
			method: participation.Electronic, at: at(osallisuus.NewDate(2026, 3, 20), 16, 30)})
	return gs
}

// stepConsents records the story's consents, once, and shows a refused event with its
// localized reason.
func (t *tourRun) stepConsents() error {
	t.row("subject", "action", "purpose", "scope", "by", "method", "authority", "data")
	stored := map[string][]participation.ConsentEvent{}
	for _, g := range tourGrants() {
		subject := personID(g.subject)
		authority, created, err := t.recordGrant(g, stored)
		if err != nil {
			return err
		}
		scope := g.scope
		if scope == "" {
			scope = "(global)"
		}
		t.row(t.name(subject), string(g.action), g.purpose, scope, t.name(personID(g.by)), string(g.method), string(authority), t.status(created))
	}
	t.flush()

	// A nine-year-old cannot grant alone: the purpose's self-consent age is 15.
	_, err := t.people.Record(t.ctx, participation.ConsentEvent{At: at(osallisuus.NewDate(2026, 3, 16), 11, 30),
		Subject: personID("ilona"), By: personID("ilona"), Action: participation.Grant, Purpose: "contact",
		Method: participation.Electronic, NoticeVersion: 1})
	if err == nil {
		return errors.New("a nine-year-old's own grant was accepted; the tour expected a refusal")
	}
	t.printf("")
	t.printf("Hylätty · Avvisad · Rejected: %s tries to grant %q alone (nothing is stored):", t.name(personID("ilona")), "contact")
	var re *osallisuus.RuleError
	if errors.As(err, &re) {
		t.printf("  reason: %s", re.Reasons[0])
	}
	for _, tag := range []language.Tag{language.Finnish, language.Swedish, language.English} {
		t.printf("  %s: %s", tag, osallisuus.Localize(err, tag))
	}
	return nil
}

// recordGrant records one consent event of the story once: an event of an earlier run
// is found in the subject's ledger (cached in stored) by what it says, since the ledger
// gives events new IDs. It returns the event's authority and whether it was recorded now.
func (t *tourRun) recordGrant(g tourGrant, stored map[string][]participation.ConsentEvent) (participation.AuthorityKind, bool, error) {
	subject := personID(g.subject)
	if _, seen := stored[g.subject]; !seen {
		evs, err := participation.Collect(t.db.Participation().Events(t.ctx, subject))
		if err != nil {
			return "", false, err
		}
		stored[g.subject] = evs
	}
	ev := participation.ConsentEvent{At: g.at, Subject: subject, By: personID(g.by), Action: g.action,
		Purpose: g.purpose, Scope: g.scope, Method: g.method, NoticeVersion: 1}
	if g.recordedBy != "" {
		ev.RecordedBy = personID(g.recordedBy)
	}
	i := slices.IndexFunc(stored[g.subject], func(s participation.ConsentEvent) bool {
		return s.At.Equal(ev.At) && s.Action == ev.Action && s.Purpose == ev.Purpose && s.Scope == ev.Scope && s.By == ev.By
	})
	if i >= 0 {
		return stored[g.subject][i].Authority.Kind, false, nil
	}
	got, err := t.people.Record(t.ctx, ev)
	if err != nil {
		return "", false, fmt.Errorf("record %s's %s: %w", g.subject, g.purpose, err)
	}
	stored[g.subject] = append(stored[g.subject], got)
	return got.Authority.Kind, true, nil
}
