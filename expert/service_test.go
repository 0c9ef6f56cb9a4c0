package expert_test

import (
	"context"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/memstore"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consents answers every purpose with allowed, except the purposes in denied.
func consents(denied ...string) participation.ConsentChecker {
	return participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		for _, d := range denied {
			if d == q.Purpose {
				return participation.ConsentDecision{Allowed: false, Reason: "no-consent", Query: q}, nil
			}
		}
		return participation.ConsentDecision{Allowed: true, Reason: "granted", Query: q}, nil
	})
}

type fixture struct {
	svc   *expert.Service
	store *memstore.Store
	clock *time.Time
}

func newFixture(t *testing.T, cc participation.ConsentChecker) fixture {
	t.Helper()
	now := helsinki(3, 4, 9, 0)
	st := memstore.New()
	svc, err := expert.NewService(st, cc, expert.Config{
		Clock: osallisuus.ClockFunc(func() time.Time { return now }),
		Conflicts: expert.ConflictCheckerFunc(func(_ context.Context, e expert.Expert, unit string, _ osallisuus.Date) (bool, error) {
			return unit == "own-unit" && e.Profile.Remote, nil
		})})
	require.NoError(t, err)
	require.NoError(t, svc.AddSchedule(t.Context(), workedSchedule()))
	return fixture{svc: svc, store: st, clock: &now}
}

func (f fixture) active(t *testing.T, p expert.Profile) expert.Expert {
	t.Helper()
	ctx := t.Context()
	who, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	e, err := f.svc.Register(ctx, who, expert.ExpertID{})
	require.NoError(t, err)
	for _, c := range allChecks(osallisuus.NewDate(2027, 12, 31))[:3] {
		_, err = f.svc.RecordCheck(ctx, e.ID, c)
		require.NoError(t, err)
	}
	_, err = f.svc.SetProfile(ctx, e.ID, 0, p, expert.ActorExpert)
	require.NoError(t, err)
	e, err = f.svc.Activate(ctx, e.ID)
	require.NoError(t, err)
	return e
}

func (f fixture) request(t *testing.T, start time.Time, needed int) expert.Request {
	t.Helper()
	r, err := f.svc.CreateRequest(t.Context(), expert.Request{Unit: "family-centre-east", TaskType: "workshop",
		Start: start, Minutes: 180, Location: "turku", Language: "fi", Needed: needed, Reserve: -1,
		PreparationMinutes: 60, ConflictCheck: true})
	require.NoError(t, err)
	r, err = f.svc.OpenRequest(t.Context(), r.ID)
	require.NoError(t, err)
	return r
}

func turkuProfile() expert.Profile {
	return expert.Profile{Experience: []expert.Experience{exp("family-services", expert.PerspectiveOwn)},
		Languages: []string{"fi"}, Areas: []string{"turku"},
		Travel: map[string]expert.Travel{"turku": {Minutes: 25, Km: 18}}}
}

func TestRegisterNeedsConsent(t *testing.T) {
	f := newFixture(t, consents("expert-profile"))
	who, _ := osallisuus.NewParticipantID()
	_, err := f.svc.Register(t.Context(), who, expert.ExpertID{})
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	n := 0
	for range f.store.ListExperts(t.Context(), expert.ExpertFilter{}) {
		n++
	}
	assert.Zero(t, n, "nothing is stored on a refusal")
}

func TestRegisterTwiceIsConflict(t *testing.T) {
	f := newFixture(t, consents())
	who, _ := osallisuus.NewParticipantID()
	_, err := f.svc.Register(t.Context(), who, expert.ExpertID{})
	require.NoError(t, err)
	_, err = f.svc.Register(t.Context(), who, expert.ExpertID{})
	require.ErrorIs(t, err, osallisuus.ErrConflict)
}

