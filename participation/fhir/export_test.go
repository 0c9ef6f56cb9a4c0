package fhir_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
)

func TestExportMapsEachDecision(t *testing.T) {
	policy := testPolicy(t)
	grant := func(at, purpose, scope string, by osallisuus.ParticipantID, m participation.Method) participation.ConsentEvent {
		ev := participation.ConsentEvent{At: instant(t, at), Subject: child, By: by, Action: participation.Grant,
			Purpose: purpose, Scope: scope, Method: m, NoticeVersion: 1}
		if m == participation.Oral {
			ev.RecordedBy = nurse
		}
		return ev
	}
	deny := func(at, purpose, scope string, a participation.Action) participation.ConsentEvent {
		return participation.ConsentEvent{At: instant(t, at), Subject: child, By: child, Action: a,
			Purpose: purpose, Scope: scope, Method: participation.Electronic}
	}
	tests := []struct {
		name       string
		events     []participation.ConsentEvent
		at         string
		status     string
		decision   string
		grantor    string
		start, end string
		oral       bool
		scope      string
	}{
		{"a guardian's grant is an active permit with a RelatedPerson grantor and the purpose's end",
			ledger(grant("2026-01-10T10:00:00+02:00", "contact", "", guardian, participation.Written)),
			"2026-02-01T00:00:00Z", "active", "permit", "RelatedPerson",
			"2026-01-10T10:00:00+02:00", "2027-01-11T00:00:00+02:00", false, ""},
		{"the subject's own refusal is an active deny with a Patient grantor",
			ledger(deny("2026-06-10T10:00:00+03:00", "experience-data", "", participation.Refuse)),
			"2026-07-01T00:00:00Z", "active", "deny", "Patient", "2026-06-10T10:00:00+03:00", "", false, ""},
		{"a withdrawal is an inactive deny",
			ledger(grant("2026-01-10T10:00:00+02:00", "experience-data", "", child, participation.Written),
				deny("2026-03-10T10:00:00+02:00", "experience-data", "", participation.Withdraw)),
			"2026-04-01T00:00:00Z", "inactive", "deny", "Patient", "2026-03-10T10:00:00+02:00", "", false, ""},
		{"an expired grant is an inactive permit whose period ends at the expiry",
			ledger(grant("2026-01-10T10:00:00+02:00", "contact", "", guardian, participation.Written)),
			"2027-01-11T00:00:00+02:00", "inactive", "permit", "RelatedPerson",
			"2026-01-10T10:00:00+02:00", "2027-01-11T00:00:00+02:00", false, ""},
		{"a grant under an outdated notice is an inactive permit",
			ledger(grant("2026-01-10T10:00:00+02:00", "newsletter", "", child, participation.Electronic)),
			"2026-02-01T00:00:00Z", "inactive", "permit", "Patient", "2026-01-10T10:00:00+02:00", "", false, ""},
		{"an oral grant for an explicit purpose is an inactive permit verified by the recorder",
			ledger(grant("2026-01-10T10:00:00+02:00", "experience-data", "", child, participation.Oral)),
			"2026-02-01T00:00:00Z", "inactive", "permit", "Patient", "2026-01-10T10:00:00+02:00", "", true, ""},
		{"an oral grant for another purpose is active and verified",
			ledger(grant("2026-01-10T10:00:00+02:00", "contact", "", guardian, participation.Oral)),
			"2026-02-01T00:00:00Z", "active", "permit", "RelatedPerson",
			"2026-01-10T10:00:00+02:00", "2027-01-11T00:00:00+02:00", true, ""},
		{"a scoped grant carries its scope in the extension",
			ledger(grant("2026-01-10T10:00:00+02:00", "experience-data", "panel:north", child, participation.Written)),
			"2026-02-01T00:00:00Z", "active", "permit", "Patient", "2026-01-10T10:00:00+02:00", "", false, "panel:north"},
		{"instants are written at the Helsinki offset whatever offset they were given in",
			ledger(grant("2026-06-09T22:30:00Z", "experience-data", "", child, participation.Written)),
			"2026-07-01T00:00:00Z", "active", "permit", "Patient", "2026-06-10T01:30:00+03:00", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fhir.Export(policy, tt.events, child, instant(t, tt.at), fhir.Options{})
			require.NoError(t, err)
			require.Len(t, got, 1)
			c := got[0]
			assert.Equal(t, "Consent", c.ResourceType)
			assert.Equal(t, tt.status, c.Status)
			assert.Equal(t, tt.decision, c.Decision)
			require.Len(t, c.Grantor, 1)
			assert.Equal(t, tt.grantor, c.Grantor[0].Type)
			require.NotNil(t, c.Period)
			assert.Equal(t, fhir.Period{Start: tt.start, End: tt.end}, *c.Period)
			require.Len(t, c.Provision, 1)
			assert.Equal(t, c.Period, c.Provision[0].Period, "provision[0].period is the consent's period")
			assert.Equal(t, instant(t, tt.start).Format("2006-01-02"), c.Date, "date is the Helsinki date of the start")
			require.NotNil(t, c.Subject)
			assert.Equal(t, &fhir.Reference{Type: "Patient", Identifier: &fhir.Identifier{
				System: fhir.DefaultIdentifierSystem, Value: child.String()}}, c.Subject)
			assert.Equal(t, []fhir.Reference{{Type: "Organization", Identifier: &fhir.Identifier{
				System: fhir.DefaultGranteeSystem, Value: fhir.DefaultGranteeValue}}}, c.Grantee)
			if tt.oral {
				require.Len(t, c.Verification, 1)
				assert.True(t, c.Verification[0].Verified)
				assert.Equal(t, nurse.String(), c.Verification[0].VerifiedBy.Identifier.Value)
				assert.Equal(t, "Practitioner", c.Verification[0].VerifiedBy.Type)
				assert.Equal(t, []string{tt.start}, c.Verification[0].VerificationDate)
			} else {
				assert.Empty(t, c.Verification)
			}
			wantExt := []fhir.Extension{{URL: fhir.MethodExtensionURL, ValueCode: string(tt.events[len(tt.events)-1].Method)}}
			if tt.scope != "" {
				wantExt = append(wantExt, fhir.Extension{URL: fhir.ScopeExtensionURL, ValueString: tt.scope})
			}
			assert.Equal(t, wantExt, c.Extension)
		})
	}
}

