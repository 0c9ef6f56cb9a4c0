// Command osallisuus is the runnable program of the osallisuus library: a tour of the
// whole library and the scenario commands of the specs, which read JSON and print JSON
// Lines for other programs.
//
// Usage:
//
//	osallisuus consent eval FILE...
//
// Exit status: 0 on success, 1 when a file is unreadable or malformed (the other files
// still run), 2 on usage errors.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	_ "time/tzdata" // a main package may embed the zone database; the library does not
)

// command runs one top-level subcommand with the remaining arguments and returns the
// exit status.
type command struct {
	usage string
	run   func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands; each lives in a file of its own.
var commands = map[string]command{
	"consent":  {"consent eval FILE... | consent fhir export --subject ID --at TIME FILE | consent fhir import FILE", runConsent},
	"panel":    {"panel eval FILE...", runPanel},
	"feedback": {"feedback classify|redact|metrics|workflow < in.jsonl", feedbackCommand},
	"calendar": {"calendar deadline < in.jsonl | calendar holidays FROMYEAR TOYEAR", calendarCommand},
	"expert":   {"expert match|fees FILE...", runExpert},

	"activities":  {"activities eval FILE...", runActivities},
	"tour":        {"tour [--db FILE|URL]", runTour},
	"participant": {participantUsage, runParticipant},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "osallisuus: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	lines := make([]string, 0, len(commands))
	for _, c := range commands {
		lines = append(lines, "  osallisuus "+c.usage)
	}
	sort.Strings(lines)
	fmt.Fprintf(w, "usage:\n%s\n", strings.Join(lines, "\n"))
}
