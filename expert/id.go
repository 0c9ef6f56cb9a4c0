package expert

import (
	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
)

// ExpertID identifies an [Expert] record. A person who returns after retiring gets a new
// record and a new ID (see Expert.Previous). The zero value means "not set".
type ExpertID struct{ uuid.UUID }

// RequestID identifies a [Request].
type RequestID struct{ uuid.UUID }

// AssignmentID identifies an [Assignment] within its request.
type AssignmentID struct{ uuid.UUID }

// NewExpertID returns a new time-ordered (version 7) expert ID.
func NewExpertID() (ExpertID, error) { u, err := osallisuus.NewUUID(); return ExpertID{u}, err }

// NewRequestID returns a new time-ordered (version 7) request ID.
func NewRequestID() (RequestID, error) { u, err := osallisuus.NewUUID(); return RequestID{u}, err }

// NewAssignmentID returns a new time-ordered (version 7) assignment ID.
func NewAssignmentID() (AssignmentID, error) {
	u, err := osallisuus.NewUUID()
	return AssignmentID{u}, err
}

// ParseExpertID parses the canonical text form; the error matches [osallisuus.ErrInvalid].
func ParseExpertID(s string) (ExpertID, error) {
	u, err := osallisuus.ParseUUID("expertId", s)
	return ExpertID{u}, err
}

// ParseRequestID parses the canonical text form; the error matches [osallisuus.ErrInvalid].
func ParseRequestID(s string) (RequestID, error) {
	u, err := osallisuus.ParseUUID("requestId", s)
	return RequestID{u}, err
}

// ParseAssignmentID parses the canonical text form; the error matches
// [osallisuus.ErrInvalid].
func ParseAssignmentID(s string) (AssignmentID, error) {
	u, err := osallisuus.ParseUUID("assignmentId", s)
	return AssignmentID{u}, err
}

// IsZero reports whether id is unset.
func (id ExpertID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id RequestID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id AssignmentID) IsZero() bool { return id.UUID == uuid.Nil }
