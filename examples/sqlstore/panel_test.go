package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/paneltest"
	"github.com/osallisuus/osallisuus/participation/participationtest"
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

func TestPanelScenarios(t *testing.T) {
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "panel-scenarios")
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			paneltest.RunPanelScenarios(t, dir, func(t *testing.T) panel.Store { return b.open(t).Panel() })
		})
	}
}
