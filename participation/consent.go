package participation

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
)

// EventID identifies a [ConsentEvent] in the ledger; the zero value means "not set".
type EventID struct{ uuid.UUID }

// NewEventID returns a new version 7 event ID.
func NewEventID() (EventID, error) {
	u, err := osallisuus.NewUUID()
	return EventID{u}, err
}

// IsZero reports whether id is unset.
func (id EventID) IsZero() bool { return id.UUID == uuid.Nil }

// Action is what a consent event does.
type Action string

// The actions (spec/consent.md §5).
const (
	ActionUnspecified Action = ""
	Grant             Action = "grant"    // antaa suostumus
	Refuse            Action = "refuse"   // kieltäytyä
	Withdraw          Action = "withdraw" // peruuttaa suostumus, GDPR Art 7(3)
)

// Valid reports whether a is one of the defined actions.
func (a Action) Valid() bool { return a == Grant || a == Refuse || a == Withdraw }

// denies reports whether a is a refusal or a withdrawal.
func (a Action) denies() bool { return a == Refuse || a == Withdraw }

// Method is how a consent event was given.
type Method string

// The methods (spec/consent.md §5).
const (
	MethodUnspecified Method = ""
	Written           Method = "written"    // kirjallinen
	Electronic        Method = "electronic" // strongly identified e-service (vahva tunnistus)
	Oral              Method = "oral"       // suullinen; recorded by staff (RecordedBy)
)

// Valid reports whether m is one of the defined methods.
func (m Method) Valid() bool { return m == Written || m == Electronic || m == Oral }

// ConsentEvent is one accepted (or proposed) act in the consent ledger: a grant, refusal
// or withdrawal of consent (suostumus) for one subject, purpose and scope
// (spec/consent.md §5). Events are never changed once appended.
type ConsentEvent struct {
	// The fields a decision reads for every event come first, so that they share a cache
	// line: At, Purpose, Subject, then Scope and Action.

	// At is when the act took effect.
	At      time.Time                `json:"at"`
	Purpose string                   `json:"purpose"`
	Subject osallisuus.ParticipantID `json:"subject"`
	// NoticeVersion is the privacy notice (tietosuojaseloste) version shown; a grant
	// needs ≥ 1.
	NoticeVersion int `json:"noticeVersion"`
	// Scope is "" (global) or "kind:id", such as "panel:north".
	Scope  string `json:"scope,omitzero"`
	Action Action `json:"action"`
	// By is who acted: the subject or a representative.
	By osallisuus.ParticipantID `json:"by"`
	// RecordedBy is the staff member who recorded the event; required for oral events.
	RecordedBy osallisuus.ParticipantID `json:"recordedBy,omitzero"`
	Method     Method                   `json:"method"`
	// NoticeHash is optional: "sha256:" and 64 lower-case hex digits of the notice text.
	NoticeHash string `json:"noticeHash,omitzero"`
	// ValidUntil optionally ends a grant (exclusive); only on grants, after At.
	ValidUntil time.Time `json:"validUntil,omitzero"`
	// Authority is under which the actor acted, decided when the event was accepted (E1).
	Authority Authority `json:"authority,omitzero"`
	// RecordedAt is when the library accepted the event (from the service's Clock).
	RecordedAt time.Time `json:"recordedAt,omitzero"`
	// ID and Seq are assigned by [ConsentLedger.Append]. Seq is the ledger position: it
	// grows with every append and breaks exact ties between events at the same instant.
	ID  EventID `json:"id,omitzero"`
	Seq int64   `json:"seq,omitzero"`
}

// AuthorityKind is the ground on which an actor was allowed to act (spec/consent.md E1).
type AuthorityKind string

// The authority kinds, in the order E1 prefers them when several qualify.
const (
	AuthorityUnspecified AuthorityKind = ""
	AuthoritySelfAge     AuthorityKind = "self-age"      // the subject, old enough for the purpose
	AuthoritySelfMature  AuthorityKind = "self-maturity" // the subject, assessed mature (Ref: assessment)
	// AuthoritySelfRefusal: a refusal or withdrawal by a subject who could not grant.
	AuthoritySelfRefusal AuthorityKind = "self-refusal"
	AuthorityGuardian    AuthorityKind = "guardian" // Ref: the representation
	AuthorityTrustee     AuthorityKind = "trustee"  // Ref: the representation
	AuthorityProxy       AuthorityKind = "proxy"    // Ref: the representation
)

// Authority records under which authority an event was accepted: its kind and, for
// self-maturity and representations, the ID of the assessment or representation.
type Authority struct {
	Kind AuthorityKind `json:"kind"`
	Ref  uuid.UUID     `json:"ref,omitzero"`
}

// IsZero reports whether a is unset.
func (a Authority) IsZero() bool { return a == Authority{} }

