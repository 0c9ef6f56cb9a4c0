package panel_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

var now = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func validConfig() panel.Config {
	c := panel.Defaults()
	c.Kind, c.Audience, c.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	c.Seats = panel.Seats{User: panel.SeatRange{Min: 1, Max: 3}, Official: panel.SeatRange{Max: 2}}
	c.Waitlist.Enabled = true
	return c
}

func activePanel(t *testing.T, c panel.Config) *panel.Panel {
	t.Helper()
	require.NoError(t, c.Validate())
	id, err := panel.NewPanelID()
	require.NoError(t, err)
	return &panel.Panel{ID: id, Key: "forum", Config: c, State: panel.StateActive}
}

func newPerson(t *testing.T) panel.Person {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	return panel.Person{ID: id}
}

// allowAll returns consents allowing every P2 query the rules ask, by answering the
// NeedConsentError loop as a service would.
func run(t *testing.T, p *panel.Panel, allowed bool, fn func(*panel.Consents) error) error {
	t.Helper()
	cons := &panel.Consents{}
	for range 1000 {
		saved := p.Clone()
		err := fn(cons)
		need, ok := errors.AsType[*panel.NeedConsentError](err)
		if !ok {
			return err
		}
		*p = saved
		reason := participation.ReasonGranted
		if !allowed {
			reason = participation.ReasonWithdrawn
		}
		cons.Put(participation.ConsentDecision{Allowed: allowed, Reason: reason, Query: need.Query})
	}
	t.Fatal("consent loop did not end")
	return nil
}

func reasonOf(err error) osallisuus.Reason {
	if re, ok := errors.AsType[*osallisuus.RuleError](err); ok && len(re.Reasons) > 0 {
		return re.Reasons[0]
	}
	return ""
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*panel.Config)
		field string
	}{
		{"a valid configuration passes", func(*panel.Config) {}, ""},
		{"a missing kind is required", func(c *panel.Config) { c.Kind = "" }, "kind"},
		{"a temporary panel needs a topic", func(c *panel.Config) {
			c.Kind, c.StartsOn, c.EndsOn = panel.KindTemporary, osallisuus.NewDate(2026, 1, 1), osallisuus.NewDate(2026, 6, 30)
		}, "topic"},
		{"a temporary panel needs an end date", func(c *panel.Config) {
			c.Kind, c.Topic, c.StartsOn = panel.KindTemporary, "x", osallisuus.NewDate(2026, 1, 1)
		}, "endsOn"},
		{"an end date not after the start is out of order", func(c *panel.Config) {
			c.StartsOn, c.EndsOn = osallisuus.NewDate(2026, 6, 1), osallisuus.NewDate(2026, 6, 1)
		}, "endsOn"},
		{"a statutory open panel is not allowed", func(c *panel.Config) { c.Statutory = panel.StatutoryElderly }, "statutory"},
		{"representsIn needs an appointed panel", func(c *panel.Config) { c.RepresentsIn = "board" }, "representsIn"},
		{"an empty purpose is required", func(c *panel.Config) { c.Purpose = " " }, "purpose"},
		{"no user seat is refused", func(c *panel.Config) { c.Seats.User = panel.SeatRange{} }, "seats.user.max"},
		{"a minimum above the maximum is out of range", func(c *panel.Config) { c.Seats.Official = panel.SeatRange{Min: 3, Max: 2} }, "seats.official.max"},
		{"reserved minimums above the user seats are refused", func(c *panel.Config) {
			c.Quotas = []panel.Quota{{ID: "sv", Dimension: panel.DimLanguage, Values: []string{"sv"}, Min: 4, Reserve: true}}
		}, "quotas"},
		{"a repeated quota id is a duplicate", func(c *panel.Config) {
			c.Quotas = []panel.Quota{{ID: "a", Dimension: panel.DimArea, Values: []string{"x"}}, {ID: "a", Dimension: panel.DimArea, Values: []string{"y"}}}
		}, "quotas[1].id"},
		{"a language outside fi, sv and other is unknown", func(c *panel.Config) {
			c.Quotas = []panel.Quota{{ID: "a", Dimension: panel.DimLanguage, Values: []string{"en"}}}
		}, "quotas[0].values[0]"},
		{"a quota maximum below its minimum is out of range", func(c *panel.Config) {
			c.Quotas = []panel.Quota{{ID: "a", Dimension: panel.DimArea, Values: []string{"x"}, Min: 2, Max: 1}}
		}, "quotas[0].max"},
		{"max consecutive terms without a term length is not allowed", func(c *panel.Config) { c.Term.MaxConsecutiveTerms = 2 }, "term.maxConsecutiveTerms"},
		{"a council term needs a calendar", func(c *panel.Config) { c.Term.Policy = panel.TermCouncilTerm }, "term.calendar"},
		{"a calendar under term length is not allowed", func(c *panel.Config) {
			c.Term.Calendar = []osallisuus.DateRange{{From: osallisuus.NewDate(2025, 6, 1), Until: osallisuus.NewDate(2029, 5, 31)}}
		}, "term.calendar"},
		{"overlapping calendar ranges are out of order", func(c *panel.Config) {
			c.Term.Policy = panel.TermCouncilTerm
			c.Term.Calendar = []osallisuus.DateRange{{From: osallisuus.NewDate(2025, 6, 1), Until: osallisuus.NewDate(2029, 5, 31)},
				{From: osallisuus.NewDate(2029, 5, 31), Until: osallisuus.NewDate(2033, 5, 31)}}
		}, "term.calendar[1].from"},
		{"a quorum fraction above one is out of range", func(c *panel.Config) { c.Quorum.Num, c.Quorum.Den = 3, 2 }, "quorum.num"},
		{"zero answer days are out of range", func(c *panel.Config) { c.AnswerPeriodDays = 0 }, "answerPeriodDays"},
		{"zero suppression is out of range", func(c *panel.Config) { c.Suppression = 0 }, "suppression"},
		{"no offer time is a bad period", func(c *panel.Config) { c.Waitlist.OfferTTL = osallisuus.Period{} }, "waitlist.offerTTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.edit(&c)
			err := c.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			require.True(t, ok)
			assert.True(t, ve.Has(tt.field), "problems %v do not name %s", ve.Problems, tt.field)
		})
	}
}

