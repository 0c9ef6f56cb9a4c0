package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/feedbacktest"
)

var _ feedback.Store = (*sqlstore.FeedbackStore)(nil)

func TestFeedbackConformance(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			feedbacktest.Run(t, func(t *testing.T) feedback.Store { return b.open(t).Feedback() })
		})
	}
}

var _ feedback.SurveyStore = (*sqlstore.SurveyStore)(nil)

func TestSurveyConformance(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			feedbacktest.RunSurveys(t, func(t *testing.T) feedback.SurveyStore { return b.open(t).Surveys() })
		})
	}
}

// TestFeedbackErasureMigrationFillsTheNewColumns rolls a database back to before the
// feedback-erasure migration (its columns, indexes and record gone, rows already
// stored) and migrates again: the new columns are filled from the stored documents, so
// the listings by sender, participant, retention day and respondent find the old rows.
func TestFeedbackErasureMigrationFillsTheNewColumns(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			ctx := t.Context()
			who, err := osallisuus.NewParticipantID()
			require.NoError(t, err)
			fid, err := feedback.NewID()
			require.NoError(t, err)
			at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
			require.NoError(t, db.Feedback().CreateFeedback(ctx, feedback.Feedback{ID: fid, ReceivedAt: at, Text: "palaute",
				Sender: who.String(), State: feedback.StateReceived}))
			until := osallisuus.NewDate(2026, 4, 1)
			require.NoError(t, db.Feedback().CreateContact(ctx, feedback.Contact{Feedback: fid, Participant: who,
				Email: "asiakas@example.invalid", Purpose: "feedback-reply", RetainUntil: until, CreatedAt: at}))
			qid, err := feedback.NewQuestionnaireID()
			require.NoError(t, err)
			q := feedback.StandardQuestionnaire(qid)
			require.NoError(t, db.Surveys().CreateQuestionnaire(ctx, q))
			rid, err := feedback.NewResponseID()
			require.NoError(t, err)
			require.NoError(t, db.Surveys().AddResponse(ctx, feedback.SurveyResponse{ID: rid, Questionnaire: qid, Number: 1, At: at,
				Respondent: who, Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: feedback.NumberAnswer(9)}}))

			for _, stmt := range []string{
				"DROP INDEX feedback_by_sender",
				"DROP INDEX feedback_contacts_by_participant",
				"DROP INDEX feedback_contacts_by_retain_until",
				"DROP INDEX survey_responses_by_respondent",
				"ALTER TABLE feedback DROP COLUMN sender",
				"ALTER TABLE feedback_contacts DROP COLUMN participant",
				"ALTER TABLE feedback_contacts DROP COLUMN retain_until",
				"ALTER TABLE survey_responses DROP COLUMN respondent",
				"DELETE FROM osallisuus_migrations WHERE name = 'feedback-erasure'",
			} {
				_, err := db.SQL().ExecContext(ctx, stmt)
				require.NoError(t, err, stmt)
			}
			require.NoError(t, db.Migrate(ctx))

			var sent []feedback.ID
			for f, err := range db.Feedback().ListFeedback(ctx, feedback.FeedbackFilter{Sender: who.String()}) {
				require.NoError(t, err)
				sent = append(sent, f.ID)
			}
			assert.Equal(t, []feedback.ID{fid}, sent, "listed by sender")
			for _, f := range []feedback.ContactFilter{{Participant: who}, {RetainUntilBefore: until.AddDays(1)}} {
				var got []feedback.ID
				for c, err := range db.Feedback().ListContacts(ctx, f) {
					require.NoError(t, err)
					got = append(got, c.Feedback)
				}
				assert.Equal(t, []feedback.ID{fid}, got, "contacts listed by %+v", f)
			}
			for c, err := range db.Feedback().ListContacts(ctx, feedback.ContactFilter{RetainUntilBefore: until}) {
				require.NoError(t, err)
				t.Errorf("contact %v listed before its last day", c.Feedback)
			}
			var answered []feedback.ResponseID
			for r, err := range db.Surveys().ListResponses(ctx, feedback.ResponseFilter{Respondent: who}) {
				require.NoError(t, err)
				answered = append(answered, r.ID)
			}
			assert.Equal(t, []feedback.ResponseID{rid}, answered, "listed by respondent")
		})
	}
}
