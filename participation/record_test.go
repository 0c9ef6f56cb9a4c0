package participation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

func TestValidateConsentEventNamesEveryBadField(t *testing.T) {
	p := testPolicy(t)
	subject, staff := pid(t), pid(t)
	valid := grant(subject, subject, "contact", at(t, "2026-01-10T10:00:00+02:00"))
	require.NoError(t, participation.ValidateConsentEvent(p, valid))
	tests := []struct {
		name   string
		change func(*participation.ConsentEvent)
		fields []string
	}{
		{"a missing instant is invalid (R1)", func(e *participation.ConsentEvent) { e.At = time.Time{} }, []string{"at"}},
		{"an unknown action is invalid", func(e *participation.ConsentEvent) { e.Action = "approve" }, []string{"action"}},
		{"a missing subject is invalid", func(e *participation.ConsentEvent) { e.Subject = osallisuus.ParticipantID{} }, []string{"subject"}},
		{"a missing actor is invalid", func(e *participation.ConsentEvent) { e.By = osallisuus.ParticipantID{} }, []string{"by"}},
		{"a purpose not in the policy is invalid", func(e *participation.ConsentEvent) { e.Purpose = "marketing" }, []string{"purpose"}},
		{"a malformed scope is invalid", func(e *participation.ConsentEvent) { e.Scope = "Panel:north" }, []string{"scope"}},
		{"a scope without id is invalid", func(e *participation.ConsentEvent) { e.Scope = "panel:" }, []string{"scope"}},
		{"an unknown method is invalid", func(e *participation.ConsentEvent) { e.Method = "email" }, []string{"method"}},
		{"an oral event needs who recorded it", func(e *participation.ConsentEvent) { e.Method = participation.Oral }, []string{"recordedBy"}},
		{"a grant needs a notice version of at least 1", func(e *participation.ConsentEvent) { e.NoticeVersion = 0 }, []string{"noticeVersion"}},
		{"a negative notice version is invalid", func(e *participation.ConsentEvent) {
			e.Action, e.NoticeVersion = participation.Withdraw, -1
		}, []string{"noticeVersion"}},
		{"a notice hash must be sha256 in lower-case hex", func(e *participation.ConsentEvent) { e.NoticeHash = "sha256:ABC" }, []string{"noticeHash"}},
		{"validUntil must be after at", func(e *participation.ConsentEvent) { e.ValidUntil = e.At }, []string{"validUntil"}},
		{"validUntil is only for grants", func(e *participation.ConsentEvent) {
			e.Action, e.ValidUntil = participation.Refuse, e.At.Add(time.Hour)
		}, []string{"validUntil"}},
		{"every bad field is named, not only the first", func(e *participation.ConsentEvent) {
			e.Method, e.Purpose, e.Action = "fax", "", ""
		}, []string{"method", "purpose", "action"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := valid
			tt.change(&ev)
			err := participation.ValidateConsentEvent(p, ev)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			require.True(t, ok)
			for _, f := range tt.fields {
				assert.True(t, ve.Has(f), "want field %s in %v", f, ve)
			}
			assert.Len(t, ve.Problems, len(tt.fields))
		})
	}
	withdraw := valid
	withdraw.Action, withdraw.NoticeVersion = participation.Withdraw, 0
	assert.NoError(t, participation.ValidateConsentEvent(p, withdraw), "a withdrawal needs no notice")
	oral := valid
	oral.Method, oral.RecordedBy = participation.Oral, staff
	oral.NoticeHash = "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	assert.NoError(t, participation.ValidateConsentEvent(p, oral))
}

