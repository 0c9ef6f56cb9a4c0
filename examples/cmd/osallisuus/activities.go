package main

import (
	"fmt"
	"io"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// runActivities runs `activities eval FILE...` (spec/activities.md, "Scenario files and
// the activities eval command").
func runActivities(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(stderr, "usage: osallisuus activities eval FILE...")
		return 2
	}
	return runScenarioFiles("activities eval", args[1:], participationtest.EvalActivityScenario, stdout, stderr)
}