func TestAddWallClock(t *testing.T) {
	eet, eest := time.FixedZone("EET", 2*3600), time.FixedZone("EEST", 3*3600)
	tests := []struct {
		name   string
		from   time.Time
		period osallisuus.Period
		want   time.Time
	}{
		{"seven days across the spring change keep the wall clock (167 hours)",
			time.Date(2026, 3, 25, 10, 0, 0, 0, eet), osallisuus.Period{Days: 7}, time.Date(2026, 4, 1, 10, 0, 0, 0, eest)},
		{"a time the spring change skips moves an hour on",
			time.Date(2026, 3, 28, 3, 30, 0, 0, eet), osallisuus.Period{Days: 1}, time.Date(2026, 3, 29, 4, 30, 0, 0, eest)},
		{"a time the autumn change repeats takes its later occurrence",
			time.Date(2026, 10, 24, 3, 30, 0, 0, eest), osallisuus.Period{Days: 1}, time.Date(2026, 10, 25, 3, 30, 0, 0, eet)},
		{"days across the autumn change last 25 hours",
			time.Date(2026, 10, 24, 12, 0, 0, 0, eest), osallisuus.Period{Days: 1}, time.Date(2026, 10, 25, 12, 0, 0, 0, eet)},
		{"a month clamps the day of month",
			time.Date(2026, 1, 31, 9, 15, 30, 5, eet), osallisuus.Period{Months: 1}, time.Date(2026, 2, 28, 9, 15, 30, 5, eet)},
		{"a week over a year end",
			time.Date(2026, 12, 28, 23, 59, 0, 0, eet), osallisuus.Period{Weeks: 1}, time.Date(2027, 1, 4, 23, 59, 0, 0, eet)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := panel.AddWallClock(tt.from, tt.period)
			assert.True(t, got.Equal(tt.want), "got %s, want %s", got, tt.want)
		})
	}
}

