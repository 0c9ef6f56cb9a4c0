package panel

import (
	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
)

// PanelID identifies a [Panel]. Its zero value means "not set".
type PanelID struct{ uuid.UUID }

// MeetingID identifies a [Meeting].
type MeetingID struct{ uuid.UUID }

// ProposalID identifies a [Proposal].
type ProposalID struct{ uuid.UUID }

// CallID identifies an open call ([Call]).
type CallID struct{ uuid.UUID }

// IsZero reports whether id is unset.
func (id PanelID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id MeetingID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id ProposalID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id CallID) IsZero() bool { return id.UUID == uuid.Nil }

// NewPanelID returns a new time-ordered (version 7) panel ID.
func NewPanelID() (PanelID, error) {
	u, err := osallisuus.NewUUID()
	return PanelID{u}, err
}

// NewMeetingID returns a new time-ordered meeting ID.
func NewMeetingID() (MeetingID, error) {
	u, err := osallisuus.NewUUID()
	return MeetingID{u}, err
}

// NewProposalID returns a new time-ordered proposal ID.
func NewProposalID() (ProposalID, error) {
	u, err := osallisuus.NewUUID()
	return ProposalID{u}, err
}

// NewCallID returns a new time-ordered call ID.
func NewCallID() (CallID, error) {
	u, err := osallisuus.NewUUID()
	return CallID{u}, err
}
