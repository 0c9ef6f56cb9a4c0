package panel_test

import (
	"fmt"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// bigPanel returns an active panel with members active user members (all seats taken)
// and waiting people on the waitlist, spread over languages, age bands and areas, with
// one extra slot of capacity in Members so a join does not grow the slice.
func bigPanel(tb testing.TB, members, waiting int) *panel.Panel {
	tb.Helper()
	c := panel.Defaults()
	c.Kind, c.Audience, c.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	c.Seats.User = panel.SeatRange{Min: members / 2, Max: members}
	c.Waitlist.Enabled = true
	c.Quotas = []panel.Quota{
		{ID: "sv", Dimension: panel.DimLanguage, Values: []string{"sv"}, Min: 1, Reserve: true},
		{ID: "north", Dimension: panel.DimArea, Values: []string{"north"}, Max: members},
	}
	id, _ := panel.NewPanelID()
	p := &panel.Panel{ID: id, Key: "big", Config: c, State: panel.StateActive,
		Members: make([]panel.Membership, 0, members+waiting+1)}
	langs := []string{"fi", "fi", "fi", "sv", "other"}
	bands := []string{"18-29", "30-64", "30-64", "65+"}
	areas := []string{"north", "south", "east"}
	for i := range members + waiting {
		who, _ := osallisuus.NewParticipantID()
		m := panel.Membership{Participant: who, Seat: panel.SeatUser, Voting: true, Since: now,
			Profile: panel.Profile{Language: langs[i%len(langs)], AgeBand: bands[i%len(bands)], Area: areas[i%len(areas)]}}
		state := panel.MemberActive
		if i >= members {
			state = panel.MemberWaitlisted
			p.NextSeq++
			m.Seq = p.NextSeq
		}
		m.State, m.Role = state, panel.RoleMember
		m.History = []panel.Change{{At: now, State: state, Role: panel.RoleMember}}
		p.Members = append(p.Members, m)
	}
	return p
}

func joiner(tb testing.TB, p *panel.Panel) (panel.Person, *panel.Consents) {
	who, _ := osallisuus.NewParticipantID()
	cons := &panel.Consents{}
	cons.Put(participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted,
		Query: participation.ConsentQuery{Subject: who, Purpose: "panel-membership", Scope: p.Scope(), At: now}})
	return panel.Person{ID: who, Profile: panel.Profile{Language: "fi", Area: "south"}}, cons
}

// admitOnce runs the admission decision of one joiner and takes it back, so the panel
// stays the same size between runs.
func admitOnce(tb testing.TB, p *panel.Panel, who panel.Person, cons *panel.Consents) {
	n, seq := len(p.Members), p.NextSeq
	res, err := p.Join(who, 0, false, cons, now)
	if err != nil || res.State != panel.MemberWaitlisted {
		tb.Fatalf("join = %+v, %v; want waitlisted", res, err)
	}
	p.Members, p.NextSeq = p.Members[:n], seq
}

// BenchmarkAdmit measures the admission decision (spec P2–P6) for one joiner of a full
// 500-member panel with a 2,000-person waitlist: checks, seat admissibility and the
// waitlist position.
func BenchmarkAdmit(b *testing.B) {
	p := bigPanel(b, 500, 2000)
	who, cons := joiner(b, p)
	b.ReportAllocs()
	for b.Loop() {
		admitOnce(b, p, who, cons)
	}
}

// BenchmarkRepresentativeness measures the representativeness report (§8) of a
// 500-member panel with a 2,000-person waitlist against targets in three dimensions.
func BenchmarkRepresentativeness(b *testing.B) {
	p := bigPanel(b, 500, 2000)
	targets := panel.Targets{
		panel.DimLanguage: {"fi": 800, "sv": 150, "other": 50},
		panel.DimAgeBand:  {"18-29": 200, "30-64": 500, "65+": 300},
		panel.DimArea:     {"north": 400, "south": 400, "east": 200},
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Report(targets)
	}
}

func BenchmarkAdmitBySize(b *testing.B) {
	for _, size := range []int{20, 500, 5000} {
		b.Run(fmt.Sprintf("members=%d", size), func(b *testing.B) {
			p := bigPanel(b, size, 4*size)
			who, cons := joiner(b, p)
			b.ReportAllocs()
			for b.Loop() {
				admitOnce(b, p, who, cons)
			}
		})
	}
}