func TestJoinAdmitsWaitlistsOrRefuses(t *testing.T) {
	sv := panel.Quota{ID: "sv", Dimension: panel.DimLanguage, Values: []string{"sv"}, Min: 1, Reserve: true}
	north := panel.Quota{ID: "north", Dimension: panel.DimArea, Values: []string{"north"}, Max: 1}
	tests := []struct {
		name     string
		quotas   []panel.Quota
		waitlist bool
		before   []panel.Profile
		who      panel.Profile
		minor    bool
		allowed  bool
		want     panel.MemberState
		wantErr  error
		reason   osallisuus.Reason
	}{
		{"a free seat and consent admit", nil, true, nil, panel.Profile{}, false, true, panel.MemberActive, nil, ""},
		{"missing consent refuses with the decision's reason", nil, true, nil, panel.Profile{}, false, false, "", osallisuus.ErrForbidden, "withdrawn"},
		{"a minor on an adults panel is refused", nil, true, nil, panel.Profile{}, true, true, "", osallisuus.ErrForbidden, panel.ReasonAudience},
		{"a full panel waitlists", nil, true, []panel.Profile{{}, {}, {}}, panel.Profile{}, false, true, panel.MemberWaitlisted, nil, panel.ReasonFull},
		{"a full panel without a waitlist refuses", nil, false, []panel.Profile{{}, {}, {}}, panel.Profile{}, false, true, "", osallisuus.ErrCapacity, panel.ReasonFull},
		{"a quota at its maximum waitlists its group", []panel.Quota{north}, true, []panel.Profile{{Area: "north"}}, panel.Profile{Area: "north"}, false, true, panel.MemberWaitlisted, nil, panel.ReasonQuotaMax},
		{"the last seat is kept for an unmet reserved quota", []panel.Quota{sv}, true, []panel.Profile{{}, {}}, panel.Profile{Language: "fi"}, false, true, panel.MemberWaitlisted, nil, panel.ReasonReservedForQuota},
		{"the reserved group takes the kept seat", []panel.Quota{sv}, true, []panel.Profile{{}, {}}, panel.Profile{Language: "sv"}, false, true, panel.MemberActive, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			c.Quotas, c.Waitlist.Enabled = tt.quotas, tt.waitlist
			p := activePanel(t, c)
			for _, prof := range tt.before {
				who := newPerson(t)
				who.Profile = prof
				require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
					_, err := p.Join(who, 0, false, cons, now)
					return err
				}))
			}
			before := p.Clone()
			who := newPerson(t)
			who.Profile, who.Minor = tt.who, tt.minor
			var res panel.JoinResult
			err := run(t, p, tt.allowed, func(cons *panel.Consents) error {
				var err error
				res, err = p.Join(who, 0, true, cons, now)
				return err
			})
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Equal(t, tt.reason, reasonOf(err))
				assert.Equal(t, len(before.Members), len(p.Members), "a refused join changes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.State)
			assert.Equal(t, tt.reason, res.Reason)
			require.NoError(t, p.Invariants())
		})
	}
}

func TestLeaveIsNeverRefusedAndOffersTheSeat(t *testing.T) {
	c := validConfig()
	c.Seats.User.Max = 1
	p := activePanel(t, c)
	a, b := newPerson(t), newPerson(t)
	for _, who := range []panel.Person{a, b} {
		require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
			_, err := p.Join(who, 0, false, cons, now)
			return err
		}))
	}
	var r panel.EndReason
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
		var err error
		r, err = p.Leave(a.ID, cons, now.Add(time.Hour))
		return err
	}))
	assert.Equal(t, panel.EndLeft, r)
	m := p.Members[p.Current(b.ID)]
	assert.Equal(t, panel.MemberOffered, m.State, "the first waiting person is offered the freed seat")
	assert.True(t, m.OfferDeadline.Equal(now.Add(time.Hour+7*24*time.Hour)), "the offer holds for the default seven days")
	again, err := p.Leave(a.ID, &panel.Consents{}, now.Add(2*time.Hour))
	require.NoError(t, err, "leaving twice is not refused")
	assert.Equal(t, panel.EndLeft, again)
}

func TestSettleExpiresOffersAndClosesPanels(t *testing.T) {
	c := validConfig()
	c.Kind, c.Topic = panel.KindTemporary, "new service"
	c.StartsOn, c.EndsOn = osallisuus.NewDate(2026, 3, 1), osallisuus.NewDate(2026, 3, 31)
	c.Seats.User.Max = 1
	c.Waitlist.OfferTTL = osallisuus.Period{Days: 2}
	p := activePanel(t, c)
	a, b, d := newPerson(t), newPerson(t), newPerson(t)
	for _, who := range []panel.Person{a, b, d} {
		require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
			_, err := p.Join(who, 0, false, cons, now)
			return err
		}))
	}
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
		_, err := p.Leave(a.ID, cons, now)
		return err
	}))
	deadline := p.Members[p.Current(b.ID)].OfferDeadline
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error { return p.Settle(deadline.Add(-time.Second), cons) }))
	assert.Equal(t, panel.MemberOffered, p.Members[p.Current(b.ID)].State, "an offer holds until its deadline")
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error { return p.Settle(deadline, cons) }))
	assert.Equal(t, panel.EndOfferExpired, p.Members[p.Current(b.ID)].Reason, "an offer expires at its deadline")
	assert.Equal(t, panel.MemberOffered, p.Members[p.Current(d.ID)].State, "the seat goes to the next person")
	end := osallisuus.NewDate(2026, 4, 1).Start()
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error { return p.Settle(end.Add(-time.Second), cons) }))
	assert.Equal(t, panel.StateActive, p.State)
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error { return p.Settle(end, cons) }))
	assert.Equal(t, panel.StateClosed, p.State, "a temporary panel closes at 00:00 Helsinki after its end date")
	for _, m := range p.Members {
		assert.Equal(t, panel.MemberEnded, m.State)
	}
}