// ConsentQuery asks whether Subject's data may be processed for Purpose in Scope at At
// (spec/consent.md §7). Scope "" asks about global consent; "panel:north" sees its own
// scope and global events.
type ConsentQuery struct {
	Subject osallisuus.ParticipantID `json:"subject"`
	Purpose string                   `json:"purpose"`
	Scope   string                   `json:"scope,omitzero"`
	At      time.Time                `json:"at"`
}

// Reason is the reason of a consent decision; its text form is the code of
// spec/consent.md §11. It is the kernel's reason type, so a refusal built from a decision
// ([osallisuus.RuleError]) carries the same code.
type Reason = osallisuus.Reason

// The decision reasons (spec/consent.md §11).
const (
	ReasonNotRequired    Reason = "not-required"    // D2: basis public-task; allowed
	ReasonGranted        Reason = "granted"         // D6.4; allowed
	ReasonNoConsent      Reason = "no-consent"      // D5: no applicable event
	ReasonRefused        Reason = "refused"         // D5: the winner is a refusal
	ReasonWithdrawn      Reason = "withdrawn"       // D5: the winner is a withdrawal
	ReasonExpired        Reason = "expired"         // D6.1
	ReasonNoticeOutdated Reason = "notice-outdated" // D6.2
	ReasonNotExplicit    Reason = "not-explicit"    // D6.3
	// ReasonNotAuthorized is the refusal code of R2 when recording an event.
	ReasonNotAuthorized Reason = "granter-not-authorized"
	// ReasonNotStaff refuses a maturity assessment by someone who is not an official
	// (S3: assessments are made by staff).
	ReasonNotStaff Reason = "not-staff"
)

// ConsentDecision is the answer to a [ConsentQuery], explaining itself (E1): whether
// processing is allowed, why, and for answers decided by an event, that event with its
// evidence (method, by, recordedBy, notice version and hash, scope, authority).
// A denial is a decision, not an error.
type ConsentDecision struct {
	Allowed bool         `json:"allowed"`
	Reason  Reason       `json:"reason"`
	Query   ConsentQuery `json:"query"`
	// Event is the deciding event, nil for not-required, no-consent and erased answers.
	// It is the evidence, not a copy: [Decide] and [Trail.Decide] point into the events
	// they were given (so a decision costs no copy of them), and [Service.CheckConsent]
	// gives each decision an event of its own. Treat it as read-only.
	Event *ConsentEvent `json:"event,omitzero"`
	// ExpiresAt is the D6.1 bound of a deciding grant, in UTC: the earlier of its
	// ValidUntil and the end of the purpose's MaxDuration; zero when there is no bound.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// HasEvent reports whether an event decided.
func (d ConsentDecision) HasEvent() bool { return d.Event != nil }

// Err returns nil when the decision allows, and otherwise a *osallisuus.RuleError of kind
// ErrForbidden with the decision's reason and the decision as Detail, for services that
// refuse a step without consent.
func (d ConsentDecision) Err() error {
	if d.Allowed {
		return nil
	}
	return &osallisuus.RuleError{Op: "consent " + d.Query.Purpose, Kind: osallisuus.ErrForbidden,
		Reasons: []osallisuus.Reason{d.Reason}, Detail: d}
}

// ConsentChecker answers consent questions. It is what panel, expert, activities and
// feedback call (spec/consent.md §9), so a host can back it by anything; [*Service]
// implements it on the stores. A denial is a decision with Allowed false, not an error;
// an invalid query (D1) returns an error matching osallisuus.ErrInvalid.
type ConsentChecker interface {
	CheckConsent(ctx context.Context, q ConsentQuery) (ConsentDecision, error)
}

// ConsentCheckerFunc adapts a function to [ConsentChecker], for hosts and tests.
type ConsentCheckerFunc func(ctx context.Context, q ConsentQuery) (ConsentDecision, error)

// CheckConsent calls f.
func (f ConsentCheckerFunc) CheckConsent(ctx context.Context, q ConsentQuery) (ConsentDecision, error) {
	return f(ctx, q)
}

// ValidScope reports whether s is "" (global) or "kind:id" with kind [a-z][a-z0-9-]* and
// id [A-Za-z0-9._-]+ (spec/consent.md §5).
func ValidScope(s string) bool {
	if s == "" {
		return true
	}
	i := strings.IndexByte(s, ':')
	if i < 1 || i == len(s)-1 {
		return false
	}
	kind, id := s[:i], s[i+1:]
	if kind[0] < 'a' || kind[0] > 'z' {
		return false
	}
	for j := 1; j < len(kind); j++ {
		c := kind[j]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	for j := 0; j < len(id); j++ {
		c := id[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validNoticeHash reports whether s is "sha256:" and 64 lower-case hex digits.
func validNoticeHash(s string) bool {
	const prefix = "sha256:"
	if len(s) != len(prefix)+64 || s[:len(prefix)] != prefix {
		return false
	}
	for i := len(prefix); i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
