package osallisuus

import (
	"fmt"

	"github.com/google/uuid"
)

// ParticipantID identifies a participant (osallistuja): a customer, a relative, a
// potential customer or an official. It is the one participant ID type every package
// shares. The zero value means "not set". It embeds [uuid.UUID], so it keeps String,
// MarshalText, UnmarshalText, Scan and Value, and its JSON form is the canonical string.
type ParticipantID struct{ uuid.UUID }

// NewParticipantID returns a new time-ordered (version 7) participant ID.
func NewParticipantID() (ParticipantID, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return ParticipantID{}, fmt.Errorf("new participant id: %w", err)
	}
	return ParticipantID{u}, nil
}

// ParseParticipantID parses the canonical text form; an error matches [ErrInvalid].
func ParseParticipantID(s string) (ParticipantID, error) {
	u, err := ParseUUID("participantId", s)
	return ParticipantID{u}, err
}

// IsZero reports whether id is unset.
func (id ParticipantID) IsZero() bool { return id.UUID == uuid.Nil }

// NewUUID returns a new version 7 UUID, for the ID types of the domain packages.
func NewUUID() (uuid.UUID, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return uuid.Nil, fmt.Errorf("new id: %w", err)
	}
	return u, nil
}

// ParseUUID parses s as a UUID in canonical form (36 characters, or with urn:uuid: or
// braces as uuid.Parse allows). The error is a [*ValidationError] naming field.
func ParseUUID(field, s string) (uuid.UUID, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, Invalid(field, CodeFormat)
	}
	return u, nil
}
