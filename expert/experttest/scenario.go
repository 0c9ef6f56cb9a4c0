package experttest

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

func malformed(c *checker) error {
	if len(c.ve.Problems) == 0 {
		return nil
	}
	c.ve.Op = "expert scenario"
	return &c.ve
}

// EvalMatchScenario evaluates one `expert match` scenario file (spec/expert.md §16):
// for each request in file order, one JSON line per expert (the included by rank, then
// the excluded by id bytes), or {"request":ID,"error":"invalid"} for a request F2 rejects.
// A malformed file (F1) returns an error matching osallisuus.ErrInvalid naming the field,
// and writes nothing.
func EvalMatchScenario(r io.Reader, w io.Writer) error {
	var f matchFile
	if err := participationtest.DecodeStrict(r, &f); err != nil {
		return err
	}
	c := &checker{}
	world := c.build(&f.file)
	type req struct {
		in    expert.MatchInput
		id    string
		valid bool
	}
	reqs := make([]req, 0, len(f.Requests))
	seen := map[string]bool{}
	for i, fr := range f.Requests {
		p := idx("requests", i)
		if c.required(p+".id", fr.ID) && seen[fr.ID] {
			c.add(p+".id", osallisuus.CodeDuplicate)
		}
		seen[fr.ID] = true
		now := c.instant(p+".now", fr.Now)
		rq := expert.Request{ID: scenarioRequestID(fr.ID), Unit: fr.Unit, TaskType: fr.TaskType,
			Location: fr.Location, Language: fr.Language, Experience: fr.Experience,
			PerspectiveRequired: fr.PerspectiveRequired, Minutes: int(fr.Minutes), Needed: int(fr.Needed),
			Reserve: 2, PreparationMinutes: int(fr.PreparationMinutes), ConflictCheck: fr.ConflictCheck,
			State: expert.RequestOpen}
		c.required(p+".unit", fr.Unit)
		c.required(p+".taskType", fr.TaskType)
		c.required(p+".location", fr.Location)
		c.required(p+".language", fr.Language)
		rq.Start = c.instant(p+".start", fr.Start)
		c.rangeInt(p+".minutes", fr.Minutes, 1, 1440)
		c.rangeInt(p+".needed", fr.Needed, 1, 10000)
		if fr.Reserve != nil {
			c.count(p+".reserve", *fr.Reserve)
			rq.Reserve = int(*fr.Reserve)
		}
		c.minutes(p+".preparationMinutes", fr.PreparationMinutes)
		if fr.Perspective != "" {
			var ok bool
			if rq.Perspective, ok = expert.ParsePerspective(fr.Perspective); !ok {
				c.add(p+".perspective", osallisuus.CodeUnknown)
			}
		} else if fr.PerspectiveRequired {
			c.add(p+".perspective", osallisuus.CodeRequired)
		}
		// A requested code outside the lists, the empty one too, is F2's invalid
		// request, not a malformed file.
		reqs = append(reqs, req{id: fr.ID, in: expert.MatchInput{Request: rq, RequestKey: fr.ID,
			Schedules: world.schedules, Settings: world.settings, IncludeOverCap: fr.IncludeOverCap, Now: now}})
	}
	if err := malformed(c); err != nil {
		return err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	for _, rq := range reqs {
		in := rq.in
		for i, e := range world.experts {
			for _, cm := range e.Commitments {
				if cm.Request == in.Request.ID {
					in.Request.Assignments = append(in.Request.Assignments,
						expert.Assignment{Expert: e.ID, Status: cm.Status})
				}
			}
			in.Candidates = append(in.Candidates, expert.Candidate{Key: world.keys[i], Expert: e,
				Conflict: world.conflicts[i][in.Request.Unit]})
		}
		xs, err := expert.Match(in)
		if err != nil {
			if err := enc.Encode(errorLine{Request: rq.id, Error: "invalid"}); err != nil {
				return err
			}
			continue
		}
		for _, x := range xs {
			line := matchLine{Request: rq.id, Expert: x.Key, Included: x.Included,
				Reasons: x.Reasons.Codes(), Warnings: x.Warnings.Codes()}
			if x.Included {
				line.Rank, line.Proposed = x.Rank, x.Proposed.String()
			}
			if x.Reasons&expert.FailNotActive != 0 {
				lapsed := x.Lapsed
				if lapsed == nil {
					lapsed = []string{}
				}
				line.Lapsed = &lapsed
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(out.Bytes())
	return err
}

type errorLine struct {
	Request    string `json:"request,omitempty"`
	Assignment string `json:"assignment,omitempty"`
	Error      string `json:"error"`
}

type matchLine struct {
	Request  string              `json:"request"`
	Expert   string              `json:"expert"`
	Included bool                `json:"included"`
	Rank     int                 `json:"rank,omitempty"`
	Proposed string              `json:"proposed,omitempty"`
	Reasons  []osallisuus.Reason `json:"reasons"`
	Lapsed   *[]string           `json:"lapsed,omitempty"`
	Warnings []osallisuus.Reason `json:"warnings"`
}

type feeLine struct {
	Assignment      string        `json:"assignment"`
	ScheduleVersion string        `json:"scheduleVersion"`
	PaymentDate     string        `json:"paymentDate"`
	FeeCents        int64         `json:"feeCents"`
	ExpenseCents    int64         `json:"expenseCents"`
	CapStatus       string        `json:"capStatus"`
	Lines           []expert.Line `json:"lines"`
}

// EvalFeeScenario evaluates one `expert fees` scenario file (spec/expert.md §16): one
// JSON line per assignment in file order with its fee lines, totals, expected payment
// date and cap status, or {"assignment":ID,"error":"invalid"} for an assignment F2
// rejects. A malformed file (F1) returns an error matching osallisuus.ErrInvalid naming
// the field, and writes nothing.
func EvalFeeScenario(r io.Reader, w io.Writer) error {
	var f feesFile
	if err := participationtest.DecodeStrict(r, &f); err != nil {
		return err
	}
	c := &checker{}
	world := c.build(&f.file)
	type job struct {
		id      string
		expert  int
		request expert.RequestID
		work    expert.Work
		payment osallisuus.Date
	}
	jobs := make([]job, 0, len(f.Assignments))
	seen := map[string]bool{}
	for i, fa := range f.Assignments {
		p := idx("assignments", i)
		if c.required(p+".id", fa.ID) && seen[fa.ID] {
			c.add(p+".id", osallisuus.CodeDuplicate)
		}
		seen[fa.ID] = true
		j := job{id: fa.ID, expert: -1, request: scenarioRequestID(fa.Request)}
		if c.required(p+".expert", fa.Expert) {
			if k, ok := world.index[fa.Expert]; ok {
				j.expert = k
			} else {
				c.add(p+".expert", osallisuus.CodeUnknown)
			}
		}
		c.required(p+".taskType", fa.TaskType)
		wk := expert.Work{TaskType: fa.TaskType, Minutes: int(fa.Minutes),
			PreparationMinutes: int(fa.PreparationMinutes), GrantedPreparationMinutes: int(fa.GrantedPreparationMinutes),
			MealServed: fa.MealServed, FeeWaived: fa.FeeWaived}
		wk.Start = c.instant(p+".start", fa.Start)
		c.rangeInt(p+".minutes", fa.Minutes, 1, 1440)
		c.minutes(p+".preparationMinutes", fa.PreparationMinutes)
		c.minutes(p+".grantedPreparationMinutes", fa.GrantedPreparationMinutes)
		if fa.Travel != nil {
			wk.Travel = c.travel(p+".travel", *fa.Travel)
		}
		for k, rc := range fa.Receipts {
			rp := idx(p+".receipts", k)
			if c.required(rp+".kind", rc.Kind) && rc.Kind != "ticket" && rc.Kind != "parking" && rc.Kind != "other" {
				c.add(rp+".kind", osallisuus.CodeUnknown)
			}
			c.money(rp+".cents", rc.Cents)
			wk.Receipts = append(wk.Receipts, expert.Receipt{Kind: expert.LineKind(rc.Kind), Cents: rc.Cents})
		}
		j.payment = c.optDate(p+".paymentDate", fa.PaymentDate)
		wk.CancelledByUnitAt = c.optInstant(p+".cancelledByUnitAt", fa.CancelledByUnitAt)
		j.work = wk
		jobs = append(jobs, j)
	}
	if err := malformed(c); err != nil {
		return err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	for _, j := range jobs {
		e := &world.experts[j.expert]
		j.work.FeeWaived = j.work.FeeWaived || e.Profile.FeeWaived
		var fee expert.Fee
		err := error(osallisuus.Invalid("taskType", osallisuus.CodeUnknown))
		if world.settings.KnownTaskType(j.work.TaskType) {
			fee, err = expert.Price(world.schedules, j.work, world.settings.CountExpensesTowardCap)
		}
		if err != nil {
			if err := enc.Encode(errorLine{Assignment: j.id, Error: "invalid"}); err != nil {
				return err
			}
			continue
		}
		date := osallisuus.DateOf(j.work.Start)
		pay := j.payment
		if pay.IsZero() {
			pay = world.settings.Payroll.PaymentDate(date)
		}
		basis := expert.FeeBasisDate(e.Profile.Caps, world.settings.Payroll, j.work.Start, pay)
		level := expert.MaxLevel(e.EarningsWarnings(basis, fee.CapCents(), world.settings.Payroll, j.request))
		if fee.Lines == nil {
			fee.Lines = []expert.Line{}
		}
		if err := enc.Encode(feeLine{Assignment: j.id, ScheduleVersion: fee.ScheduleID,
			PaymentDate: pay.String(), FeeCents: fee.FeeCents, ExpenseCents: fee.ExpenseCents,
			CapStatus: level.String(), Lines: fee.Lines}); err != nil {
			return err
		}
	}
	_, err := w.Write(out.Bytes())
	return err
}
