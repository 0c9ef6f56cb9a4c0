package feedback

import (
	"slices"
	"strings"

	"github.com/osallisuus/osallisuus"
)

// ConditionOp is the test of a display condition (Q1).
type ConditionOp string

// The condition tests.
const (
	OpEquals    ConditionOp = "="        // the earlier answer has the value (for multiple: includes it)
	OpNotEquals ConditionOp = "!="       // the earlier answer does not have it, or there is none
	OpAnswered  ConditionOp = "answered" // the earlier question was answered ("don't know" too)
)

// Valid reports whether op is one of the three tests.
func (op ConditionOp) Valid() bool { return op == OpEquals || op == OpNotEquals || op == OpAnswered }

// Condition (näyttöehto) shows a question only when an earlier answer matches (Q1). Its
// text form, read by [ParseCondition] and written by [Condition.String], is
// "<question> = <value>", "<question> != <value>" or "<question> answered", where the
// question ID and value match [A-Za-z0-9._-]+; a value is a number ("9"), "dk", a choice
// value, "yes" or "no".
type Condition struct {
	Question string      `json:"question"`
	Op       ConditionOp `json:"op"`
	// Value is compared with the answer; empty for OpAnswered.
	Value string `json:"value,omitzero"`
}

// Validate checks the form of c (not that the question exists; see
// [Questionnaire.Validate]). The error is a *osallisuus.ValidationError.
func (c Condition) Validate() error {
	ve := &osallisuus.ValidationError{Op: "condition"}
	if !validKey(c.Question) {
		ve.Add("question", osallisuus.CodeFormat)
	}
	switch {
	case !c.Op.Valid():
		ve.Add("op", osallisuus.CodeUnknown)
	case c.Op == OpAnswered && c.Value != "":
		ve.Add("value", osallisuus.CodeNotAllowed)
	case c.Op != OpAnswered && !validKey(c.Value):
		ve.Add("value", osallisuus.CodeFormat)
	}
	return ve.Err()
}

// String returns the canonical text form ("q1 = 9", "q2 answered").
func (c Condition) String() string {
	if c.Op == OpAnswered {
		return c.Question + " answered"
	}
	return c.Question + " " + string(c.Op) + " " + c.Value
}

// MarshalText implements encoding.TextMarshaler with the canonical text form, so the
// JSON form of a condition is its text ("q1 = 9").
func (c Condition) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseCondition].
func (c *Condition) UnmarshalText(b []byte) error {
	x, err := ParseCondition(string(b))
	if err != nil {
		return err
	}
	*c = x
	return nil
}

// ParseCondition reads the text form of a condition. White space (spaces and tabs)
// around the parts is free and may be left out around "=" and "!=" ("q1=9"); anything
// else is a *osallisuus.ValidationError (field "condition", code format). Pure.
func ParseCondition(s string) (Condition, error) {
	bad := func() (Condition, error) {
		return Condition{}, &osallisuus.ValidationError{Op: "parse condition",
			Problems: []osallisuus.Problem{{Field: "condition", Code: osallisuus.CodeFormat}}}
	}
	s = strings.Trim(s, " \t")
	var c Condition
	if i := strings.IndexByte(s, '='); i >= 0 {
		left, right := s[:i], s[i+1:]
		c.Op = OpEquals
		if strings.HasSuffix(left, "!") {
			left, c.Op = left[:len(left)-1], OpNotEquals
		}
		c.Question, c.Value = strings.Trim(left, " \t"), strings.Trim(right, " \t")
	} else {
		f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
		if len(f) != 2 || f[1] != string(OpAnswered) {
			return bad()
		}
		c.Question, c.Op = f[0], OpAnswered
	}
	if c.Validate() != nil {
		return bad()
	}
	return c, nil
}

// Holds reports whether c holds for an answer: answered says whether there is one, and
// values are its values (the number or "dk", the chosen values; none for text). For a
// multiple-choice answer "=" holds when the value is among those chosen. Pure.
func (c Condition) Holds(answered bool, values []string) bool {
	switch c.Op {
	case OpAnswered:
		return answered
	case OpEquals:
		return answered && slices.Contains(values, c.Value)
	case OpNotEquals:
		return !answered || !slices.Contains(values, c.Value)
	}
	return false
}
