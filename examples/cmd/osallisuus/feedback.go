package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

// runFeedback runs `feedback classify|redact|metrics|workflow` (spec/feedback.md §8):
// JSON Lines from stdin to stdout.
func runFeedback(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: osallisuus feedback classify|redact|metrics|workflow < in.jsonl")
		return 2
	}
	switch args[0] {
	case "classify":
		return eachLine(stdin, stdout, stderr, classifyLine)
	case "redact":
		return eachLine(stdin, stdout, stderr, redactLine)
	case "metrics":
		return feedbackMetrics(stdin, stdout, stderr)
	case "workflow":
		return feedbackWorkflow(stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "osallisuus feedback: unknown subcommand %q\n", args[0])
	return 2
}

// runCalendar runs `calendar deadline` and `calendar holidays FROMYEAR TOYEAR` (§8).
func runCalendar(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && args[0] == "deadline":
		return eachLine(stdin, stdout, stderr, deadlineLine)
	case len(args) == 3 && args[0] == "holidays":
		return calendarHolidays(args[1], args[2], stdout, stderr)
	}
	fmt.Fprintln(stderr, "usage: osallisuus calendar deadline < in.jsonl | calendar holidays FROMYEAR TOYEAR")
	return 2
}

// configLine decodes the first line of a command's input as its configuration; no line
// at all is an error too.
func configLine[T any](next func() ([]byte, bool), decode func([]byte) (T, error)) (T, error) {
	first, ok := next()
	if !ok {
		var zero T
		return zero, errors.New("missing config line")
	}
	return decode(first)
}

// lines yields the non-empty lines of r (without the newline); a read error ends it.
func lines(r io.Reader, errp *error) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		for {
			line, err := br.ReadBytes('\n')
			if len(bytes.TrimSpace(line)) > 0 {
				if !yield(bytes.TrimRight(line, "\r\n")) {
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					*errp = err
				}
				return
			}
		}
	}
}

// lineFunc turns one input line into one output object (without newline), or an error
// with the line's id (raw JSON, or nil) for the error line.
type lineFunc func(line []byte) (out []byte, id json.RawMessage, err error)

// eachLine runs fn on every non-empty line: the output or an error line in its place.
// Exit 1 when a line failed or on a read error, else 0.
func eachLine(stdin io.Reader, stdout, stderr io.Writer, fn lineFunc) int {
	w := bufio.NewWriterSize(stdout, 1<<16)
	defer w.Flush()
	status := 0
	var readErr error
	for line := range lines(stdin, &readErr) {
		out, id, err := fn(line)
		if err != nil {
			status = 1
			out = errorLine(id, err)
		}
		w.Write(out)
		w.WriteByte('\n')
	}
	if readErr != nil {
		fmt.Fprintf(stderr, "osallisuus: read input: %v\n", readErr)
		return 1
	}
	return status
}

func errorLine(id json.RawMessage, err error) []byte {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	msg, _ := json.Marshal(err.Error())
	return fmt.Appendf(nil, `{"id": %s, "error": %s}`, id, msg)
}

// textInput is the input of classify and redact.
type textInput struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

func decodeText(line []byte) (textInput, error) {
	var in textInput
	if err := json.Unmarshal(line, &in); err != nil {
		return textInput{}, fmt.Errorf("not a JSON object with id and text: %v", err)
	}
	if bytes.Equal(in.ID, []byte("null")) {
		in.ID = nil
	}
	if in.Text == nil {
		return in, errors.New("text: required string")
	}
	return in, nil
}

func rawID(id json.RawMessage) json.RawMessage {
	if len(id) == 0 {
		return json.RawMessage("null")
	}
	return id
}

func classifyLine(line []byte) ([]byte, json.RawMessage, error) {
	in, err := decodeText(line)
	if err != nil {
		return nil, in.ID, err
	}
	c := feedback.Classify(*in.Text)
	out := struct {
		ID json.RawMessage `json:"id"`
		feedback.Classification
	}{rawID(in.ID), c}
	b, err := json.Marshal(out)
	return b, in.ID, err
}

