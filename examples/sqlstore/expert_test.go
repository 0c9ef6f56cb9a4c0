package sqlstore_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/experttest"
)

var _ expert.Store = (*sqlstore.ExpertStore)(nil)

func TestExpertConformance(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			experttest.Run(t, func(t *testing.T) expert.Store { return b.open(t).Expert() })
		})
	}
}
