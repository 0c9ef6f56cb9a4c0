package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/participation"
)

// tourVisitor is the tour's person who asks for her data and then to be forgotten. She
// is not in tourPeople: the other steps must not meet her once she is erased.
var tourVisitor = tourPerson{"oona", "Oona V.", participation.KindPotentialCustomer, osallisuus.NewDate(1991, 10, 9), "fi", "visitor"}

// stepRights shows the data-subject rights: a visitor gives feedback with a way to reply,
// asks for everything stored about her (one document for every package), and then to be
// forgotten. A later run finds her erased and shows what is left.
func (t *tourRun) stepRights() error {
	v := tourVisitor
	id := personID(v.key)
	t.names[id] = v.label
	svcs := gdpr.Services{Participation: t.people, Panel: t.panels, Expert: t.experts, Feedback: t.feedback, Clock: t.clock}
	p, err := t.people.Participant(t.ctx, id)
	switch {
	case errors.Is(err, osallisuus.ErrNotFound):
		if err := t.visitorData(id); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if p.Erased() {
		t.printf("%s was erased by an earlier run on %s [reused]; what is left of her:", v.label, osallisuus.DateOf(p.ErasedAt))
		return t.printExport(svcs, id)
	}

	t.printf("%s asks what is stored about her (GDPR Art 15): one document, every package:", v.label)
	if err := t.printExport(svcs, id); err != nil {
		return err
	}
	t.printf("")
	t.printf("Then she asks to be forgotten (Art 17):")
	e, err := gdpr.Erase(t.ctx, svcs, id)
	if err != nil {
		return err
	}
	t.row("package", "erased", "kept (basis, until)")
	for _, r := range e.Reports {
		var erased, kept []string
		for _, c := range r.Erased {
			erased = append(erased, fmt.Sprintf("%s %d", c.Kind, c.Count))
		}
		for _, k := range r.Retained {
			s := fmt.Sprintf("%s %d (%s", k.Kind, k.Count, k.Basis)
			if !k.Until.IsZero() {
				s += ", " + k.Until.String()
			}
			kept = append(kept, s+")")
		}
		t.row(r.Package, orDash(strings.Join(erased, ", ")), orDash(strings.Join(kept, ", ")))
	}
	t.flush()
	d, err := t.people.CheckConsent(t.ctx, participation.ConsentQuery{Subject: id, Purpose: "feedback-reply", At: tourNow})
	if err != nil {
		return err
	}
	t.printf("A consent question about her now: %s (%s). The consent events stay as the proof", allowedWord(d.Allowed), d.Reason)
	t.printf("the county must keep (Art 7(1)); the retention job purges them when the period ends.")
	t.printf("Try it: osallisuus participant list|export|erase|retention --db %s", redactDSN(t.dsn))
	return nil
}

// visitorData registers the visitor, records her consent to be answered and stores her
// feedback with a reply address (generated, undeliverable).
func (t *tourRun) visitorData(id osallisuus.ParticipantID) error {
	v := tourVisitor
	if _, err := t.people.Register(t.ctx, participation.Participant{ID: id, Kind: v.kind, BirthDate: v.born, Language: v.lang}); err != nil {
		return fmt.Errorf("register %s: %w", v.key, err)
	}
	if _, err := t.people.Record(t.ctx, participation.ConsentEvent{At: tourNow.Add(-2 * time.Hour), Subject: id, By: id,
		Action: participation.Grant, Purpose: "feedback-reply", Method: participation.Electronic, NoticeVersion: 1}); err != nil {
		return fmt.Errorf("consent of %s: %w", v.key, err)
	}
	_, err := t.feedback.Submit(t.ctx, feedback.Intake{Channel: feedback.ChannelWeb, Sender: id, UnitCode: "neuvola-keskusta",
		Text:       "Voisiko neuvolan iltavastaanottoa jatkaa? Vastatkaa sähköpostiini.",
		ReceivedAt: tourNow.Add(-time.Hour), Contact: feedback.Contact{Email: "oona.v@example.invalid"}})
	if err != nil {
		return fmt.Errorf("feedback of %s: %w", v.key, err)
	}
	return nil
}

// printExport prints the size of each package's part of id's export.
func (t *tourRun) printExport(svcs gdpr.Services, id osallisuus.ParticipantID) error {
	doc, err := gdpr.Export(t.ctx, svcs, id)
	if err != nil {
		return err
	}
	p := doc.Participation.Participant
	born := "–"
	if !p.BirthDate.IsZero() {
		born = p.BirthDate.String()
	}
	t.row("package", "what")
	t.row("participation", fmt.Sprintf("born %s, %d consent events, %d activity records", born,
		len(doc.Participation.ConsentEvents), len(doc.Participation.ActivityRecords)))
	t.row("panel", fmt.Sprintf("%d memberships, %d applications", len(doc.Panel.Memberships), len(doc.Panel.Applications)))
	t.row("expert", fmt.Sprintf("%d expert records", len(doc.Expert.Experts)))
	t.row("feedback", fmt.Sprintf("%d feedback, %d contacts, %d survey answers", len(doc.Feedback.Feedback),
		len(doc.Feedback.Contacts), len(doc.Feedback.SurveyResponses)))
	t.flush()
	return nil
}

// orDash is s, or "–" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
