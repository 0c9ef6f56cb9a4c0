package experttest_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/osallisuus/osallisuus/expert/experttest"
)

// A small `expert match` file (spec/expert.md §16): four experts for a workshop in Turku
// in Finnish. a and d pass every hard filter and tie on K1–K4, so the K5 hash of request
// and expert ids ranks them (one is needed: an offer, then one reserve); b speaks only
// Swedish and c is paused, so both are excluded with their reasons, listed by id.
func ExampleEvalMatchScenario() {
	scenario := `{
  "name": "match-small",
  "description": "Two included by rank, two excluded by id.",
  "settings": {"requiredChecks": []},
  "experts": [
    {"id": "a", "state": "active", "experience": [{"code": "mental-health", "perspective": "own"}], "languages": ["fi"], "areas": ["turku"]},
    {"id": "b", "state": "active", "experience": [{"code": "mental-health", "perspective": "own"}], "languages": ["sv"], "areas": ["turku"]},
    {"id": "c", "state": "paused", "experience": [{"code": "mental-health", "perspective": "own"}], "languages": ["fi"], "areas": ["turku"]},
    {"id": "d", "state": "active", "experience": [{"code": "mental-health", "perspective": "close-relative"}], "languages": ["fi", "sv"], "areas": ["turku"]}
  ],
  "requests": [
    {"id": "r1", "now": "2026-03-01T09:00:00+02:00", "unit": "family-centre", "taskType": "workshop",
     "start": "2026-03-10T13:00:00+02:00", "minutes": 180, "location": "turku", "language": "fi",
     "experience": ["mental-health"], "needed": 1, "reserve": 1}
  ]
}`
	if err := experttest.EvalMatchScenario(strings.NewReader(scenario), os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"request":"r1","expert":"d","included":true,"rank":1,"proposed":"offer","reasons":[],"warnings":[]}
	// {"request":"r1","expert":"a","included":true,"rank":2,"proposed":"reserve","reasons":[],"warnings":[]}
	// {"request":"r1","expert":"b","included":false,"reasons":["language-mismatch"],"warnings":[]}
	// {"request":"r1","expert":"c","included":false,"reasons":["not-active"],"lapsed":[],"warnings":[]}
}

// A small `expert fees` file: a 90-minute staff training priced by the hour with 20
// minutes of travel (rounded up to the 15-minute step) and a parking receipt, paid on the
// 15th of the next month (payroll defaults), for an expert with a monthly earnings cap of
// 60 €: 45 € + 5 € of fee lines are over 80 % of it (approaching); the receipt is an expense
// and does not count toward the cap.
func ExampleEvalFeeScenario() {
	scenario := `{
  "name": "fees-small",
  "description": "An hourly task with travel time and a receipt.",
  "schedules": [
    {"id": "2026", "validFrom": "2026-01-01",
     "rates": {"staff-training": {"basis": "hourly", "centsPerHour": 3000}},
     "travelCentsPerHour": 1000}
  ],
  "experts": [
    {"id": "e1", "state": "active", "caps": {"earnings": [{"period": "month", "cents": 6000}]}}
  ],
  "assignments": [
    {"id": "t1", "expert": "e1", "taskType": "staff-training", "start": "2026-05-12T09:00:00+03:00",
     "minutes": 90, "travel": {"minutes": 20}, "receipts": [{"kind": "parking", "cents": 300}]}
  ]
}`
	if err := experttest.EvalFeeScenario(strings.NewReader(scenario), os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"assignment":"t1","scheduleVersion":"2026","paymentDate":"2026-06-15","feeCents":5000,"expenseCents":300,"capStatus":"approaching","lines":[{"kind":"task-hourly","quantity":90,"unitCents":3000,"cents":4500,"countsTowardCap":true},{"kind":"travel-time","quantity":30,"unitCents":1000,"cents":500,"countsTowardCap":true},{"kind":"parking","quantity":1,"unitCents":300,"cents":300,"countsTowardCap":false}]}
}
