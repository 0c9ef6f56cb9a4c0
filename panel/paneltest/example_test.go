package paneltest_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel/paneltest"
)

// A small panel scenario (spec/panel.md §12): a permanent forum with two user seats; the
// person with a consent for the panel's purpose joins, the one without is refused, and the
// roster report lists the member. Each step writes one JSON line (keys in the order
// encoding/json gives them; lines compare as JSON values, §12.1).
func ExampleEvalPanelScenario() {
	scenario := `{
  "name": "forum-join",
  "description": "Only a person with an allowed consent joins.",
  "policy": {"purposes": [{"name": "panel-membership"}]},
  "people": [{"id": "p1", "birthDate": "1980-04-02"}, {"id": "p2", "birthDate": "1975-11-30"}],
  "events": [
    {"at": "2026-02-01T10:00:00+02:00", "subject": "p1", "by": "p1", "action": "grant",
     "purpose": "panel-membership", "method": "written", "noticeVersion": 1}
  ],
  "panels": [
    {"id": "forum", "kind": "permanent", "audience": "adults", "purpose": "panel-membership",
     "seats": {"user": {"min": 1, "max": 2}}}
  ],
  "steps": [
    {"at": "2026-02-03T09:00:00+02:00", "op": "create", "panel": "forum"},
    {"at": "2026-02-03T09:01:00+02:00", "op": "open", "panel": "forum"},
    {"at": "2026-02-03T10:00:00+02:00", "op": "join", "panel": "forum", "who": "p1"},
    {"at": "2026-02-03T10:01:00+02:00", "op": "join", "panel": "forum", "who": "p2"},
    {"at": "2026-02-03T10:02:00+02:00", "op": "report", "panel": "forum", "of": "roster"}
  ]
}`
	if err := paneltest.EvalPanelScenario(strings.NewReader(scenario), os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"ok":true,"panel":"draft","step":0}
	// {"ok":true,"panel":"active","step":1}
	// {"membership":"active","ok":true,"step":2}
	// {"error":"forbidden","ok":false,"reason":"no-consent","step":3}
	// {"ok":true,"roster":[{"role":"member","seat":"user","state":"active","who":"p1"}],"step":4}
}

// A malformed file (spec/panel.md §12.7), here a step with an op the format does not have,
// writes nothing and returns an error matching ErrInvalid that names the field.
func ExampleEvalPanelScenario_malformed() {
	scenario := `{
  "name": "bad-op",
  "description": "An unknown op.",
  "policy": {"purposes": [{"name": "panel-membership"}]},
  "people": [],
  "panels": [{"id": "forum", "kind": "permanent", "audience": "adults", "purpose": "panel-membership",
              "seats": {"user": {"min": 1, "max": 2}}}],
  "steps": [{"at": "2026-02-03T09:00:00+02:00", "op": "dissolve", "panel": "forum"}]
}`
	var out strings.Builder
	err := paneltest.EvalPanelScenario(strings.NewReader(scenario), &out)
	fmt.Println(errors.Is(err, osallisuus.ErrInvalid), out.Len())
	fmt.Println(err)
	// Output:
	// true 0
	// panel scenario: invalid: steps[0].op unknown
}