func redactLine(line []byte) ([]byte, json.RawMessage, error) {
	in, err := decodeText(line)
	if err != nil {
		return nil, in.ID, err
	}
	text, spans := feedback.Redact(*in.Text, feedback.RedactOptions{})
	if spans == nil {
		spans = []feedback.Redaction{}
	}
	b, err := json.Marshal(struct {
		ID         json.RawMessage      `json:"id"`
		Text       string               `json:"text"`
		Redactions []feedback.Redaction `json:"redactions"`
	}{rawID(in.ID), text, spans})
	return b, in.ID, err
}

func deadlineLine(line []byte) ([]byte, json.RawMessage, error) {
	var in struct {
		ID           json.RawMessage `json:"id"`
		From         *string         `json:"from"`
		BusinessDays *json.Number    `json:"businessDays"`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return nil, nil, fmt.Errorf("not a JSON object with id, from and businessDays: %v", err)
	}
	if bytes.Equal(in.ID, []byte("null")) {
		in.ID = nil
	}
	if in.From == nil || in.BusinessDays == nil {
		return nil, in.ID, errors.New("from and businessDays are required")
	}
	from, err := osallisuus.ParseDate(*in.From)
	if err != nil {
		return nil, in.ID, fmt.Errorf("from: %v", err)
	}
	n, err := strconv.Atoi(in.BusinessDays.String())
	if err != nil {
		return nil, in.ID, errors.New("businessDays: not an integer")
	}
	due, err := feedback.AddBusinessDays(from, n)
	if err != nil {
		return nil, in.ID, err
	}
	return fmt.Appendf(nil, `{"id": %s, "due": "%s"}`, rawID(in.ID), due), in.ID, nil
}

func calendarHolidays(fromArg, toArg string, stdout, stderr io.Writer) int {
	from, err1 := strconv.Atoi(fromArg)
	to, err2 := strconv.Atoi(toArg)
	if err1 != nil || err2 != nil || from > to {
		fmt.Fprintln(stderr, "usage: osallisuus calendar holidays FROMYEAR TOYEAR (FROMYEAR <= TOYEAR)")
		return 2
	}
	if from < feedback.FirstCalendarYear || to > feedback.LastCalendarYear {
		fmt.Fprintf(stderr, "osallisuus calendar holidays: years %d–%d only\n", feedback.FirstCalendarYear, feedback.LastCalendarYear)
		return 1
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for y := from; y <= to; y++ {
		hs, err := feedback.Holidays(y)
		if err != nil {
			fmt.Fprintf(stderr, "osallisuus calendar holidays: %v\n", err)
			return 1
		}
		for _, h := range hs {
			b, _ := json.Marshal(h)
			w.Write(b)
			w.WriteByte('\n')
		}
	}
	return 0
}

// ---- metrics

func feedbackMetrics(stdin io.Reader, stdout, stderr io.Writer) int {
	w := bufio.NewWriterSize(stdout, 1<<16)
	defer w.Flush()
	var readErr error
	next, stop := iter.Pull(lines(stdin, &readErr))
	defer stop()
	cfg, err := configLine(next, decodeMetricsConfig)
	if err != nil {
		w.Write(errorLine(nil, err))
		w.WriteByte('\n')
		return 1
	}
	responses := func(yield func(feedback.Response, error) bool) {
		for {
			line, ok := next()
			if !ok {
				return
			}
			r, err := decodeResponse(line, cfg)
			if !yield(r, err) {
				return
			}
		}
	}
	rep, err := feedback.Metrics(cfg, responses)
	if err != nil {
		w.Write(errorLine(nil, err))
		w.WriteByte('\n')
		return 1
	}
	for _, inv := range rep.Invalid {
		var id json.RawMessage
		if inv.ID != "" {
			id, _ = json.Marshal(inv.ID)
		}
		w.Write(errorLine(id, inv.Err))
		w.WriteByte('\n')
	}
	var buf []byte
	for _, g := range rep.Groups {
		cell := g.CellJSON(cfg.Breakdown)
		for _, f := range g.Figures {
			buf = f.AppendJSON(buf[:0], cell)
			buf = append(buf, '\n')
			w.Write(buf)
		}
	}
	if readErr != nil {
		fmt.Fprintf(stderr, "osallisuus: read input: %v\n", readErr)
		return 1
	}
	if len(rep.Invalid) > 0 {
		return 1
	}
	return 0
}

// strictObject decodes b as a JSON object into its raw members, refusing keys not in
// allowed (when allowed is non-nil).
func strictObject(b []byte, what string, allowed ...string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%s: not a JSON object", what)
	}
	if allowed != nil {
		for k := range m {
			found := false
			for _, a := range allowed {
				found = found || k == a
			}
			if !found {
				return nil, fmt.Errorf("unknown %s key %q", what, k)
			}
		}
	}
	return m, nil
}

