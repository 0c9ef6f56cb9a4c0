package gdpr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// Services are the library services whose data on a person the document covers. A nil
// field leaves that package out (its member is absent from the document; its erasure and
// retention are not run): a host that does not use expert pools passes no expert service.
type Services struct {
	// Participation covers participants, representations, maturity assessments, the
	// consent ledger and, when its stores include activity records, activities.
	Participation *participation.Service
	// Activities, when given, lets [Erase] cancel the person's registrations and waitlist
	// places in activities that have not ended, freeing the places for others, before
	// participation anonymises their records.
	Activities *participation.ActivityService
	Panel      *panel.Service
	Expert     *expert.Service
	// Feedback covers feedback, contacts and, when its Config has a survey store,
	// survey responses.
	Feedback *feedback.Service
	// Clock gives the export and erasure time; nil is the system clock.
	Clock osallisuus.Clock
}

// Document is everything the library stores about one participant (henkilötietojen
// tarkastusoikeus, GDPR Art 15; siirto-oikeus, Art 20), one member per package, in a
// structured, commonly used and machine-readable format. [Schema] documents every member.
type Document struct {
	// Schema is [SchemaID].
	Schema string `json:"schema"`
	// Subject is the participant the document is about.
	Subject osallisuus.ParticipantID `json:"subject"`
	// ExportedAt is when the document was made.
	ExportedAt time.Time `json:"exportedAt"`
	// Participation is what the participation package stores: the participant record,
	// representations, maturity assessments, consent events, the consent decisions at
	// export time and activity participation records.
	Participation *participation.PersonalData `json:"participation,omitempty"`
	// Panel is the person's customer panel memberships, applications and attendance.
	Panel *panel.PersonalData `json:"panel,omitempty"`
	// Expert is the person's expert-by-experience records, assignments and payouts.
	Expert *expert.PersonalData `json:"expert,omitempty"`
	// Feedback is the person's feedback, contacts and survey responses.
	Feedback *feedback.PersonalData `json:"feedback,omitempty"`
}

// Export collects everything the services store about id into one [Document]. It reads
// only. It returns an error matching osallisuus.ErrNotFound when the participation service
// does not know id (an unknown ID, or a typing mistake, should not look like a person with
// no data).
func Export(ctx context.Context, s Services, id osallisuus.ParticipantID) (Document, error) {
	doc := Document{Schema: SchemaID, Subject: id, ExportedAt: osallisuus.ClockOrSystem(s.Clock).Now().UTC()}
	if s.Participation != nil {
		d, err := s.Participation.ExportPersonalData(ctx, id)
		if err != nil {
			return Document{}, fmt.Errorf("export personal data of %s: %w", id, err)
		}
		if d.Participant == nil {
			return Document{}, fmt.Errorf("export personal data of %s: no such participant: %w", id, osallisuus.ErrNotFound)
		}
		doc.Participation = &d
	}
	var err error
	if doc.Panel, err = part(ctx, s.Panel, id); err != nil {
		return Document{}, err
	}
	if doc.Expert, err = part(ctx, s.Expert, id); err != nil {
		return Document{}, err
	}
	if doc.Feedback, err = part(ctx, s.Feedback, id); err != nil {
		return Document{}, err
	}
	return doc, nil
}

// exporter is a service that exports its package's data on one person.
type exporter[T any] interface {
	comparable
	ExportPersonalData(ctx context.Context, id osallisuus.ParticipantID) (T, error)
}

// part exports one package's data, or nil when the service is not given.
func part[T any, S exporter[T]](ctx context.Context, s S, id osallisuus.ParticipantID) (*T, error) {
	var none S
	if s == none {
		return nil, nil
	}
	d, err := s.ExportPersonalData(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("export personal data of %s: %w", id, err)
	}
	return &d, nil
}

// eraser is a service that erases, and applies retention to, its package's data.
type eraser interface {
	ErasePersonalData(ctx context.Context, id osallisuus.ParticipantID) (osallisuus.ErasureReport, error)
	ApplyRetention(ctx context.Context) (osallisuus.RetentionReport, error)
}

// erasers lists the given services in erasure order: the packages that take the person
// out of panels and expert pools first (their rules may still ask consent questions),
// feedback, and participation last, which marks the person erased.
func (s Services) erasers() []eraser {
	var out []eraser
	add := func(e eraser, ok bool) {
		if ok {
			out = append(out, e)
		}
	}
	add(s.Panel, s.Panel != nil)
	add(s.Expert, s.Expert != nil)
	add(s.Feedback, s.Feedback != nil)
	add(s.Participation, s.Participation != nil)
	return out
}

