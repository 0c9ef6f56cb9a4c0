package sqlstore_test

import (
	"testing"

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
