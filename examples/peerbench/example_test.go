package peerbench_test

import (
	"context"
	"fmt"

	"github.com/osallisuus/osallisuus/examples/peerbench"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// ExampleOPAEngine answers the same queries with the library and with embedded OPA.
func ExampleOPAEngine() {
	s := participationtest.SampleLedger(2, 1)
	ctx := context.Background()
	opa, err := peerbench.NewOPAEngine(ctx, s.Policy, s.Events)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range s.Queries {
		lib, _ := peerbench.Library(s.Policy, s.Events, q)
		got, _ := opa.Decide(ctx, q)
		fmt.Printf("%-16s library %-15s opa %-15s same %t\n", q.Purpose, lib.Reason, got.Reason, lib == got)
	}
	// Output:
	// contact          library no-consent      opa no-consent      same true
	// experience-data  library no-consent      opa no-consent      same true
	// panel-membership library granted         opa granted         same true
	// contact          library no-consent      opa no-consent      same true
	// experience-data  library no-consent      opa no-consent      same true
	// panel-membership library granted         opa granted         same true
}
