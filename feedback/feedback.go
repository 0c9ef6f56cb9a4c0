package feedback

import (
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
)

// ID identifies a feedback (palaute). The zero value means "not set".
type ID struct{ uuid.UUID }

// NewID returns a new time-ordered (version 7) feedback ID.
func NewID() (ID, error) {
	u, err := osallisuus.NewUUID()
	return ID{u}, err
}

// ParseID parses the canonical text form; the error matches osallisuus.ErrInvalid.
func ParseID(s string) (ID, error) {
	u, err := osallisuus.ParseUUID("id", s)
	return ID{u}, err
}

// IsZero reports whether id is unset.
func (id ID) IsZero() bool { return id.UUID == uuid.Nil }

// Feedback is one customer feedback (asiakaspalaute): the redacted text with its
// classification, and its workflow (§2, §6). Contact details are never part of it: they
// are a separate [Contact].
type Feedback struct {
	ID         ID        `json:"id"`
	ReceivedAt time.Time `json:"receivedAt"`
	Channel    Channel   `json:"channel,omitzero"`
	// Text is the redacted, NFC-normalised text (§4); the original is not kept.
	Text             string         `json:"text,omitzero"`
	LangHint         string         `json:"langHint,omitzero"`
	UnitCode         string         `json:"unitCode,omitzero"`
	ServiceCode      string         `json:"serviceCode,omitzero"`
	SurveyResponseID string         `json:"surveyResponseId,omitzero"`
	EnteredBy        Actor          `json:"enteredBy,omitzero"` // assisted input: the staff actor
	Classification   Classification `json:"classification,omitzero"`
	Redactions       []Redaction    `json:"redactions,omitzero"`

	// Workflow (§6.1).
	Labels        Labels          `json:"labels"`
	Sender        string          `json:"sender,omitzero"` // participant ID text; "" anonymous
	State         State           `json:"state"`
	ClockStart    osallisuus.Date `json:"clockStart"`
	Due           osallisuus.Date `json:"due,omitzero"`
	DeadlineClass DeadlineClass   `json:"deadlineClass"`
	Assignee      string          `json:"assignee,omitzero"`
	Recipient     string          `json:"recipient,omitzero"`
	MergedInto    ID              `json:"mergedInto,omitzero"`
	Reasoning     string          `json:"reasoning,omitzero"`
	SentOn        osallisuus.Date `json:"sentOn,omitzero"`
	Events        []Event         `json:"events"`

	Version int64 `json:"version"`
}
