package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

var _ participation.ActivityStore = (*sqlstore.ActivityStore)(nil)

func TestActivityConformance(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			participationtest.RunActivities(t, func(t *testing.T) participation.ActivityStore { return b.open(t).Activities() })
		})
	}
}

func TestActivityScenarios(t *testing.T) {
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "activities-scenarios")
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			participationtest.RunActivityScenarios(t, dir, func(t *testing.T) participation.ActivityStore { return b.open(t).Activities() })
		})
	}
}
