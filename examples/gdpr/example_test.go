package gdpr_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
	"github.com/osallisuus/osallisuus/feedback"
	feedbackmem "github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/panel"
	panelmem "github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
	partmem "github.com/osallisuus/osallisuus/participation/memstore"
)

// A member of a customer forum who also sent feedback asks for her data, then to be
// forgotten. The export is one document that matches the published schema; the erasure
// takes her out of the forum, cuts her from the feedback and keeps the proof of her
// consents for three years.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	clock := osallisuus.FixedClock(now)
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "panel-membership"}, {Name: "feedback-reply", MaxDuration: "P1Y"}}}
	var s gdpr.Services
	s.Clock = clock
	s.Participation, _ = participation.NewService(participation.StoresOf(partmem.New()), policy, participation.Config{Clock: clock})
	s.Panel, _ = panel.NewService(panelmem.New(), s.Participation, s.Participation, panel.ServiceConfig{Clock: clock})
	s.Feedback, _ = feedback.NewService(feedbackmem.New(), s.Participation, feedback.Config{Clock: clock})

	// Her data: consents, a forum seat, feedback with a way to reply.
	her, _ := s.Participation.Register(ctx, participation.Participant{Kind: participation.KindCustomer,
		BirthDate: osallisuus.NewDate(1980, 2, 3), Language: "sv"})
	for _, purpose := range []string{"panel-membership", "feedback-reply"} {
		if _, err := s.Participation.Record(ctx, participation.ConsentEvent{At: now.Add(-time.Hour), Subject: her.ID, By: her.ID,
			Action: participation.Grant, Purpose: purpose, Method: participation.Electronic, NoticeVersion: 1}); err != nil {
			panic(err)
		}
	}
	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	cfg.Seats = panel.Seats{User: panel.SeatRange{Max: 8}}
	forum, _ := s.Panel.Create(ctx, panel.Panel{Name: osallisuus.Text{FI: "Asiakasfoorumi", SV: "Kundforum"}, Config: cfg})
	_, _ = s.Panel.Open(ctx, forum.ID)
	if _, err := s.Panel.Join(ctx, panel.JoinRequest{Panel: forum.ID, Who: her.ID}); err != nil {
		panic(err)
	}
	_, _ = s.Feedback.Submit(ctx, feedback.Intake{Channel: feedback.ChannelWeb, Sender: her.ID,
		Text: "Tack för hjälpen vid rådgivningen!", Contact: feedback.Contact{Email: "kund@example.invalid"}})

	doc, err := gdpr.Export(ctx, s, her.ID)
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(doc)
	fmt.Println("valid:", gdpr.Validate(b) == nil)
	fmt.Println("consent events:", len(doc.Participation.ConsentEvents), "memberships:", len(doc.Panel.Memberships),
		"contacts:", len(doc.Feedback.Contacts))

	erasure, err := gdpr.Erase(ctx, s, her.ID)
	if err != nil {
		panic(err)
	}
	for _, r := range erasure.Reports {
		fmt.Println(r.Package, "erased", r.Erased)
	}
	after, _ := gdpr.Export(ctx, s, her.ID)
	p := after.Participation.Participant
	fmt.Println("after: erased", p.Erased(), "birth date", p.BirthDate, "proof until", p.ProofUntil,
		"memberships", len(after.Panel.Memberships), "contacts", len(after.Feedback.Contacts))
	// Output:
	// valid: true
	// consent events: 2 memberships: 1 contacts: 1
	// panel erased [{events 1} {memberships 1}]
	// feedback erased [{contacts 1} {feedback-sender-links 1}]
	// participation erased [{participant-attributes 1}]
	// after: erased true birth date  proof until 2029-05-04 memberships 0 contacts 0
}
