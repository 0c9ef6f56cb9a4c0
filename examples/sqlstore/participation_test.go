package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

var _ participation.Store = (*sqlstore.ParticipationStore)(nil)

// memoryBackend is SQLite in memory: each Open is a new private database. It runs the
// participation suite only: without WAL its readers and writers wait for each other,
// which makes the longer races of the other suites slow, not different.
var memoryBackend = backend{"SQLiteMemory", func(testing.TB) string { return ":memory:" }}

func TestConformance(t *testing.T) {
	for _, b := range append(backends(), memoryBackend) {
		t.Run(b.name, func(t *testing.T) {
			b.open(t) // fails or skips here, once, when the backend is not configured
			participationtest.Run(t, func(t *testing.T) participation.Stores {
				return b.open(t).Participation().Stores()
			})
		})
	}
}

func TestConsentScenarios(t *testing.T) {
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "consent-scenarios")
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			b.open(t)
			participationtest.RunConsentScenarios(t, dir, func(t *testing.T) participation.Stores {
				return b.open(t).Participation().Stores()
			})
		})
	}
}
