package feedback

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// MaxTextBytes is the longest feedback text accepted, after trimming (§2).
const MaxTextBytes = 20000

// Config holds the optional settings of a [Service]; the zero Config means defaults.
type Config struct {
	Clock osallisuus.Clock // nil: the system clock
	// ReplyPurpose is the consent purpose asked before storing a Contact; "" means
	// "feedback-reply". A county that answers feedback as a public task configures this
	// purpose with basis public-task, and the check returns not-required.
	ReplyPurpose string
	// Targets are the answer-time targets; nil means DefaultTargets.
	Targets *Targets
	// Lexicon classifies; nil means DefaultLexicon.
	Lexicon *Lexicon
	// Redact are the redaction options (the host's name list, allowed phones).
	Redact RedactOptions
	// ContactRetentionDays is how long a contact is kept after receipt; 0 means 365.
	// [Service.ApplyRetention] deletes a contact after its RetainUntil day.
	ContactRetentionDays int
	// Surveys is the survey store whose identified responses [Service.ExportPersonalData]
	// and [Service.ErasePersonalData] cover. nil means the Store itself when it is also a
	// SurveyStore (as memstore's is), else no survey responses: a host that keeps surveys
	// apart (sqlstore's DB.Surveys) must set it.
	Surveys SurveyStore
}

// Service is the feedback service (palautepalvelu): intake, workflow and loop summaries
// over a Store, and the GDPR export, erasure and retention of what the package holds
// about a participant (gdpr.go). Safe for concurrent use.
type Service struct {
	store   Store
	surveys SurveyStore // nil: no survey responses to export or erase
	consent participation.ConsentChecker
	clock   osallisuus.Clock
	cfg     Config
	targets Targets
	lexicon *Lexicon
}

