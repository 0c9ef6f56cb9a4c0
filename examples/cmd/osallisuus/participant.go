package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
)

// participantUsage is the usage line of the participant command.
const participantUsage = "participant list|export|erase|retention [--db FILE|URL] [--at TIME] [--subject ID] | participant schema"

// runParticipant runs `osallisuus participant ...`: a person's data rights on the tour's
// database (GDPR Art 15, 17 and 20).
//
//	participant list      one JSON line per participant: id, kind, erased, and the tour's
//	                      label for a tour person
//	participant export    the person's whole data as one JSON document (gdpr.Document)
//	participant erase     erases the person, printing each package's report
//	participant retention runs every package's retention job, printing the reports
//	participant schema    prints the JSON Schema of the export document
//
// --db is the tour's database (default osallisuus-tour.db, which must exist: run the tour
// first); --at fixes the clock (RFC 3339; default now); export and erase need --subject.
// Exit 0 on success, 1 when the database or the person cannot be used, 2 on usage errors.
func runParticipant(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: osallisuus "+participantUsage)
		return 2
	}
	sub := args[0]
	if sub == "schema" {
		if len(args) > 1 {
			fmt.Fprintf(stderr, "osallisuus participant schema: unexpected argument %q\n", args[1])
			return 2
		}
		_, _ = stdout.Write(gdpr.Schema)
		return 0
	}
	switch sub {
	case "list", "export", "erase", "retention":
	default:
		fmt.Fprintf(stderr, "osallisuus participant: unknown subcommand %q\nusage: osallisuus %s\n", sub, participantUsage)
		return 2
	}
	fs := flag.NewFlagSet("participant "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", defaultTourDB, "the tour's SQLite file, or a postgres:// URL")
	atText := fs.String("at", "", "the clock's instant, RFC 3339 (default: now)")
	subjectText := fs.String("subject", "", "the participant's ID (export, erase)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "osallisuus participant %s: unexpected argument %q\n", sub, fs.Arg(0))
		return 2
	}
	prefix := "osallisuus participant " + sub + ": "
	var subject osallisuus.ParticipantID
	if sub == "export" || sub == "erase" {
		if *subjectText == "" {
			fmt.Fprintln(stderr, prefix+"--subject ID is required")
			return 2
		}
		u, err := osallisuus.ParseUUID("subject", *subjectText)
		if err != nil {
			fmt.Fprintf(stderr, "%s--subject %q is not a participant ID (a UUID)\n", prefix, *subjectText)
			return 2
		}
		subject = osallisuus.ParticipantID{UUID: u}
	}
	clock := osallisuus.Clock(osallisuus.ClockFunc(time.Now))
	if *atText != "" {
		t, err := osallisuus.ParseInstant(*atText)
		if err != nil {
			fmt.Fprintf(stderr, "%s--at: %v\n", prefix, err)
			return 2
		}
		clock = osallisuus.FixedClock(t)
	}
	if !strings.Contains(*dsn, "://") {
		if _, err := os.Stat(*dsn); err != nil {
			fmt.Fprintf(stderr, "%sthe database %s does not exist: run `osallisuus tour --db %s` first\n", prefix, *dsn, *dsn)
			return 1
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, err := sqlstore.Open(ctx, *dsn, sqlstore.Config{})
	if err != nil {
		fmt.Fprintf(stderr, "%s%s\n", prefix, explainOpenError(*dsn, err))
		return 1
	}
	defer db.Close()
	svcs, err := dataServices(db, clock)
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\n", prefix, err)
		return 1
	}
	var out any
	switch sub {
	case "list":
		return listParticipants(ctx, db.Participation(), stdout, stderr, prefix)
	case "export":
		out, err = gdpr.Export(ctx, svcs, subject)
	case "erase":
		out, err = gdpr.Erase(ctx, svcs, subject)
	case "retention":
		out, err = gdpr.ApplyRetention(ctx, svcs)
	}
	if err != nil {
		if errors.Is(err, osallisuus.ErrNotFound) {
			fmt.Fprintf(stderr, "%sno participant %s in %s (list them with `osallisuus participant list`)\n", prefix, subject, redactDSN(*dsn))
			return 1
		}
		fmt.Fprintf(stderr, "%s%v\n", prefix, err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "%s%v\n", prefix, err)
		return 1
	}
	return 0
}

// listParticipants prints one JSON line per participant in ID order.
func listParticipants(ctx context.Context, store participation.ParticipantStore, stdout, stderr io.Writer, prefix string) int {
	labels := make(map[osallisuus.ParticipantID]string, len(tourPeople))
	for _, p := range append(tourPeople[:len(tourPeople):len(tourPeople)], tourVisitor) {
		labels[personID(p.key)] = p.label
	}
	enc := json.NewEncoder(stdout)
	for p, err := range store.ListParticipants(ctx, participation.ParticipantFilter{}) {
		if err != nil {
			fmt.Fprintf(stderr, "%s%v\n", prefix, err)
			return 1
		}
		line := struct {
			ID     osallisuus.ParticipantID `json:"id"`
			Kind   participation.Kind       `json:"kind"`
			Erased bool                     `json:"erased,omitzero"`
			Tour   string                   `json:"tourLabel,omitzero"`
		}{p.ID, p.Kind, !p.ErasedAt.IsZero(), labels[p.ID]}
		if err := enc.Encode(line); err != nil {
			fmt.Fprintf(stderr, "%s%v\n", prefix, err)
			return 1
		}
	}
	return 0
}