func TestAssignKeepsOneChair(t *testing.T) {
	c := validConfig()
	c.Roles.ChairFrom = panel.ChairFromUser
	p := activePanel(t, c)
	a, b, o := newPerson(t), newPerson(t), newPerson(t)
	for _, who := range []panel.Person{a, b} {
		require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
			_, err := p.Join(who, 0, false, cons, now)
			return err
		}))
	}
	require.NoError(t, p.AddOfficial(o.ID, true, panel.AffiliationCounty, &panel.Consents{}, now))
	require.NoError(t, p.Assign(a.ID, panel.RoleChair, false, now))
	err := p.Assign(b.ID, panel.RoleChair, false, now)
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, panel.ReasonChairTaken, reasonOf(err))
	err = p.Assign(o.ID, panel.RoleChair, true, now)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	assert.Equal(t, panel.ReasonChairFrom, reasonOf(err))
	require.NoError(t, p.Assign(b.ID, panel.RoleChair, true, now))
	assert.Equal(t, panel.RoleMember, p.Members[p.Current(a.ID)].Role, "the replaced chair becomes a member")
	require.NoError(t, p.Invariants())
	require.ErrorIs(t, p.Assign(a.ID, "president", false, now), osallisuus.ErrInvalid)
}

func TestComputeQuorum(t *testing.T) {
	c := validConfig()
	c.Seats.User.Max = 4
	c.Roles.Deputies = true
	p := activePanel(t, c)
	var users []panel.Person
	for range 4 {
		who := newPerson(t)
		users = append(users, who)
		require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
			_, err := p.Join(who, 0, false, cons, now)
			return err
		}))
	}
	dep := newPerson(t)
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
		return p.AddDeputy(dep, users[3].ID, false, cons, now)
	}))
	require.NoError(t, p.Assign(users[0].ID, panel.RoleChair, false, now))
	start := now.Add(24 * time.Hour)
	att := func(a ...panel.Attendance) map[osallisuus.ParticipantID]panel.Attendance {
		m := map[osallisuus.ParticipantID]panel.Attendance{}
		for i, u := range users {
			m[u.ID] = a[i]
		}
		m[dep.ID] = a[4]
		return m
	}
	tests := []struct {
		name       string
		att        map[osallisuus.ParticipantID]panel.Attendance
		num        int
		quorate    bool
		chairOrVic bool
	}{
		{"half of the seats is not more than half", att(panel.Present, panel.Present, panel.Absent, panel.Absent, panel.Absent), 2, false, true},
		{"a deputy stands in for an excused principal", att(panel.Present, panel.Present, panel.Absent, panel.Excused, panel.Present), 3, true, true},
		{"remote attendance counts", att(panel.Remote, panel.Present, panel.Remote, panel.Absent, panel.Absent), 3, true, true},
		{"without the chair nothing is quorate", att(panel.Absent, panel.Present, panel.Present, panel.Present, panel.Absent), 3, false, false},
		{"a deputy of a present principal adds nothing", att(panel.Present, panel.Absent, panel.Absent, panel.Present, panel.Present), 2, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := panel.ComputeQuorum(p, start, tt.att)
			assert.Equal(t, 4, q.Denominator)
			assert.Equal(t, tt.num, q.Numerator)
			assert.Equal(t, tt.quorate, q.Quorate)
			assert.Equal(t, tt.chairOrVic, q.ChairOrVice)
		})
	}
}

