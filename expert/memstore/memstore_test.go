package memstore_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/experttest"
	"github.com/osallisuus/osallisuus/expert/memstore"
)

var _ expert.Store = (*memstore.Store)(nil)

func TestConformance(t *testing.T) {
	experttest.Run(t, func(*testing.T) expert.Store { return new(memstore.Store) })
}