func TestActivateWithWithdrawnConsentNamesIt(t *testing.T) {
	f := newFixture(t, consents("expert-profile"))
	st := memstore.New()
	svc, err := expert.NewService(st, consents(), expert.Config{Clock: osallisuus.FixedClock(*f.clock)})
	require.NoError(t, err)
	who, _ := osallisuus.NewParticipantID()
	e, err := svc.Register(t.Context(), who, expert.ExpertID{})
	require.NoError(t, err)
	// The same store, now behind a checker where the profile consent was withdrawn.
	svc2, err := expert.NewService(st, consents("expert-profile"), expert.Config{Clock: osallisuus.FixedClock(*f.clock)})
	require.NoError(t, err)
	for _, c := range allChecks(osallisuus.NewDate(2027, 12, 31))[:3] {
		_, err = svc2.RecordCheck(t.Context(), e.ID, c)
		require.NoError(t, err)
	}
	_, err = svc2.Activate(t.Context(), e.ID)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	re := err.(*osallisuus.RuleError)
	assert.Equal(t, expert.LapsedChecks{Names: []string{"consent:expert-profile"}}, re.Detail)
}

func TestSetProfile(t *testing.T) {
	f := newFixture(t, consents())
	e := f.active(t, turkuProfile())
	p := turkuProfile()
	p.Caps.Earnings = []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 30000}}
	_, err := f.svc.SetProfile(t.Context(), e.ID, 0, p, expert.ActorCoordinator)
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "a cap is the expert's own choice")
	_, err = f.svc.SetProfile(t.Context(), e.ID, e.Version-1, p, expert.ActorExpert)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "a stale version")
	bad := turkuProfile()
	bad.Experience[0].Code = "astrology"
	_, err = f.svc.SetProfile(t.Context(), e.ID, 0, bad, expert.ActorExpert)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.True(t, err.(*osallisuus.ValidationError).Has("profile.experience[0].code"))
	got, err := f.svc.SetProfile(t.Context(), e.ID, e.Version, p, expert.ActorExpert)
	require.NoError(t, err)
	assert.Equal(t, int64(30000), got.Profile.Caps.Earnings[0].Cents)
	assert.Equal(t, e.Version+1, got.Version)
}

func TestOfferAcceptComplete(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	e := f.active(t, turkuProfile())
	r := f.request(t, helsinki(3, 10, 13, 0), 1)
	assert.Equal(t, 2, r.Reserve, "a negative reserve is the default 2")

	xs, err := f.svc.Match(ctx, r.ID, false)
	require.NoError(t, err)
	require.Len(t, xs, 1)
	assert.Equal(t, expert.ProposeOffer, xs[0].Proposed)

	a, err := f.svc.Offer(ctx, r.ID, e.ID, false)
	require.NoError(t, err)
	assert.Equal(t, expert.StatusOffered, a.Status)
	assert.Equal(t, int64(11000), a.ProjectedFeeCents)
	_, err = f.svc.Offer(ctx, r.ID, e.ID, false)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "one assignment per expert per request (X2)")

	a, err = f.svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{})
	require.NoError(t, err)
	assert.Equal(t, expert.StatusAccepted, a.Status)
	got, err := f.svc.GetRequest(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.RequestFilled, got.Effective(*f.clock))

	_, _, err = f.svc.Complete(ctx, r.ID, a.ID, expert.Actuals{Minutes: 180})
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "the task has not started")
	*f.clock = helsinki(3, 10, 17, 0)
	_, _, err = f.svc.Complete(ctx, r.ID, a.ID, expert.Actuals{Minutes: 0})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	done, payout, err := f.svc.Complete(ctx, r.ID, a.ID, expert.Actuals{Minutes: 180, PreparationMinutes: 60,
		Travel: expert.Travel{Minutes: 50, Km: 36}, Receipts: []expert.Receipt{{Kind: expert.LineParking, Cents: 400}}})
	require.NoError(t, err)
	assert.Equal(t, expert.StatusDone, done.Status)
	assert.Equal(t, int64(11000), payout.FeeCents)
	assert.Equal(t, int64(2452), payout.ExpenseCents)
	assert.Equal(t, day(4, 15), payout.PaymentDate)
	assert.Equal(t, expert.PayoutDraft, payout.State)
	stored, err := f.store.GetPayout(ctx, payout.ID)
	require.NoError(t, err)
	assert.Equal(t, payout.Lines, stored.Lines)
}

