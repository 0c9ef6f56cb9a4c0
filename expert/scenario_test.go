package expert_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus/expert/experttest"
)

// scenarioDir finds ../shared/spec/expert-scenarios next to the core module's root: it
// walks up from the package directory to the directory whose go.mod declares the core
// module.
func scenarioDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(data), "module github.com/osallisuus/osallisuus\n") {
			return filepath.Join(dir, "..", "shared", "spec", "expert-scenarios")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("core module root (go.mod of github.com/osallisuus/osallisuus) not found above the package")
		}
		dir = parent
	}
}

func TestExpertScenarios(t *testing.T) {
	experttest.RunExpertScenarios(t, scenarioDir(t))
}
