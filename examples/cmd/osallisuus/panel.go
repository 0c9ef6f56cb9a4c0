package main

import (
	"fmt"
	"io"

	"github.com/osallisuus/osallisuus/panel/paneltest"
)

// runPanel runs `panel eval FILE...` (spec/panel.md §12.1).
func runPanel(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(stderr, "usage: osallisuus panel eval FILE...")
		return 2
	}
	return runScenarioFiles("panel eval", args[1:], paneltest.EvalPanelScenario, stdout, stderr)
}
