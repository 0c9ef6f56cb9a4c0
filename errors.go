package osallisuus

import (
	"errors"
	"fmt"
	"strings"
)

// The error kinds. Every error the library returns matches at most one of them under
// [errors.Is], so a host maps errors to responses (HTTP statuses, for example) with
// errors.Is alone. The set is closed and append-only: the kinds cross process boundaries.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a version or uniqueness clash (a stale write, a duplicate ID).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: bad input. The error is usually a [*ValidationError] naming the fields.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden: valid input that a rule refuses: no consent, not authorised, a state
	// that does not allow the step. The error is usually a [*RuleError].
	ErrForbidden = errors.New("forbidden")
	// ErrCapacity: a limit is reached (a full panel, a fee cap). Usually a [*RuleError].
	ErrCapacity = errors.New("capacity")
)

// Code is a stable, machine-readable problem code in a [Problem]. Codes are the keys of
// the message catalog (see [Localize]); their text never changes once published.
type Code string

// The problem codes used across the library.
const (
	CodeRequired     Code = "required"      // a required value is missing or empty
	CodeFormat       Code = "format"        // the value does not have the required form
	CodeUnknown      Code = "unknown"       // the value names something that does not exist
	CodeOutOfRange   Code = "out-of-range"  // a number or date outside its allowed range
	CodeTooLong      Code = "too-long"      // a text longer than allowed
	CodeDuplicate    Code = "duplicate"     // a value that must be unique is repeated
	CodeOrder        Code = "order"         // a value that must come after another does not
	CodeNotAllowed   Code = "not-allowed"   // a value that may not be given in this context
	CodeUnknownField Code = "unknown-field" // a field the format does not define (typos)
	CodeType         Code = "type"          // a value of the wrong JSON type
)

// Problem is one thing wrong with an input value.
type Problem struct {
	// Field is the JSON path of the value, such as "events[1].validUntil"; "" is the
	// whole input.
	Field string `json:"field"`
	// Code says what is wrong.
	Code Code `json:"code"`
	// Params gives the limits or the offending value where they help, such as
	// {"max": 200}. Never personal data.
	Params map[string]any `json:"params,omitempty"`
}

// ValidationError lists every problem found in an input, not only the first. It matches
// [ErrInvalid] under [errors.Is]; reach the fields with errors.As or errors.AsType.
// Error() is English for logs; users get Finnish, Swedish or English from [Localize].
type ValidationError struct {
	// Op names the operation that validated, such as "record consent event"; may be empty.
	Op       string    `json:"op,omitempty"`
	Problems []Problem `json:"problems"`
}

// Invalid returns a *ValidationError with one problem.
func Invalid(field string, code Code) *ValidationError {
	return &ValidationError{Problems: []Problem{{Field: field, Code: code}}}
}

// Add appends a problem and returns e, for building up a list.
func (e *ValidationError) Add(field string, code Code) *ValidationError {
	e.Problems = append(e.Problems, Problem{Field: field, Code: code})
	return e
}

// AddParams appends a problem with parameters.
func (e *ValidationError) AddParams(field string, code Code, params map[string]any) *ValidationError {
	e.Problems = append(e.Problems, Problem{Field: field, Code: code, Params: params})
	return e
}

// Merge appends the problems of other with their field paths prefixed by prefix (joined
// with a dot, or directly when the other path starts with "[" ).
func (e *ValidationError) Merge(prefix string, other *ValidationError) *ValidationError {
	if other == nil {
		return e
	}
	for _, p := range other.Problems {
		p.Field = JoinField(prefix, p.Field)
		e.Problems = append(e.Problems, p)
	}
	return e
}

// Err returns e as an error when it holds problems, and nil otherwise. It lets a
// validator build a list and return it in one line without a typed-nil trap.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Has reports whether e names field (exactly).
func (e *ValidationError) Has(field string) bool {
	if e == nil {
		return false
	}
	for _, p := range e.Problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

// Error lists the problems in English, for logs.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString("invalid")
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if p.Field != "" {
			b.WriteString(p.Field)
			b.WriteString(" ")
		}
		b.WriteString(string(p.Code))
	}
	return b.String()
}

// Is makes a *ValidationError match [ErrInvalid].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// JoinField joins JSON path parts: JoinField("events[1]", "at") is "events[1].at",
// JoinField("events", "[1]") is "events[1]"; an empty part is left out.
func JoinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case field[0] == '[':
		return prefix + field
	default:
		return prefix + "." + field
	}
}

// Reason is a stable machine reason code of a refusal, as the specs name them
// (`granter-not-authorized`, `no-consent`, `full`, `not-active`, `exceeds`, ...).
type Reason string

// RuleError is a refusal of valid input by a rule. Kind is [ErrForbidden], [ErrCapacity]
// or [ErrConflict] and is matched under [errors.Is]; Reasons are the spec's codes; Detail
// is an optional value that explains the refusal (a consent decision, the lapsed checks,
// a cap warning), reached with errors.As.
type RuleError struct {
	// Op names the refused operation, such as "record consent event"; may be empty.
	Op string `json:"op,omitempty"`
	// Kind is the error kind; nil counts as ErrForbidden.
	Kind error `json:"-"`
	// Reasons holds one or more reason codes, most important first.
	Reasons []Reason `json:"reasons"`
	// Detail optionally carries the value that decided, for callers that render it.
	Detail any `json:"detail,omitempty"`
}

// Refuse returns a *RuleError of kind with the given reasons.
func Refuse(kind error, reasons ...Reason) *RuleError {
	return &RuleError{Kind: kind, Reasons: reasons}
}

// Error says the operation, kind and reasons in English, for logs.
func (e *RuleError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.kind().Error())
	for i, r := range e.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(string(r))
	}
	return b.String()
}

// Is makes a *RuleError match its Kind.
func (e *RuleError) Is(target error) bool { return target == e.kind() }

// Has reports whether r is among the reasons.
func (e *RuleError) Has(r Reason) bool {
	for _, x := range e.Reasons {
		if x == r {
			return true
		}
	}
	return false
}

func (e *RuleError) kind() error {
	if e.Kind == nil {
		return ErrForbidden
	}
	return e.Kind
}

// KindOf returns the error kind err matches (one of the five sentinels), or nil.
func KindOf(err error) error {
	for _, k := range []error{ErrInvalid, ErrForbidden, ErrCapacity, ErrConflict, ErrNotFound} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// NotFound returns an error matching [ErrNotFound] that says what was not found.
func NotFound(what string, id fmt.Stringer) error {
	return fmt.Errorf("%s %s: %w", what, id, ErrNotFound)
}
