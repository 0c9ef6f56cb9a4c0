package main

import (
	"fmt"
	"io"

	"github.com/osallisuus/osallisuus/expert/experttest"
)

// runExpert runs `expert match FILE...` and `expert fees FILE...` (spec/expert.md §16.4).
func runExpert(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "match":
			return runScenarioFiles("expert match", args[1:], experttest.EvalMatchScenario, stdout, stderr)
		case "fees":
			return runScenarioFiles("expert fees", args[1:], experttest.EvalFeeScenario, stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: osallisuus expert match|fees FILE...")
	return 2
}
