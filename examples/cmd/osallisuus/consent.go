package main

import (
	"fmt"
	"io"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// runConsent runs `consent eval FILE...` (spec/consent.md §9) and hands
// `consent fhir ...` to runConsentFHIR.
func runConsent(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "fhir" {
		return runConsentFHIR(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(stderr, "usage: osallisuus consent eval FILE...\n       osallisuus consent fhir export --subject ID --at TIME FILE\n       osallisuus consent fhir import FILE")
		return 2
	}
	return runScenarioFiles("consent eval", args[1:], participationtest.EvalConsentScenario, stdout, stderr)
}
