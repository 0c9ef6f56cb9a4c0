package memstore_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/panel/paneltest"
)

var _ panel.Store = (*memstore.Store)(nil)

func TestConformance(t *testing.T) {
	paneltest.Run(t, func(*testing.T) panel.Store { return new(memstore.Store) })
}
