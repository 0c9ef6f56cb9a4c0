package feedback_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

func received(t *testing.T, labels feedback.LabelPatch, sender string) feedback.Feedback {
	t.Helper()
	id, err := feedback.NewID()
	require.NoError(t, err)
	f, err := feedback.Receive(feedback.Command{Feedback: id, Action: feedback.ActionReceive,
		Actor: feedback.Actor{Role: feedback.RoleCustomer, ID: sender}, At: now, Labels: labels}, feedback.DefaultTargets())
	require.NoError(t, err)
	return f
}

func TestApplyChecksInOrder(t *testing.T) {
	yes := true
	staff := feedback.Actor{Role: feedback.RoleStaff, ID: "s1"}
	tests := []struct {
		name   string
		state  feedback.State
		cmd    feedback.Command
		want   error
		reason osallisuus.Reason
	}{
		{"a customer may not triage", feedback.StateReceived, feedback.Command{Action: feedback.ActionTriage,
			Actor: feedback.Actor{Role: feedback.RoleCustomer, ID: "c1"}}, osallisuus.ErrForbidden, feedback.ReasonRoleNotAllowed},
		{"another customer may not withdraw", feedback.StateReceived, feedback.Command{Action: feedback.ActionWithdraw,
			Actor: feedback.Actor{Role: feedback.RoleCustomer, ID: "c2"}}, osallisuus.ErrForbidden, feedback.ReasonNotSender},
		{"assign needs triage first", feedback.StateReceived, feedback.Command{Action: feedback.ActionAssign,
			Actor: staff, Assignee: "s2"}, osallisuus.ErrConflict, feedback.ReasonWrongState},
		{"a role check comes before the state check", feedback.StateClosed, feedback.Command{Action: feedback.ActionAssign,
			Actor: feedback.Actor{Role: feedback.RoleSystem, ID: "x"}, Assignee: "s2"}, osallisuus.ErrForbidden, feedback.ReasonRoleNotAllowed},
		{"closed is terminal", feedback.StateClosed, feedback.Command{Action: feedback.ActionReopen, Actor: staff},
			osallisuus.ErrConflict, feedback.ReasonTerminal},
		{"triage to urgent praise is inconsistent", feedback.StateReceived, feedback.Command{Action: feedback.ActionTriage,
			Actor: staff, Labels: feedback.LabelPatch{Kind: feedback.KindPraise, Urgent: &yes}}, osallisuus.ErrInvalid, ""},
		{"a staff withdrawal needs a note", feedback.StateTriaged, feedback.Command{Action: feedback.ActionWithdraw,
			Actor: staff, Note: "  "}, osallisuus.ErrInvalid, ""},
		{"close from triaged needs no reply wanted", feedback.StateTriaged, feedback.Command{Action: feedback.ActionClose,
			Actor: staff}, osallisuus.ErrConflict, feedback.ReasonNeedsAnswer},
		{"a missing assignee is invalid before anything else", feedback.StateClosed, feedback.Command{Action: feedback.ActionAssign,
			Actor: feedback.Actor{Role: feedback.RoleCustomer, ID: "c2"}}, osallisuus.ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := received(t, feedback.LabelPatch{Kind: feedback.KindQuestion, WantsReply: &yes}, "c1")
			f.State = tt.state
			tt.cmd.Feedback, tt.cmd.At = f.ID, now.Add(time.Hour)
			_, err := feedback.Apply(f, tt.cmd, feedback.DefaultTargets())
			require.ErrorIs(t, err, tt.want)
			if tt.reason != "" {
				re, ok := err.(*osallisuus.RuleError)
				require.True(t, ok)
				assert.True(t, re.Has(tt.reason), "reason %s", tt.reason)
			}
		})
	}
}

func TestReopenRestartsTheClock(t *testing.T) {
	yes := true
	staff := feedback.Actor{Role: feedback.RoleStaff, ID: "s1"}
	f := received(t, feedback.LabelPatch{Kind: feedback.KindQuestion, WantsReply: &yes}, "c1")
	var err error
	for _, c := range []feedback.Command{
		{Action: feedback.ActionTriage, Actor: staff},
		{Action: feedback.ActionAssign, Actor: staff, Assignee: "s2"},
		{Action: feedback.ActionAnswer, Actor: staff, SentOn: osallisuus.DateOf(now)},
	} {
		c.Feedback, c.At = f.ID, now.Add(time.Hour)
		f, err = feedback.Apply(f, c, feedback.DefaultTargets())
		require.NoError(t, err)
	}
	require.Equal(t, "2026-03-16", f.Due.String())
	later := now.Add(30 * 24 * time.Hour)
	f, err = feedback.Apply(f, feedback.Command{Feedback: f.ID, Action: feedback.ActionReopen,
		Actor: feedback.Actor{Role: feedback.RoleCustomer, ID: "c1"}, At: later}, feedback.DefaultTargets())
	require.NoError(t, err)
	assert.Equal(t, feedback.StateAssigned, f.State)
	assert.Equal(t, "2026-04-01", f.ClockStart.String())
	assert.Equal(t, "2026-04-17", f.Due.String(), "ten business days over Easter 2026")
	assert.Equal(t, "s2", f.Assignee)
	require.Len(t, f.Events, 5, "every transition is recorded")
	assert.Equal(t, feedback.StateAnswered, f.Events[4].From)
	assert.Equal(t, "c1", f.Events[4].Actor.ID)
}

func TestAnswerOfAFormalComplaintNeedsReasoning(t *testing.T) {
	yes := true
	staff := feedback.Actor{Role: feedback.RoleStaff, ID: "s1"}
	f := received(t, feedback.LabelPatch{Kind: feedback.KindComplaint, FormalComplaint: &yes}, "c1")
	f.State = feedback.StateAssigned
	_, err := feedback.Apply(f, feedback.Command{Feedback: f.ID, Action: feedback.ActionAnswer, Actor: staff, At: now,
		SentOn: osallisuus.DateOf(now)}, feedback.DefaultTargets())
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	_, err = feedback.Apply(f, feedback.Command{Feedback: f.ID, Action: feedback.ActionAnswer, Actor: staff, At: now,
		Reasoning: "Perustelut.", SentOn: osallisuus.DateOf(now).AddDays(1)}, feedback.DefaultTargets())
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "sentOn after the event's date")
	got, err := feedback.Apply(f, feedback.Command{Feedback: f.ID, Action: feedback.ActionAnswer, Actor: staff, At: now,
		Reasoning: "Perustelut.", SentOn: osallisuus.DateOf(now)}, feedback.DefaultTargets())
	require.NoError(t, err)
	assert.Equal(t, feedback.StateAnswered, got.State)
	assert.Equal(t, feedback.StateAssigned, f.State, "the argument is not changed")
}
