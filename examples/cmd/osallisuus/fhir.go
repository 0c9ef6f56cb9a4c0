package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
	"github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

const consentFHIRUsage = `usage:
  osallisuus consent fhir export --subject ID --at TIME FILE
  osallisuus consent fhir import FILE`

// runConsentFHIR runs `consent fhir export|import` (issue #9, spec/consent.md E2); args
// follow "fhir". Exit status: 0 on success, 1 when the input cannot be read or mapped
// (the error, naming the file and the field or JSON path, goes to stderr and nothing to
// stdout), 2 on usage errors.
func runConsentFHIR(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, consentFHIRUsage)
		return 2
	}
	switch args[0] {
	case "export":
		return runConsentFHIRExport(args[1:], stdout, stderr)
	case "import":
		return runConsentFHIRImport(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "osallisuus consent fhir: unknown command %q\n%s\n", args[0], consentFHIRUsage)
	return 2
}

// consentScenarioFile is a consent scenario (spec/consent.md §10); export ignores its
// queries but accepts them, so that any consent scenario file works.
type consentScenarioFile struct {
	participationtest.ConsentSections
	Queries []participationtest.ScenarioQuery `json:"queries"`
}

// runConsentFHIRExport reads a consent scenario, records its events (rejected ones are
// left out, as the ledger leaves them out) and prints the JSON array of R5 Consent
// resources of the subject at the instant. The scenario's opaque ids are the identifier
// values, under the default systems of fhir.Options.
func runConsentFHIRExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("consent fhir export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	subject := fs.String("subject", "", "the scenario's id of the subject")
	atText := fs.String("at", "", "the instant, RFC 3339 with an offset")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) != 1 || *subject == "" || *atText == "" {
		fmt.Fprintln(stderr, consentFHIRUsage)
		return 2
	}
	at, err := osallisuus.ParseInstant(*atText)
	if err != nil {
		fmt.Fprintf(stderr, "osallisuus consent fhir export: --at %q is not an RFC 3339 instant with an offset\n", *atText)
		return 2
	}
	out, err := exportScenario(files[0], *subject, at)
	if err != nil {
		fmt.Fprintf(stderr, "osallisuus consent fhir export: %s: %v\n", files[0], err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "osallisuus consent fhir export: write output: %v\n", err)
		return 1
	}
	return 0
}

func exportScenario(path, subject string, at time.Time) ([]byte, error) {
	ctx := context.Background()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sc consentScenarioFile
	if err := participationtest.DecodeStrict(f, &sc); err != nil {
		return nil, err
	}
	w, err := sc.Setup(ctx, participation.StoresOf(memstore.New()))
	if err != nil {
		return nil, err
	}
	if _, err := w.RecordEvents(ctx, sc.Events); err != nil {
		return nil, err
	}
	if !w.Known(subject) {
		return nil, fmt.Errorf("--subject %q: %w", subject, osallisuus.Invalid("subject", osallisuus.CodeUnknown))
	}
	names := make(map[osallisuus.ParticipantID]string)
	name := func(s string) {
		if s != "" {
			names[w.ID(s)] = s
		}
	}
	for _, p := range sc.People {
		name(p.ID)
	}
	for _, r := range sc.Representations {
		name(r.Representative)
	}
	for _, a := range sc.Assessments {
		name(a.By)
	}
	for _, e := range sc.Events {
		name(e.Subject)
		name(e.By)
		name(e.RecordedBy)
	}
	id := w.ID(subject)
	events, err := participation.Collect(w.Stores.Ledger.Events(ctx, id))
	if err != nil {
		return nil, err
	}
	resources, err := fhir.Export(&sc.Policy, events, id, at, fhir.Options{
		Identify: func(p osallisuus.ParticipantID) string { return names[p] }})
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(resources, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// runConsentFHIRImport reads one Consent, an array of them or a Bundle and prints the
// ledger events they map to, one JSON object per line in the scenario's event shape
// (spec/consent.md §10), with the identifier values as the ids. There is no policy in
// the input, so purposes are checked as names only. A resource that cannot be mapped
// prints nothing and exits 1 with the error naming its JSON path.
func runConsentFHIRImport(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, consentFHIRUsage)
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "osallisuus consent fhir import: %v\n", err)
		return 1
	}
	ids := make(map[string]osallisuus.ParticipantID)
	names := make(map[osallisuus.ParticipantID]string)
	events, err := fhir.Import(nil, data, fhir.Options{Resolve: func(v string) (osallisuus.ParticipantID, error) {
		if id, ok := ids[v]; ok {
			return id, nil
		}
		id, err := osallisuus.NewParticipantID()
		if err != nil {
			return id, err
		}
		ids[v], names[id] = id, v
		return id, nil
	}})
	if err != nil {
		fmt.Fprintf(stderr, "osallisuus consent fhir import: %s: %v\n", args[0], err)
		if ve, ok := errors.AsType[*osallisuus.ValidationError](err); ok {
			b, _ := json.Marshal(ve) // field, code, params: what a program reads
			fmt.Fprintf(stderr, "%s\n", b)
		}
		return 1
	}
	var out []byte
	for _, ev := range events {
		line := participationtest.ScenarioEvent{
			At: osallisuus.FormatInstant(ev.At), Subject: names[ev.Subject], By: names[ev.By],
			RecordedBy: names[ev.RecordedBy], Action: string(ev.Action), Purpose: ev.Purpose,
			Scope: ev.Scope, Method: string(ev.Method), NoticeVersion: ev.NoticeVersion, NoticeHash: ev.NoticeHash,
		}
		if !ev.ValidUntil.IsZero() {
			line.ValidUntil = osallisuus.FormatInstant(ev.ValidUntil)
		}
		b, err := json.Marshal(line)
		if err != nil {
			fmt.Fprintf(stderr, "osallisuus consent fhir import: %v\n", err)
			return 1
		}
		out = append(append(out, b...), '\n')
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "osallisuus consent fhir import: write output: %v\n", err)
		return 1
	}
	return 0
}

// parseInterspersed parses flags that may come before or after the positional
// arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