func TestCheckConsentEventJudgesAuthorityAtTheEvent(t *testing.T) {
	p := testPolicy(t)
	child, guardian, trustee, proxy, stranger, staff := pid(t), pid(t), pid(t), pid(t), pid(t), pid(t)
	rep := func(kind participation.RepresentationKind, by osallisuus.ParticipantID) participation.Representation {
		id, err := participation.NewRepresentationID()
		require.NoError(t, err)
		return participation.Representation{ID: id, Representative: by, Subject: child, Kind: kind}
	}
	guardianRep := rep(participation.Guardian, guardian)
	guardianRep.From = date(2012, 5, 1)
	trusteeRep := rep(participation.Trustee, trustee)
	trusteeRep.Scopes = []participation.TrusteeScope{participation.ScopeEconomic, participation.ScopePersonal}
	economicOnly := rep(participation.Trustee, stranger)
	economicOnly.Scopes = []participation.TrusteeScope{participation.ScopeEconomic}
	proxyRep := rep(participation.Proxy, proxy)
	proxyRep.Purposes = []string{"contact"}
	proxyRep.Until = date(2026, 6, 30)
	aid, err := participation.NewAssessmentID()
	require.NoError(t, err)
	assessment := participation.MaturityAssessment{ID: aid, Subject: child, By: staff,
		At: at(t, "2026-01-05T09:00:00+02:00"), Purposes: []string{"experience-data"}, Until: date(2027, 1, 5)}
	facts := participation.SubjectFacts{Subject: child, BirthDate: date(2012, 5, 1),
		Representations: []participation.Representation{guardianRep, trusteeRep, economicOnly, proxyRep},
		Assessments:     []participation.MaturityAssessment{assessment}}

	ev := func(by osallisuus.ParticipantID, action participation.Action, purpose, when string) participation.ConsentEvent {
		e := grant(child, by, purpose, at(t, when))
		e.Action = action
		return e
	}
	tests := []struct {
		name string
		ev   participation.ConsentEvent
		want participation.AuthorityKind // "" = forbidden
		ref  any
	}{
		{"a child under the purpose's age may not grant alone (R2a)", ev(child, participation.Grant, "contact", "2026-06-01T12:00:00+03:00"), "", nil},
		{"a child may always refuse (R2a)", ev(child, participation.Refuse, "contact", "2026-06-01T12:00:00+03:00"), participation.AuthoritySelfRefusal, nil},
		{"a child who reached selfConsentAge grants alone", ev(child, participation.Grant, "contact", "2027-05-01T00:00:00+03:00"), participation.AuthoritySelfAge, nil},
		{"the eve of the 15th birthday in Helsinki is still too young (T5)", ev(child, participation.Grant, "contact", "2027-04-30T20:59:59Z"), "", nil},
		{"a child assessed mature grants alone (S3)", ev(child, participation.Grant, "experience-data", "2026-06-01T12:00:00+03:00"), participation.AuthoritySelfMature, assessment.ID.UUID},
		{"an assessment does not count before it was made", ev(child, participation.Grant, "experience-data", "2026-01-05T08:59:59+02:00"), "", nil},
		{"an assessment lapses after its until day", ev(child, participation.Grant, "experience-data", "2027-01-06T00:00:00+02:00"), "", nil},
		{"a guardian acts for a young child (R2b)", ev(guardian, participation.Grant, "contact", "2026-06-01T12:00:00+03:00"), participation.AuthorityGuardian, guardianRep.ID.UUID},
		{"a guardian loses the purpose at the child's selfConsentAge", ev(guardian, participation.Withdraw, "contact", "2027-05-01T00:00:00+03:00"), "", nil},
		{"a guardian loses a purpose the child was assessed mature for", ev(guardian, participation.Grant, "experience-data", "2026-06-01T12:00:00+03:00"), "", nil},
		{"a guardian keeps the other purposes", ev(guardian, participation.Refuse, "panel-membership", "2026-06-01T12:00:00+03:00"), participation.AuthorityGuardian, guardianRep.ID.UUID},
		{"a guardian loses every purpose at 18 (R2b)", ev(guardian, participation.Grant, "panel-membership", "2030-05-01T00:00:00+03:00"), "", nil},
		{"a trustee with personal scope acts at any age (R2c)", ev(trustee, participation.Grant, "experience-data", "2031-01-01T12:00:00+02:00"), participation.AuthorityTrustee, trusteeRep.ID.UUID},
		{"a trustee for economic matters only may not act", ev(stranger, participation.Grant, "contact", "2026-06-01T12:00:00+03:00"), "", nil},
		{"a proxy acts for the purposes it lists (R2d)", ev(proxy, participation.Grant, "contact", "2026-06-30T23:59:59+03:00"), participation.AuthorityProxy, proxyRep.ID.UUID},
		{"a proxy's mandate ends after its until day (T4)", ev(proxy, participation.Grant, "contact", "2026-07-01T00:00:00+03:00"), "", nil},
		{"a proxy may not act for a purpose it does not list", ev(proxy, participation.Grant, "panel-membership", "2026-06-01T12:00:00+03:00"), "", nil},
		{"staff who only record may not act", ev(staff, participation.Grant, "contact", "2026-06-01T12:00:00+03:00"), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := participation.CheckConsentEvent(p, facts, tt.ev)
			if tt.want == "" {
				require.ErrorIs(t, err, osallisuus.ErrForbidden)
				re, ok := errors.AsType[*osallisuus.RuleError](err)
				require.True(t, ok)
				assert.Equal(t, []osallisuus.Reason{participation.ReasonNotAuthorized}, re.Reasons)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Kind)
			if tt.ref != nil {
				assert.Equal(t, tt.ref, got.Ref)
			}
		})
	}
}

func TestCheckConsentEventInvalidIsNeverForbidden(t *testing.T) {
	p := testPolicy(t)
	child, stranger := pid(t), pid(t)
	facts := participation.SubjectFacts{Subject: child, BirthDate: date(2020, 1, 1)}
	ev := grant(child, stranger, "contact", at(t, "2026-06-01T12:00:00+03:00"))
	ev.Method = "carrier-pigeon"
	_, err := participation.CheckConsentEvent(p, facts, ev)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.NotErrorIs(t, err, osallisuus.ErrForbidden)
}

func TestUnknownBirthDateFollowsTheAdultStatement(t *testing.T) {
	p := testPolicy(t)
	person, guardian := pid(t), pid(t)
	gid, err := participation.NewRepresentationID()
	require.NoError(t, err)
	reps := []participation.Representation{{ID: gid, Representative: guardian, Subject: person, Kind: participation.Guardian}}
	when := at(t, "2026-06-01T12:00:00+03:00")
	unstated := participation.SubjectFacts{Subject: person, Representations: reps}
	_, err = participation.CheckConsentEvent(p, unstated, grant(person, person, "contact", when))
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "without a birth date or the host's statement a self-grant is forbidden")
	a, err := participation.CheckConsentEvent(p, unstated, grant(person, guardian, "contact", when))
	require.NoError(t, err, "and a guardian may act")
	assert.Equal(t, participation.AuthorityGuardian, a.Kind)
	adult := unstated
	adult.Adult = true
	a, err = participation.CheckConsentEvent(p, adult, grant(person, person, "contact", when))
	require.NoError(t, err)
	assert.Equal(t, participation.AuthoritySelfAge, a.Kind)
	_, err = participation.CheckConsentEvent(p, adult, grant(person, guardian, "contact", when))
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "a guardian may not act for a person the host states is of age")
	assert.False(t, participation.Participant{Adult: true}.IsMinor(when))
	assert.True(t, participation.Participant{}.IsMinor(when))
	assert.True(t, participation.Participant{BirthDate: date(2008, 6, 2)}.IsMinor(when))
	assert.False(t, participation.Participant{BirthDate: date(2008, 6, 1)}.IsMinor(when))
}