func TestExportChoosesPairsAndSortsThem(t *testing.T) {
	policy := testPolicy(t)
	ev := func(at, purpose, scope string, subject osallisuus.ParticipantID, a participation.Action) participation.ConsentEvent {
		e := participation.ConsentEvent{At: instant(t, at), Subject: subject, By: subject, Action: a,
			Purpose: purpose, Scope: scope, Method: participation.Electronic}
		if a == participation.Grant {
			e.NoticeVersion = 3
		}
		return e
	}
	events := ledger(
		ev("2026-01-10T10:00:00+02:00", "newsletter", "", adult, participation.Grant),
		ev("2026-01-10T10:00:00+02:00", "experience-data", "panel:north", adult, participation.Grant),
		ev("2026-01-11T10:00:00+02:00", "experience-data", "", adult, participation.Grant),
		ev("2026-01-12T10:00:00+02:00", "statistics", "", adult, participation.Refuse),
		ev("2026-01-13T10:00:00+02:00", "contact", "", child, participation.Grant),
		ev("2026-03-01T10:00:00+02:00", "contact", "", adult, participation.Grant),
	)
	got, err := fhir.Export(policy, events, adult, instant(t, "2026-02-01T00:00:00Z"), fhir.Options{})
	require.NoError(t, err)
	var pairs [][2]string
	for _, c := range got {
		scope := ""
		for _, e := range c.Extension {
			if e.URL == fhir.ScopeExtensionURL {
				scope = e.ValueString
			}
		}
		pairs = append(pairs, [2]string{c.Provision[0].Purpose[0].Code, scope})
	}
	assert.Equal(t, [][2]string{{"experience-data", ""}, {"experience-data", "panel:north"}, {"newsletter", ""}}, pairs,
		"sorted by purpose then scope; no public-task purpose, no later event, no other subject")
	assert.Equal(t, "2026-01-11T10:00:00+02:00", got[1].Period.Start,
		"the scoped pair is decided by the later global grant (D3), keeping its own scope")
	assert.Equal(t, "https://github.com/osallisuus/osallisuus/fhir/privacy-notice#v3", got[0].PolicyBasis.URL)

	none, err := fhir.Export(policy, events, nurse, instant(t, "2026-02-01T00:00:00Z"), fhir.Options{})
	require.NoError(t, err)
	b, err := json.Marshal(none)
	require.NoError(t, err)
	assert.JSONEq(t, `[]`, string(b), "a subject without events exports an empty array, not null")
}

