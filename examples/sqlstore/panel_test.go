package sqlstore_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/paneltest"
)

var _ panel.Store = (*sqlstore.PanelStore)(nil)

func TestPanelConformance(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			paneltest.Run(t, func(t *testing.T) panel.Store { return b.open(t).Panel() })
		})
	}
}