func decodeMetricsConfig(line []byte) (feedback.MetricsConfig, error) {
	var cfg feedback.MetricsConfig
	top, err := strictObject(line, "config line", "config")
	if err != nil {
		return cfg, err
	}
	raw, ok := top["config"]
	if !ok {
		return cfg, errors.New("missing config line")
	}
	m, err := strictObject(raw, "config", "questions", "threshold", "breakdown", "period", "total")
	if err != nil {
		return cfg, err
	}
	qs, ok := m["questions"]
	if !ok {
		return cfg, errors.New("config: questions is required")
	}
	var rawQs []json.RawMessage
	if err := json.Unmarshal(qs, &rawQs); err != nil || rawQs == nil {
		return cfg, errors.New("config: questions must be an array")
	}
	for i, rq := range rawQs {
		qm, err := strictObject(rq, "question", "id", "scale")
		if err != nil {
			return cfg, err
		}
		var q feedback.Question
		if err := json.Unmarshal(qm["id"], &q.ID); err != nil || q.ID == "" {
			return cfg, fmt.Errorf("config: questions[%d].id must be a non-empty string", i)
		}
		var scale string
		if err := json.Unmarshal(qm["scale"], &scale); err != nil {
			return cfg, fmt.Errorf("config: questions[%d].scale must be a string", i)
		}
		q.Scale = feedback.Scale(scale)
		cfg.Questions = append(cfg.Questions, q)
	}
	cfg.Threshold = feedback.DefaultThreshold
	if t, ok := m["threshold"]; ok {
		n, ok := jsonInt(t)
		if !ok || n < 1 {
			return cfg, errors.New("config: threshold must be an integer >= 1")
		}
		cfg.Threshold = n
	}
	if b, ok := m["breakdown"]; ok {
		var dims []string
		if err := json.Unmarshal(b, &dims); err != nil || dims == nil {
			return cfg, errors.New("config: breakdown must be an array of dimensions")
		}
		for _, d := range dims {
			cfg.Breakdown = append(cfg.Breakdown, feedback.Dimension(d))
		}
	}
	// period is required when the breakdown has period, and ignored otherwise (§8.1):
	// without a period dimension its value is not even looked at.
	if slices.Contains(cfg.Breakdown, feedback.DimPeriod) {
		var s string
		if err := json.Unmarshal(m["period"], &s); err != nil || !feedback.PeriodUnit(s).Valid() {
			return cfg, errors.New("config: period must be day, isoweek, month, quarter or year")
		}
		cfg.Period = feedback.PeriodUnit(s)
	}
	if t, ok := m["total"]; ok {
		var b *bool
		if err := json.Unmarshal(t, &b); err != nil || b == nil {
			return cfg, errors.New("config: total must be a boolean")
		}
		cfg.NoTotal = !*b
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// jsonInt reads a JSON number with an integer value.
func jsonInt(raw json.RawMessage) (int, bool) {
	var f float64
	s := strings.TrimSpace(string(raw))
	if s == "" || !(s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		return 0, false
	}
	if err := json.Unmarshal(raw, &f); err != nil || f != float64(int(f)) || f > 1e9 || f < -1e9 {
		return 0, false
	}
	return int(f), true
}

func decodeResponse(line []byte, cfg feedback.MetricsConfig) (feedback.Response, error) {
	var r feedback.Response
	m, err := strictObject(line, "response")
	if err != nil {
		return r, err
	}
	var id string
	if raw, ok := m["id"]; ok && json.Unmarshal(raw, &id) == nil && id != "" {
		r.ID = id
	} else {
		return r, errors.New("id: required non-empty string")
	}
	var at string
	if err := json.Unmarshal(m["at"], &at); err != nil {
		return r, errors.New("at: required instant")
	}
	if r.At, err = osallisuus.ParseInstant(at); err != nil {
		return r, fmt.Errorf("at: %v", err)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"unit", &r.Unit}, {"service", &r.Service}, {"channel", &r.Channel}, {"lang", &r.Lang}} {
		raw, ok := m[f.key]
		if !ok {
			continue
		}
		var s *string
		if err := json.Unmarshal(raw, &s); err != nil {
			return r, fmt.Errorf("%s: must be a string or null", f.key)
		}
		if s != nil {
			*f.dst = *s
		}
	}
	raw, ok := m["answers"]
	if !ok {
		return r, errors.New("answers: required object")
	}
	answers, err := strictObject(raw, "answers")
	if err != nil {
		return r, err
	}
	r.Answers = make(map[string]feedback.Answer, len(cfg.Questions))
	for _, q := range cfg.Questions {
		a, ok := answers[q.ID]
		if !ok {
			continue
		}
		var ans feedback.Answer
		_ = ans.UnmarshalJSON(a)
		r.Answers[q.ID] = ans
	}
	return r, nil
}

// ---- workflow

// workflowReplay holds the replayed feedback by its CLI id.
type workflowReplay struct {
	targets feedback.Targets
	byID    map[string]feedback.Feedback
	last    time.Time // at of the last accepted line
}

func feedbackWorkflow(stdin io.Reader, stdout, stderr io.Writer) int {
	w := bufio.NewWriterSize(stdout, 1<<16)
	defer w.Flush()
	var readErr error
	next, stop := iter.Pull(lines(stdin, &readErr))
	defer stop()
	targets, err := configLine(next, decodeWorkflowConfig)
	if err != nil {
		w.WriteString(`{"id": null, "ok": false, "error": "invalid"}` + "\n")
		return 1
	}
	rp := &workflowReplay{targets: targets, byID: map[string]feedback.Feedback{}}
	for {
		line, ok := next()
		if !ok {
			break
		}
		id, st, err := rp.event(line)
		idJSON := []byte("null")
		if id != "" {
			idJSON, _ = json.Marshal(id)
		}
		if err != nil {
			fmt.Fprintf(w, `{"id": %s, "ok": false, "error": %q}`+"\n", idJSON, errorCode(err))
			continue
		}
		due := "null"
		if !st.Due.IsZero() {
			due = `"` + st.Due.String() + `"`
		}
		fmt.Fprintf(w, `{"id": %s, "ok": true, "state": %q, "due": %s, "overdue": %t}`+"\n", idJSON, st.State, due, st.Overdue)
	}
	if readErr != nil {
		fmt.Fprintf(stderr, "osallisuus: read input: %v\n", readErr)
		return 1
	}
	return 0
}

func errorCode(err error) string {
	switch osallisuus.KindOf(err) {
	case osallisuus.ErrNotFound:
		return "not-found"
	case osallisuus.ErrForbidden:
		return "forbidden"
	case osallisuus.ErrConflict:
		return "conflict"
	}
	return "invalid"
}

func decodeWorkflowConfig(line []byte) (feedback.Targets, error) {
	t := feedback.DefaultTargets()
	top, err := strictObject(line, "config line", "config")
	if err != nil {
		return t, err
	}
	raw, ok := top["config"]
	if !ok {
		return t, errors.New("missing config")
	}
	m, err := strictObject(raw, "config", "formalComplaintBusinessDays", "ordinaryBusinessDays", "urgentCalendarDays")
	if err != nil {
		return t, err
	}
	for key, dst := range map[string]*int{"formalComplaintBusinessDays": &t.FormalComplaintBusinessDays,
		"ordinaryBusinessDays": &t.OrdinaryBusinessDays, "urgentCalendarDays": &t.UrgentCalendarDays} {
		v, ok := m[key]
		if !ok {
			continue
		}
		n, ok := jsonInt(v)
		if !ok || n < 0 || n > 365 {
			return t, fmt.Errorf("config: %s must be an integer from 0 to 365", key)
		}
		*dst = n
	}
	return t, t.Validate()
}

var errInvalid = osallisuus.ErrInvalid

// cliID maps a CLI identifier to a feedback ID, deterministically.
func cliID(s string) feedback.ID {
	return feedback.ID{UUID: uuid.NewSHA1(uuid.NameSpaceURL, []byte("feedback:"+s))}
}

// event replays one event line and returns its id ("" when unusable) and the status.
func (rp *workflowReplay) event(line []byte) (string, feedback.Status, error) {
	m, err := strictObject(line, "event")
	if err != nil {
		return "", feedback.Status{}, errInvalid
	}
	id, okID := optString(m, "id")
	if !okID || id == nil || *id == "" {
		return "", feedback.Status{}, errInvalid
	}
	fb, ok := optString(m, "feedback")
	if !ok || fb == nil || *fb == "" {
		return *id, feedback.Status{}, errInvalid
	}
	atStr, ok := optString(m, "at")
	if !ok || atStr == nil {
		return *id, feedback.Status{}, errInvalid
	}
	at, err := osallisuus.ParseInstant(*atStr)
	if err != nil || at.Before(rp.last) {
		return *id, feedback.Status{}, errInvalid
	}
	action, ok := optString(m, "action")
	if !ok || action == nil {
		return *id, feedback.Status{}, errInvalid
	}
	if *action == "status" {
		f, found := rp.byID[*fb]
		if !found {
			return *id, feedback.Status{}, osallisuus.ErrNotFound
		}
		rp.last = at
		return *id, f.StatusAt(at), nil
	}
	c, intoKey, err := decodeCommand(m, feedback.Action(*action), *fb, at)
	if err != nil {
		return *id, feedback.Status{}, err
	}
	if err := c.Check(); err != nil {
		return *id, feedback.Status{}, err
	}
	var f feedback.Feedback
	switch c.Action {
	case feedback.ActionReceive:
		// Check 3 (every role may receive) passes; check 4 then 5.
		if _, exists := rp.byID[*fb]; exists {
			return *id, feedback.Status{}, osallisuus.ErrConflict
		}
		f, err = feedback.Receive(c, rp.targets)
	case feedback.ActionMerge:
		src, ok1 := rp.byID[*fb]
		into, ok2 := rp.byID[intoKey]
		if !ok1 || !ok2 {
			return *id, feedback.Status{}, osallisuus.ErrNotFound
		}
		var newInto feedback.Feedback
		f, newInto, err = feedback.Merge(src, into, c, rp.targets)
		if err == nil {
			rp.byID[intoKey] = newInto
		}
	default:
		cur, found := rp.byID[*fb]
		if !found {
			return *id, feedback.Status{}, osallisuus.ErrNotFound
		}
		f, err = feedback.Apply(cur, c, rp.targets)
	}
	if err != nil {
		return *id, feedback.Status{}, err
	}
	rp.byID[*fb] = f
	rp.last = at
	return *id, f.StatusAt(at), nil
}

// optString reads an optional string member: ok false when present with another type
// (null counts as absent).
func optString(m map[string]json.RawMessage, key string) (*string, bool) {
	raw, present := m[key]
	if !present {
		return nil, true
	}
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false
	}
	return s, true
}