func TestExportUsesTheOptions(t *testing.T) {
	policy := testPolicy(t)
	events := ledger(participation.ConsentEvent{At: instant(t, "2026-01-10T10:00:00+02:00"), Subject: child,
		By: guardian, Action: participation.Grant, Purpose: "contact", Method: participation.Written, NoticeVersion: 4})
	names := map[osallisuus.ParticipantID]string{child: "c-1", guardian: "g-1"}
	got, err := fhir.Export(policy, events, child, instant(t, "2026-02-01T00:00:00Z"), fhir.Options{
		IdentifierSystem: "urn:oid:1.2.246.999.1", PurposeSystem: "urn:oid:1.2.246.999.2",
		Grantee:   fhir.Identifier{System: "urn:oid:1.2.246.999.3", Value: "county-1"},
		NoticeURL: "https://county.example/notice",
		Identify:  func(id osallisuus.ParticipantID) string { return names[id] },
	})
	require.NoError(t, err)
	require.Len(t, got, 1)
	c := got[0]
	assert.Equal(t, fhir.Identifier{System: "urn:oid:1.2.246.999.1", Value: "c-1"}, *c.Subject.Identifier)
	assert.Equal(t, fhir.Identifier{System: "urn:oid:1.2.246.999.1", Value: "g-1"}, *c.Grantor[0].Identifier)
	assert.Equal(t, fhir.Identifier{System: "urn:oid:1.2.246.999.3", Value: "county-1"}, *c.Grantee[0].Identifier)
	assert.Equal(t, fhir.Coding{System: "urn:oid:1.2.246.999.2", Code: "contact"}, c.Provision[0].Purpose[0])
	assert.Equal(t, "https://county.example/notice#v4", c.PolicyBasis.URL)
}

func TestExportRefusesBadInput(t *testing.T) {
	policy := testPolicy(t)
	events := ledger(participation.ConsentEvent{At: instant(t, "2026-01-10T10:00:00+02:00"), Subject: child,
		By: guardian, Action: participation.Grant, Purpose: "contact", Method: participation.Written, NoticeVersion: 1})
	at := instant(t, "2026-02-01T00:00:00Z")
	tests := []struct {
		name    string
		subject osallisuus.ParticipantID
		opts    fhir.Options
		field   string
	}{
		{"a zero subject is required", osallisuus.ParticipantID{}, fhir.Options{}, "subject"},
		{"a notice URL with a fragment is refused: the version is the fragment", child,
			fhir.Options{NoticeURL: "https://county.example/notice#top"}, "options.noticeUrl"},
		{"a system with spaces is not a uri", child, fhir.Options{PurposeSystem: "my purposes"}, "options.purposeSystem"},
		{"an empty identifier value is refused, never written", child,
			fhir.Options{Identify: func(osallisuus.ParticipantID) string { return "" }}, "subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fhir.Export(policy, events, tt.subject, at, tt.opts)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			assert.Nil(t, got)
			ve, ok := err.(*osallisuus.ValidationError)
			require.True(t, ok, "a *osallisuus.ValidationError")
			assert.True(t, ve.Has(tt.field), "problems %v name %s", ve.Problems, tt.field)
		})
	}
}

func TestDefaultOptionsHaveNoEmptySystemOrValue(t *testing.T) {
	o := fhir.DefaultOptions()
	for name, v := range map[string]string{"identifier system": o.IdentifierSystem, "purpose system": o.PurposeSystem,
		"grantee system": o.Grantee.System, "grantee value": o.Grantee.Value, "notice URL": o.NoticeURL} {
		assert.NotEmpty(t, v, name)
	}
	require.NotNil(t, o.Identify)
	require.NotNil(t, o.Resolve)
	assert.Equal(t, child.String(), o.Identify(child))
	id, err := o.Resolve(child.String())
	require.NoError(t, err)
	assert.Equal(t, child, id)
}