func TestProposalLifecycle(t *testing.T) {
	c := validConfig()
	c.RequireQuorateAdoption = false
	p := activePanel(t, c)
	id, _ := panel.NewProposalID()
	_, err := panel.Submit(p, id, "petition", "x", nil, now)
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "an unknown kind is invalid")
	prop, err := panel.Submit(p, id, panel.KindInitiative, "Open on evenings.", nil, now)
	require.NoError(t, err)
	assert.Equal(t, osallisuus.NewDate(2026, 4, 1), prop.AnswerDue)
	assert.False(t, prop.Overdue(osallisuus.NewDate(2026, 4, 1)), "due today is not overdue")
	assert.True(t, prop.Overdue(osallisuus.NewDate(2026, 4, 2)))
	require.ErrorIs(t, prop.AnswerWith(panel.Answer{Outcome: panel.Accepted, Justification: " \t"}, now), osallisuus.ErrInvalid)
	require.ErrorIs(t, prop.MarkImplemented("done", osallisuus.NewDate(2026, 3, 1), now), osallisuus.ErrConflict)
	require.NoError(t, prop.AnswerWith(panel.Answer{Outcome: panel.Declined, Justification: "No funding."}, now))
	err = prop.MarkImplemented("done", osallisuus.NewDate(2026, 3, 1), now)
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, panel.ReasonDeclined, reasonOf(err))
	require.ErrorIs(t, prop.AnswerWith(panel.Answer{Outcome: panel.Accepted, Justification: "x"}, now), osallisuus.ErrConflict,
		"an answer is never edited")
}

func TestTenthsJSON(t *testing.T) {
	for v, want := range map[panel.Tenths]string{0: "0", 556: "55.6", 1000: "100", -5: "-0.5", -100: "-10", 45: "4.5"} {
		b, err := v.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
}

func TestCompositionStatusShowsUnmetMinimums(t *testing.T) {
	c := validConfig()
	c.Seats.User = panel.SeatRange{Min: 2, Max: 3}
	c.Quotas = []panel.Quota{{ID: "vaasa", Dimension: panel.DimArea, Values: []string{"vaasa"}, Min: 1, Max: 1},
		{ID: "mustasaari", Dimension: panel.DimArea, Values: []string{"mustasaari"}, Min: 1, Max: 1}}
	p := activePanel(t, c)
	who := newPerson(t)
	who.Profile.Area = "vaasa"
	require.NoError(t, run(t, p, true, func(cons *panel.Consents) error {
		_, err := p.Join(who, 0, false, cons, now)
		return err
	}))
	s := p.CompositionStatus()
	assert.Equal(t, panel.SeatStatus{Held: 1, Min: 2, Max: 3, Missing: 1}, s.User)
	assert.Equal(t, []panel.QuotaStatus{{ID: "vaasa", Count: 1, Min: 1, Max: 1}, {ID: "mustasaari", Min: 1, Max: 1, Missing: 1}}, s.Quotas)
	assert.True(t, s.ChairOpen, "nobody chairs yet")
}

func TestForbiddenTransitionsAreConflicts(t *testing.T) {
	planned := func() *panel.Meeting { return &panel.Meeting{State: panel.MeetingPlanned, Start: now.Add(time.Hour)} }
	tests := []struct {
		name   string
		do     func() error
		kind   error
		reason osallisuus.Reason
	}{
		{"a cancelled meeting cannot be cancelled", func() error { m := planned(); _ = m.Cancel(""); return m.Cancel("") }, osallisuus.ErrConflict, "cancelled"},
		{"a cancelled meeting cannot be rescheduled", func() error { m := planned(); _ = m.Cancel(""); return m.Reschedule(now.Add(2*time.Hour), now) }, osallisuus.ErrConflict, "cancelled"},
		{"a meeting cannot move into the past", func() error { return planned().Reschedule(now.Add(-time.Hour), now) }, osallisuus.ErrInvalid, ""},
		{"a planned meeting has no minutes", func() error { return planned().DraftMinutes("x") }, osallisuus.ErrConflict, "planned"},
		{"a proposal in review cannot be withdrawn", func() error {
			p := &panel.Proposal{State: panel.ProposalSubmitted}
			_ = p.StartReview()
			return p.Withdraw()
		}, osallisuus.ErrConflict, "in-review"},
		{"a withdrawn proposal takes no answer", func() error {
			p := &panel.Proposal{State: panel.ProposalSubmitted}
			_ = p.Withdraw()
			return p.AnswerWith(panel.Answer{Outcome: panel.Accepted, Justification: "x"}, now)
		}, osallisuus.ErrConflict, "withdrawn"},
		{"an unanswered proposal takes no note", func() error { return (&panel.Proposal{State: panel.ProposalSubmitted}).AddNote("x", now) }, osallisuus.ErrConflict, "submitted"},
		{"a selected call cannot be cancelled", func() error { return (&panel.Call{State: panel.CallSelected}).Cancel() }, osallisuus.ErrConflict, "selected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			require.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.reason, reasonOf(err))
		})
	}
}
