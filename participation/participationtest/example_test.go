package participationtest_test

import (
	"os"
	"strings"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// EvalConsentScenario is what `osallisuus consent eval` runs: one scenario file in, its
// JSON Lines out. Here a guardian grants for a 9-year-old; the child's own grant is
// refused, and the query sees the guardian's grant.
func ExampleEvalConsentScenario() {
	scenario := `{
	  "name": "guardian-grants",
	  "policy": {"purposes": [{"name": "contact", "selfConsentAge": 15}]},
	  "people": [{"id": "child", "birthDate": "2017-04-02"}],
	  "representations": [{"representative": "parent", "subject": "child", "kind": "guardian"}],
	  "events": [
	    {"at": "2026-05-04T10:00:00+03:00", "subject": "child", "by": "child", "action": "grant",
	     "purpose": "contact", "method": "electronic", "noticeVersion": 1},
	    {"at": "2026-05-04T10:05:00+03:00", "subject": "child", "by": "parent", "action": "grant",
	     "purpose": "contact", "method": "written", "noticeVersion": 1}
	  ],
	  "queries": [{"id": "q1", "at": "2026-05-05T09:00:00+03:00", "subject": "child",
	               "purpose": "contact", "scope": "panel:family-forum"}]
	}`
	if err := participationtest.EvalConsentScenario(strings.NewReader(scenario), os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// {"event":0,"accepted":false,"error":"forbidden"}
	// {"event":1,"accepted":true}
	// {"id":"q1","allowed":true,"reason":"granted"}
}
