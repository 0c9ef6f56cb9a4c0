package memstore_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/feedbacktest"
	"github.com/osallisuus/osallisuus/feedback/memstore"
)

func TestSurveyConformance(t *testing.T) {
	feedbacktest.RunSurveys(t, func(*testing.T) feedback.SurveyStore { return new(memstore.Store) })
}
