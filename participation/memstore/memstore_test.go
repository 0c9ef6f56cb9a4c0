package memstore_test

import (
	"path/filepath"
	"testing"

	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

var _ participation.Store = (*memstore.Store)(nil)

func newStores(*testing.T) participation.Stores { return participation.StoresOf(memstore.New()) }

func TestConformance(t *testing.T) {
	participationtest.Run(t, newStores)
}

func TestZeroStoreConformance(t *testing.T) {
	participationtest.Run(t, func(*testing.T) participation.Stores {
		var s memstore.Store
		return participation.StoresOf(&s)
	})
}

func TestConsentScenarios(t *testing.T) {
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "consent-scenarios")
	participationtest.RunConsentScenarios(t, dir, newStores)
}