func optBool(m map[string]json.RawMessage, key string) (*bool, bool) {
	raw, present := m[key]
	if !present {
		return nil, true
	}
	var b *bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, false
	}
	return b, true
}

// decodeCommand reads the fields of an action (check 1, form).
func decodeCommand(m map[string]json.RawMessage, action feedback.Action, fb string, at time.Time) (feedback.Command, string, error) {
	c := feedback.Command{Feedback: cliID(fb), Action: action, At: at}
	if !action.Valid() {
		return c, "", errInvalid
	}
	actor, ok1 := optString(m, "actor")
	role, ok2 := optString(m, "role")
	note, ok3 := optString(m, "note")
	if !ok1 || !ok2 || !ok3 || actor == nil || *actor == "" || role == nil || !feedback.Role(*role).Valid() {
		return c, "", errInvalid
	}
	c.Actor = feedback.Actor{Role: feedback.Role(*role), ID: *actor}
	if note != nil {
		c.Note = *note
	}
	nonEmpty := func(key string, dst *string) bool {
		s, ok := optString(m, key)
		if !ok || (s != nil && *s == "") {
			return false
		}
		if s != nil {
			*dst = *s
		}
		return true
	}
	intoKey := ""
	switch action {
	case feedback.ActionReceive, feedback.ActionTriage:
		kind, ok := optString(m, "kind")
		if !ok || (kind != nil && !feedback.Kind(*kind).Valid()) {
			return c, "", errInvalid
		}
		if kind != nil {
			c.Labels.Kind = feedback.Kind(*kind)
		}
		for key, dst := range map[string]**bool{"urgent": &c.Labels.Urgent,
			"formalComplaint": &c.Labels.FormalComplaint, "wantsReply": &c.Labels.WantsReply} {
			b, ok := optBool(m, key)
			if !ok {
				return c, "", errInvalid
			}
			*dst = b
		}
		if action == feedback.ActionReceive {
			ra, ok := optString(m, "receivedAt")
			if !ok {
				return c, "", errInvalid
			}
			if ra != nil {
				t, err := osallisuus.ParseInstant(*ra)
				if err != nil {
					return c, "", errInvalid
				}
				c.ReceivedAt = t
			}
			if !nonEmpty("sender", &c.Sender) {
				return c, "", errInvalid
			}
		}
	case feedback.ActionAssign:
		if !nonEmpty("assignee", &c.Assignee) {
			return c, "", errInvalid
		}
	case feedback.ActionForward:
		if !nonEmpty("recipient", &c.Recipient) {
			return c, "", errInvalid
		}
	case feedback.ActionMerge:
		if !nonEmpty("into", &intoKey) {
			return c, "", errInvalid
		}
		if intoKey != "" {
			c.Into = cliID(intoKey)
		}
	case feedback.ActionAnswer:
		r, ok := optString(m, "reasoning")
		if !ok {
			return c, "", errInvalid
		}
		if r != nil {
			c.Reasoning = *r
		}
		s, ok := optString(m, "sentOn")
		if !ok {
			return c, "", errInvalid
		}
		if s != nil {
			d, err := osallisuus.ParseDate(*s)
			if err != nil {
				return c, "", errInvalid
			}
			c.SentOn = d
		}
	}
	return c, intoKey, nil
}

// feedbackCommand and calendarCommand adapt the commands to the commands map, reading
// standard input.
func feedbackCommand(args []string, stdout, stderr io.Writer) int {
	return runFeedback(args, os.Stdin, stdout, stderr)
}

func calendarCommand(args []string, stdout, stderr io.Writer) int {
	return runCalendar(args, os.Stdin, stdout, stderr)
}
