package feedback

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// Contact holds how to reach the sender of one feedback (yhteystiedot), kept apart from
// the feedback text so that the text can be analysed and published without it (§2). It
// exists only with an allowed consent decision for its Purpose.
type Contact struct {
	Feedback    ID                       `json:"feedback"`
	Participant osallisuus.ParticipantID `json:"participant,omitzero"`
	Name        string                   `json:"name,omitzero"`
	Phone       string                   `json:"phone,omitzero"`
	Email       string                   `json:"email,omitzero"`
	Address     string                   `json:"address,omitzero"`
	// Purpose is the consent purpose the contact is kept for ("feedback-reply").
	Purpose string `json:"purpose"`
	// RetainUntil is the last day the contact may be kept.
	RetainUntil osallisuus.Date `json:"retainUntil"`
	CreatedAt   time.Time       `json:"createdAt"`
}

// IsZero reports whether c carries no way to reach anyone.
func (c Contact) IsZero() bool {
	return c.Name == "" && c.Phone == "" && c.Email == "" && c.Address == ""
}