// NewService returns a Service. A bad Config is a *osallisuus.ValidationError.
func NewService(store Store, consent participation.ConsentChecker, cfg Config) (*Service, error) {
	ve := &osallisuus.ValidationError{Op: "feedback service"}
	if store == nil {
		ve.Add("store", osallisuus.CodeRequired)
	}
	if consent == nil {
		ve.Add("consent", osallisuus.CodeRequired)
	}
	targets := DefaultTargets()
	if cfg.Targets != nil {
		targets = *cfg.Targets
		if err := targets.Validate(); err != nil {
			ve.Merge("config.targets", err.(*osallisuus.ValidationError))
		}
	}
	if cfg.ContactRetentionDays < 0 {
		ve.Add("config.contactRetentionDays", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if cfg.ReplyPurpose == "" {
		cfg.ReplyPurpose = "feedback-reply"
	}
	if cfg.ContactRetentionDays == 0 {
		cfg.ContactRetentionDays = 365
	}
	lx := cfg.Lexicon
	if lx == nil {
		lx = DefaultLexicon()
	}
	surveys := cfg.Surveys
	if surveys == nil {
		surveys, _ = store.(SurveyStore)
	}
	return &Service{store: store, surveys: surveys, consent: consent, clock: osallisuus.ClockOrSystem(cfg.Clock), cfg: cfg,
		targets: targets, lexicon: lx}, nil
}

// Intake is a feedback as it arrives (§2).
type Intake struct {
	Channel Channel
	Text    string
	// LangHint may break a language tie only; it is stored as given.
	LangHint         string
	UnitCode         string
	ServiceCode      string
	SurveyResponseID string
	// Sender is the customer, or zero when the feedback is anonymous.
	Sender osallisuus.ParticipantID
	// EnteredBy is the staff member entering feedback on a customer's behalf (assisted
	// input); zero when the customer entered it.
	EnteredBy Actor
	// ReceivedAt is when the feedback arrived (a letter's stamp); zero means now.
	ReceivedAt time.Time
	// Contact, when not zero, is stored apart from the text if consent allows.
	Contact Contact
}

// Validate returns a *osallisuus.ValidationError naming every problem of in.
func (in Intake) Validate() error {
	ve := &osallisuus.ValidationError{Op: "feedback intake"}
	if !in.Channel.Valid() {
		ve.Add("channel", osallisuus.CodeUnknown)
	}
	text := strings.TrimSpace(in.Text)
	switch {
	case !utf8.ValidString(in.Text):
		ve.Add("text", osallisuus.CodeFormat)
	case text == "":
		ve.Add("text", osallisuus.CodeRequired)
	case len(norm.NFC.String(text)) > MaxTextBytes:
		ve.AddParams("text", osallisuus.CodeTooLong, map[string]any{"max": MaxTextBytes})
	}
	if in.EnteredBy != (Actor{}) && (in.EnteredBy.Role != RoleStaff || in.EnteredBy.ID == "") {
		ve.Add("enteredBy", osallisuus.CodeNotAllowed)
	}
	return ve.Err()
}

// Submit takes a feedback in (§2): validates, normalises to NFC, classifies, redacts,
// computes the deadline and stores it in state received. Bad input is a
// *osallisuus.ValidationError and nothing is stored. When in.Contact is set, the
// contact is stored only with an allowed consent decision for the reply purpose, scope
// "feedback:<id>"; otherwise the feedback is still stored and returned together with a
// *osallisuus.RuleError (ErrForbidden) so the caller can tell the sender.
func (s *Service) Submit(ctx context.Context, in Intake) (Feedback, error) {
	if err := in.Validate(); err != nil {
		return Feedback{}, err
	}
	now := s.clock.Now()
	id, err := NewID()
	if err != nil {
		return Feedback{}, err
	}
	f, err := s.intake(id, in, now)
	if err != nil {
		return Feedback{}, err
	}
	if err := s.store.CreateFeedback(ctx, f); err != nil {
		return Feedback{}, err
	}
	f.Version = 1
	if in.Contact.IsZero() {
		return f, nil
	}
	return f, s.storeContact(ctx, f, in, now)
}

// intake builds the feedback value (a pure step apart from the lexicon and options).
func (s *Service) intake(id ID, in Intake, now time.Time) (Feedback, error) {
	text := norm.NFC.String(strings.TrimSpace(in.Text))
	redacted, spans := Redact(text, s.cfg.Redact)
	c := s.lexicon.ClassifyHint(redacted, in.LangHint)
	actor := Actor{Role: RoleSystem, ID: string(in.Channel)}
	switch {
	case in.EnteredBy != (Actor{}):
		actor = in.EnteredBy
	case !in.Sender.IsZero():
		actor = Actor{Role: RoleCustomer, ID: in.Sender.String()}
	}
	urgent, formal, wants := c.Urgent, c.FormalComplaint, c.WantsReply
	cmd := Command{Feedback: id, Action: ActionReceive, Actor: actor, At: now, ReceivedAt: in.ReceivedAt,
		Labels: LabelPatch{Kind: c.Kind, Urgent: &urgent, FormalComplaint: &formal, WantsReply: &wants}}
	if !in.Sender.IsZero() {
		cmd.Sender = in.Sender.String()
	}
	f, err := Receive(cmd, s.targets)
	if err != nil {
		return Feedback{}, err
	}
	f.Channel, f.Text, f.Redactions, f.Classification = in.Channel, redacted, spans, c
	f.LangHint, f.UnitCode, f.ServiceCode, f.SurveyResponseID = in.LangHint, in.UnitCode, in.ServiceCode, in.SurveyResponseID
	f.EnteredBy = in.EnteredBy
	return f, nil
}

func (s *Service) storeContact(ctx context.Context, f Feedback, in Intake, now time.Time) error {
	refusal := &osallisuus.RuleError{Op: "store contact", Kind: osallisuus.ErrForbidden,
		Reasons: []osallisuus.Reason{participation.ReasonNoConsent}}
	if in.Sender.IsZero() {
		return refusal // an anonymous sender cannot be asked
	}
	d, err := s.consent.CheckConsent(ctx, participation.ConsentQuery{Subject: in.Sender,
		Purpose: s.cfg.ReplyPurpose, Scope: "feedback:" + f.ID.String(), At: now})
	if err != nil {
		return err
	}
	if err := d.Err(); err != nil {
		return err
	}
	c := in.Contact
	c.Feedback, c.Participant, c.Purpose, c.CreatedAt = f.ID, in.Sender, s.cfg.ReplyPurpose, now.UTC()
	c.RetainUntil = f.ClockStart.AddDays(s.cfg.ContactRetentionDays)
	return s.store.CreateContact(ctx, c)
}

// Act applies one workflow command (any action but receive) and returns the changed
// feedback (§6.2). Checks run in the spec's order: form (ErrInvalid), existence
// (ErrNotFound), role (ErrForbidden), state (ErrConflict), content (ErrInvalid); a
// refused command changes nothing. For a merge the returned value is the merged source.
func (s *Service) Act(ctx context.Context, c Command) (Feedback, error) {
	if c.At.IsZero() {
		c.At = s.clock.Now()
	}
	if err := c.Check(); err != nil {
		return Feedback{}, err
	}
	switch c.Action {
	case ActionReceive:
		return Feedback{}, osallisuus.Invalid("action", osallisuus.CodeNotAllowed)
	case ActionMerge:
		src, _, err := s.store.UpdateFeedbackPair(ctx, c.Feedback, c.Into, func(a, b *Feedback) error {
			na, nb, err := Merge(*a, *b, c, s.targets)
			if err != nil {
				return err
			}
			na.Version, nb.Version = a.Version, b.Version
			*a, *b = na, nb
			return nil
		})
		return src, err
	}
	return s.store.UpdateFeedback(ctx, c.Feedback, func(f *Feedback) error {
		nf, err := Apply(*f, c, s.targets)
		if err != nil {
			return err
		}
		nf.Version = f.Version
		*f = nf
		return nil
	})
}

// Get returns a feedback, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id ID) (Feedback, error) {
	return s.store.GetFeedback(ctx, id)
}

// Contact returns the contact of a feedback, or ErrNotFound.
func (s *Service) Contact(ctx context.Context, id ID) (Contact, error) {
	return s.store.GetContact(ctx, id)
}

// PublishSummary publishes a stored loop summary (see [Publish]).
func (s *Service) PublishSummary(ctx context.Context, id SummaryID) (LoopSummary, error) {
	now := s.clock.Now()
	return s.store.UpdateSummary(ctx, id, func(ls *LoopSummary) error {
		p, err := Publish(*ls, s.cfg.Redact, now)
		if err != nil {
			return err
		}
		*ls = p
		return nil
	})
}

// CreateSummary validates and stores a new loop summary, giving it an ID.
func (s *Service) CreateSummary(ctx context.Context, ls LoopSummary) (LoopSummary, error) {
	if err := ls.Validate(); err != nil {
		return LoopSummary{}, err
	}
	id, err := osallisuus.NewUUID()
	if err != nil {
		return LoopSummary{}, err
	}
	ls.ID, ls.PublishedAt = SummaryID{id}, time.Time{}
	if err := s.store.CreateSummary(ctx, ls); err != nil {
		return LoopSummary{}, err
	}
	ls.Version = 1
	return ls, nil
}