func TestAcceptOverCapNeedsTheExpertsChoice(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	p := turkuProfile()
	p.Caps.Earnings = []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 20000}}
	e := f.active(t, p)
	_, err := f.store.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
		x.Totals = map[string]int64{"2026-04": 15000}
		return nil
	})
	require.NoError(t, err)
	r := f.request(t, helsinki(3, 10, 13, 0), 1)

	_, err = f.svc.Offer(ctx, r.ID, e.ID, false)
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "over the cap without includeOverCap")
	a, err := f.svc.Offer(ctx, r.ID, e.ID, true)
	require.NoError(t, err)
	require.Len(t, a.Warnings, 1, "the offer carries the cap warning (E14)")
	assert.Equal(t, expert.CapExceeds, a.Warnings[0].Level)

	_, err = f.svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{})
	require.ErrorIs(t, err, osallisuus.ErrCapacity)
	_, err = f.svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{Choice: expert.ChoiceAcknowledgeExceed, By: expert.ActorCoordinator})
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "a coordinator cannot choose for the expert")
	a, err = f.svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{Choice: expert.ChoiceLimitFeeToCap, By: expert.ActorExpert})
	require.NoError(t, err)
	require.NotNil(t, a.Decision)
	assert.Equal(t, expert.ChoiceLimitFeeToCap, a.Decision.Choice)
	assert.Equal(t, int64(5000), a.ProjectedFeeCents, "paid up to the cap: 20,000 - 15,000")
}

func TestDeclineAndRetire(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	e := f.active(t, turkuProfile())
	r1 := f.request(t, helsinki(3, 10, 13, 0), 1)
	r2 := f.request(t, helsinki(3, 20, 13, 0), 1)
	a1, err := f.svc.Offer(ctx, r1.ID, e.ID, false)
	require.NoError(t, err)
	require.NoError(t, f.svc.Decline(ctx, r1.ID, a1.ID))
	require.ErrorIs(t, f.svc.Decline(ctx, r1.ID, a1.ID), osallisuus.ErrConflict)
	a2, err := f.svc.Offer(ctx, r2.ID, e.ID, false)
	require.NoError(t, err)
	_, err = f.svc.Accept(ctx, r2.ID, a2.ID, expert.AcceptOptions{})
	require.NoError(t, err)

	got, err := f.svc.Retire(ctx, e.ID, day(3, 15))
	require.NoError(t, err)
	assert.Equal(t, expert.StateRetired, got.State)
	r, err := f.svc.GetRequest(ctx, r2.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.StatusCancelledByUnit, r.Assignments[0].Status, "accepted work after retiring is cancelled (E3)")
	r3 := f.request(t, helsinki(3, 25, 13, 0), 1)
	_, err = f.svc.Offer(ctx, r3.ID, e.ID, false)
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "retired experts receive no offers (X8)")
	assert.True(t, err.(*osallisuus.RuleError).Has(expert.ReasonNotActive))
}

func TestConflictCheckerExcludes(t *testing.T) {
	f := newFixture(t, consents())
	p := turkuProfile()
	p.Remote = true // the fixture's checker reports a conflict for remote-capable experts of own-unit
	e := f.active(t, p)
	r, err := f.svc.CreateRequest(t.Context(), expert.Request{Unit: "own-unit", TaskType: "talk",
		Start: helsinki(3, 10, 13, 0), Minutes: 60, Location: "turku", Language: "fi", Needed: 1, ConflictCheck: true})
	require.NoError(t, err)
	_, err = f.svc.OpenRequest(t.Context(), r.ID)
	require.NoError(t, err)
	_, err = f.svc.Offer(t.Context(), r.ID, e.ID, false)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	assert.True(t, err.(*osallisuus.RuleError).Has(expert.ReasonConflictOfInterest))
}

func TestNewServiceRefusesBadConfig(t *testing.T) {
	_, err := expert.NewService(nil, nil, expert.Config{Settings: expert.Settings{WindowDays: -1}})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve := err.(*osallisuus.ValidationError)
	assert.True(t, ve.Has("store"))
	assert.True(t, ve.Has("consent"))
	assert.True(t, ve.Has("config.settings.windowDays"))
}

