package expert_test

import (
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

// day returns the date d of month m in 2026.
func day(m time.Month, d int) osallisuus.Date { return osallisuus.NewDate(2026, m, d) }

// helsinki returns an instant on the Helsinki wall clock.
func helsinki(m time.Month, d, h, min int) time.Time { return day(m, d).Time(h, min) }

// workedSchedule is the illustrative schedule of spec §8.
func workedSchedule() expert.Schedule {
	return expert.Schedule{ID: "2026", ValidFrom: day(1, 1),
		Rates: map[string]expert.Rate{
			"workshop":              {Basis: expert.RateBlock, HalfDayCents: 8000, DayCents: 15000, BeyondDayCentsPerHour: 2500},
			"staff-training":        {Basis: expert.RateHourly, CentsPerHour: 3000},
			"peer-support":          {Basis: expert.RateHourly, CentsPerHour: 2000},
			"recruitment-interview": {Basis: expert.RatePerSession, SessionCents: 5000},
			"supervision":           {Basis: expert.RateUnpaid},
			"debrief":               {Basis: expert.RateUnpaid},
		},
		PreparationCentsPerHour: 2000, MaxPreparationMinutes: 120, TravelCentsPerHour: 1000,
		MileageCentsPerKm: map[string]int64{"car": 57}, MealCents: 1275, MealMinMinutes: 360}
}

// idOf makes a stable ID from a letter, for readable fixtures.
func idOf(s string) expert.ExpertID {
	return expert.ExpertID{UUID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("expert "+s))}
}

func allChecks(agreementUntil osallisuus.Date) []expert.Check {
	return []expert.Check{{Name: "training"}, {Name: "agreement", Until: agreementUntil},
		{Name: "confidentiality"}, {Name: "consent:expert-profile"}}
}

func exp(code string, p expert.Perspective) expert.Experience {
	return expert.Experience{Code: code, Perspective: p}
}

// workedRequest is request R of the worked example in spec §7.
func workedRequest() expert.Request {
	return expert.Request{ID: expert.RequestID{UUID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("request R"))},
		Unit: "family-centre-east", TaskType: "workshop", Start: helsinki(3, 10, 13, 0), Minutes: 180,
		Location: "turku", Language: "fi", Experience: []string{"family-services", "child-protection"},
		Needed: 2, Reserve: 1, PreparationMinutes: 60, ConflictCheck: true, State: expert.RequestOpen}
}

// workedCandidates are experts A–F of the worked example in spec §7.
func workedCandidates() []expert.Candidate {
	until := osallisuus.NewDate(2027, 12, 31)
	mk := func(key string, p expert.Profile, cs []expert.Check, done ...expert.Commitment) expert.Candidate {
		return expert.Candidate{Key: key, Expert: expert.Expert{ID: idOf(key), State: expert.StateActive,
			Checks: cs, Profile: p, Commitments: done}}
	}
	a := mk("A", expert.Profile{Experience: []expert.Experience{exp("family-services", expert.PerspectiveOwn)},
		Languages: []string{"fi"}, Areas: []string{"turku"}, Weekly: expert.Slot(time.Tuesday, expert.Afternoon),
		Preferences: map[string]expert.Preference{"workshop": expert.PreferencePreferred},
		Caps:        expert.Caps{Earnings: []expert.EarningsCap{{Period: expert.PeriodYear, Cents: 150000}}},
		Travel:      map[string]expert.Travel{"turku": {Minutes: 15, Km: 8}}}, allChecks(until),
		expert.Commitment{Request: expert.RequestID{UUID: uuid.New()}, TaskType: "workshop", Status: expert.StatusPaid,
			Start: helsinki(1, 20, 10, 0), Minutes: 180, FeeCents: 11000, PaymentDate: day(2, 15)})
	b := mk("B", expert.Profile{Experience: []expert.Experience{exp("child-protection", expert.PerspectiveCloseRelative)},
		Languages: []string{"fi", "sv"}, Areas: []string{"turku", "kaarina"},
		Preferences: map[string]expert.Preference{"workshop": expert.PreferenceAccepted}}, allChecks(until),
		expert.Commitment{Request: expert.RequestID{UUID: uuid.New()}, TaskType: "panel", Status: expert.StatusPaid,
			Start: osallisuus.NewDate(2025, 10, 1).Time(17, 0), Minutes: 120, FeeCents: 8000})
	c := mk("C", expert.Profile{Experience: []expert.Experience{exp("mental-health", expert.PerspectiveOwn)},
		Languages: []string{"sv"}, Areas: []string{"turku"}}, allChecks(until))
	d := mk("D", expert.Profile{Experience: []expert.Experience{exp("family-services", expert.PerspectiveOwn)},
		Languages: []string{"fi"}, Areas: []string{"turku"}}, allChecks(day(2, 28)))
	e := mk("E", expert.Profile{Experience: []expert.Experience{exp("family-services", expert.PerspectiveCloseRelative)},
		Languages: []string{"fi"}, Areas: []string{"turku"}}, allChecks(until))
	e.Conflict = true
	f := mk("F", expert.Profile{Experience: []expert.Experience{exp("family-services", expert.PerspectiveOwn),
		exp("child-protection", expert.PerspectiveOwn)},
		Languages: []string{"fi"}, Areas: []string{"turku"},
		Preferences: map[string]expert.Preference{"workshop": expert.PreferencePreferred},
		Caps:        expert.Caps{Earnings: []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 30000}}},
		Travel:      map[string]expert.Travel{"turku": {Minutes: 25, Km: 18, Vehicle: "car"}}}, allChecks(until),
		expert.Commitment{Request: expert.RequestID{UUID: uuid.New()}, TaskType: "workshop", Status: expert.StatusDone,
			Start: helsinki(3, 3, 12, 0), Minutes: 180, FeeCents: 16000})
	return []expert.Candidate{a, b, c, d, e, f}
}

func workedInput() expert.MatchInput {
	return expert.MatchInput{Request: workedRequest(), RequestKey: "R", Candidates: workedCandidates(),
		Schedules: expert.Schedules{workedSchedule()}, Now: helsinki(3, 4, 9, 0)}
}
