package memstore_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/feedbacktest"
	"github.com/osallisuus/osallisuus/feedback/memstore"
)

var _ feedback.Store = (*memstore.Store)(nil)

func TestConformance(t *testing.T) {
	feedbacktest.Run(t, func(*testing.T) feedback.Store { return new(memstore.Store) })
}