func TestReviewAllPausesLapsedExperts(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	e := f.active(t, turkuProfile())
	_, err := f.svc.RecordCheck(ctx, e.ID, expert.Check{Name: "agreement", Until: day(3, 20)})
	require.NoError(t, err)
	reminders, err := f.svc.ReviewAll(ctx)
	require.NoError(t, err)
	require.Len(t, reminders, 1)
	assert.Equal(t, "agreement", reminders[0].Check)
	*f.clock = helsinki(3, 21, 9, 0)
	_, err = f.svc.ReviewAll(ctx)
	require.NoError(t, err)
	got, err := f.svc.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.StatePaused, got.State)
	assert.Equal(t, expert.PauseCheckLapsed, got.PauseReason, "the lapse is persisted with its reason, never silently")
	_, err = f.svc.Resume(ctx, e.ID)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
}

func TestCancelRequestPaysALateCancellation(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	sc := workedSchedule()
	sc.ID, sc.ValidFrom, sc.LateCancelHours, sc.LateCancelPercent = "2026-late", day(3, 5), 48, 50
	require.NoError(t, f.svc.AddSchedule(ctx, sc))
	e1 := f.active(t, turkuProfile())
	e2 := f.active(t, turkuProfile())
	r := f.request(t, helsinki(3, 10, 13, 0), 1)
	a1, err := f.svc.Offer(ctx, r.ID, e1.ID, false)
	require.NoError(t, err)
	a2, err := f.svc.Offer(ctx, r.ID, e2.ID, false)
	require.NoError(t, err)
	_, err = f.svc.Accept(ctx, r.ID, a1.ID, expert.AcceptOptions{})
	require.NoError(t, err)

	*f.clock = helsinki(3, 9, 13, 0) // 24 hours before the start: late
	got, err := f.svc.CancelRequest(ctx, r.ID, "unit-closed")
	require.NoError(t, err)
	assert.Equal(t, expert.RequestCancelled, got.State)
	assert.Equal(t, expert.StatusCancelledByUnit, got.Assignments[0].Status)
	assert.Equal(t, a2.ID, got.Assignments[1].ID)
	assert.Equal(t, expert.StatusWithdrawn, got.Assignments[1].Status, "a pending offer is withdrawn")
	var payouts []expert.Payout
	for p, err := range f.store.ListPayouts(ctx, expert.PayoutFilter{Expert: e1.ID}) {
		require.NoError(t, err)
		payouts = append(payouts, p)
	}
	require.Len(t, payouts, 1)
	assert.Equal(t, []expert.Line{{Kind: expert.LineLateCancellation, Quantity: 50, UnitCents: 8000, Cents: 4000, CountsTowardCap: true}}, payouts[0].Lines)
	_, err = f.svc.CancelRequest(ctx, r.ID, "again")
	require.ErrorIs(t, err, osallisuus.ErrConflict)
}

func TestAnExpiredOfferNoLongerHoldsAPlace(t *testing.T) {
	in := workedInput()
	in.Request.Needed = 1
	in.Request.OfferDeadline = helsinki(3, 6, 12, 0)
	in.Request.Assignments = []expert.Assignment{{Expert: idOf("Z"), Status: expert.StatusOffered}}
	xs, err := expert.Match(in)
	require.NoError(t, err)
	assert.Equal(t, expert.ProposeReserve, xs[0].Proposed, "the open offer holds the only place")
	in.Now = helsinki(3, 6, 12, 0)
	xs, err = expert.Match(in)
	require.NoError(t, err)
	assert.Equal(t, expert.ProposeOffer, xs[0].Proposed, "past the deadline the offer has expired")
}

func TestEraseProfileAfterRetiring(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	e := f.active(t, turkuProfile())
	_, err := f.svc.EraseProfile(ctx, e.ID)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "an active record keeps its profile")
	_, err = f.svc.Retire(ctx, e.ID, day(3, 31))
	require.NoError(t, err)
	got, err := f.svc.EraseProfile(ctx, e.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Profile.Experience, "experience areas are special-category data")
	assert.Equal(t, e.ID, got.ID)
	assert.Equal(t, expert.StateRetired, got.State)
	assert.Len(t, got.Checks, 3, "check names and dates stay")
}