// Erasure is the result of [Erase]: one report per package, in the order erased.
type Erasure struct {
	Subject osallisuus.ParticipantID   `json:"subject"`
	Reports []osallisuus.ErasureReport `json:"reports"`
}

// Erase erases id from every given service (oikeus tulla unohdetuksi, GDPR Art 17): each
// package blanks or deletes its personal data, keeps its aggregates with the person's
// identity removed, and says what it retains and why (the minimum proof of consent under
// Art 7(1), payout records under accounting law). The order is [Services] erasure order.
//
// Erase is idempotent: running it again changes nothing and reports nothing newly
// erased. A failure part-way leaves every package either erased or untouched (each
// package's step is atomic per aggregate and re-runnable), so running Erase again after
// a failure finishes the job; the error says which package failed, and the reports of
// the packages already done are returned with it.
func Erase(ctx context.Context, s Services, id osallisuus.ParticipantID) (Erasure, error) {
	out := Erasure{Subject: id, Reports: []osallisuus.ErasureReport{}}
	if s.Participation != nil {
		if _, err := s.Participation.Participant(ctx, id); err != nil {
			return out, fmt.Errorf("erase personal data of %s: %w", id, err)
		}
	}
	if s.Activities != nil && s.Participation != nil {
		r, err := cancelRegistrations(ctx, s, id)
		if err != nil {
			return out, fmt.Errorf("erase personal data of %s: %w", id, err)
		}
		out.Reports = append(out.Reports, r)
	}
	for _, e := range s.erasers() {
		r, err := e.ErasePersonalData(ctx, id)
		if err != nil {
			return out, fmt.Errorf("erase personal data of %s: %w", id, err)
		}
		out.Reports = append(out.Reports, r)
	}
	return out, nil
}

// ActivitiesPackage is the Package of the report [Erase] makes for the cancelled activity
// registrations, and KindActivityRegistrations its kind.
const (
	ActivitiesPackage         = "activities"
	KindActivityRegistrations = "activity-registrations"
)

// cancelRegistrations cancels id's registrations and waitlist places in activities that
// have not ended ([participation.ActivityService.Cancel], which may promote someone from
// the waitlist). A record the rule will not cancel (the activity has ended, the record
// is already attended or cancelled) is left to participation's erasure, which keeps it
// anonymised for the activity's counts.
func cancelRegistrations(ctx context.Context, s Services, id osallisuus.ParticipantID) (osallisuus.ErasureReport, error) {
	r := osallisuus.ErasureReport{Package: ActivitiesPackage, Subject: id,
		At: osallisuus.ClockOrSystem(s.Clock).Now().UTC(), Erased: []osallisuus.ItemCount{}, Retained: []osallisuus.Retained{}}
	d, err := s.Participation.ExportPersonalData(ctx, id)
	if err != nil {
		return r, err
	}
	n := 0
	seen := map[participation.ActivityID]bool{}
	for _, rec := range d.ActivityRecords {
		if seen[rec.Activity] || (rec.Status != participation.StatusRegistered && rec.Status != participation.StatusWaitlisted) {
			continue
		}
		seen[rec.Activity] = true
		_, err := s.Activities.Cancel(ctx, rec.Activity, id)
		switch {
		case err == nil:
			n++
		case errors.Is(err, osallisuus.ErrConflict), errors.Is(err, osallisuus.ErrNotFound):
			// Ended, or not the latest record: nothing to cancel.
		default:
			return r, err
		}
	}
	if n > 0 {
		r.Erased = append(r.Erased, osallisuus.ItemCount{Kind: KindActivityRegistrations, Count: n})
	}
	return r, nil
}

// ApplyRetention runs every given package's retention job: each purges what the county's
// retention periods (the packages' Config fields) say has expired. It runs them all even
// when one fails and returns the reports of those that succeeded with the errors joined.
func ApplyRetention(ctx context.Context, s Services) ([]osallisuus.RetentionReport, error) {
	reports := []osallisuus.RetentionReport{}
	var errs []error
	for _, e := range s.erasers() {
		r, err := e.ApplyRetention(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reports = append(reports, r)
	}
	return reports, errors.Join(errs...)
}
