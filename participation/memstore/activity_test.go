package memstore_test

import (
	"path/filepath"
	"testing"

	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

var _ participation.ActivityStore = (*memstore.Store)(nil)

func newActivityStore(*testing.T) participation.ActivityStore { return memstore.New() }

func TestActivityScenarios(t *testing.T) {
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "activities-scenarios")
	participationtest.RunActivityScenarios(t, dir, newActivityStore)
}

func TestActivityConformance(t *testing.T) {
	participationtest.RunActivities(t, newActivityStore)
}

func TestZeroStoreActivityConformance(t *testing.T) {
	participationtest.RunActivities(t, func(*testing.T) participation.ActivityStore { return new(memstore.Store) })
}
