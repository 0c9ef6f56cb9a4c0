package fhir_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
)

func receiptConfig(t testing.TB) fhir.ReceiptConfig {
	return fhir.ReceiptConfig{
		Controller: osallisuus.Text{FI: "Esimerkin hyvinvointialue", SV: "Exempels välfärdsområde", EN: "Example wellbeing services county"},
		Contact:    "tietosuoja@county.example",
		Withdraw: osallisuus.Text{FI: "Peruuta OmaAsioinnissa tai ilmoita työntekijälle.",
			SV: "Återkalla i e-tjänsten eller meddela personalen.", EN: "Withdraw in the e-service or tell staff."},
		Purposes: map[string]osallisuus.Text{"contact": {FI: "Yhteydenotot asiakasraadista",
			SV: "Kontakter om kundrådet", EN: "Contact about the customer panel"}},
		Policy: testPolicy(t),
	}
}

func receiptGrant(t testing.TB, purpose, scope string) participation.ConsentEvent {
	return participation.ConsentEvent{At: instant(t, "2026-01-10T10:00:00+02:00"), Subject: child, By: guardian,
		Action: participation.Grant, Purpose: purpose, Scope: scope, Method: participation.Written, NoticeVersion: 3}
}

func TestNewReceiptCoversOneActOfConsent(t *testing.T) {
	notice := []byte("Tietosuojaseloste, versio 3")
	sum := sha256.Sum256(notice)
	hash := "sha256:" + hex.EncodeToString(sum[:])
	cfg := receiptConfig(t)
	cfg.Notice = notice
	r, err := fhir.NewReceipt(cfg, receiptGrant(t, "contact", ""), receiptGrant(t, "experience-data", "panel:north"))
	require.NoError(t, err)
	assert.Equal(t, hash, r.NoticeHash, "the hash of the notice shown")
	assert.Equal(t, 3, r.NoticeVersion)
	assert.Equal(t, participation.Written, r.Method)
	assert.Equal(t, guardian, r.By)
	require.Len(t, r.Purposes, 2)
	assert.True(t, instant(t, "2027-01-11T00:00:00+02:00").Equal(r.Purposes[0].ExpiresAt),
		"contact lasts a year (P1Y), until %v", r.Purposes[0].ExpiresAt)
	assert.True(t, r.Purposes[1].ExpiresAt.IsZero(), "experience-data has no end")
	assert.Equal(t, "panel:north", r.Purposes[1].Scope)

	fi := r.Text(language.Finnish)
	assert.Contains(t, fi, "Esimerkin hyvinvointialue (tietosuoja@county.example)")
	assert.Contains(t, fi, "Yhteydenotot asiakasraadista (contact), voimassa ennen 11.1.2027 klo 00.00")
	assert.Contains(t, fi, "experience-data (experience-data), koskee panel:north")
	assert.Contains(t, fi, "versio 3, SHA-256 "+hash[len("sha256:"):])
	assert.Contains(t, fi, "Tapa: kirjallisesti")
	assert.Contains(t, fi, "Aika: 10.1.2026 klo 10.00")
	assert.Contains(t, fi, "Antaja: edustaja")
	assert.Contains(t, fi, "Peruuta OmaAsioinnissa")
	assert.Contains(t, r.Text(language.Swedish), "Sätt: skriftligt")
	assert.Contains(t, r.Text(language.Swedish), "Återkalla i e-tjänsten")
	assert.Contains(t, r.Text(language.English), "Time: 10 January 2026 10:00 (Helsinki)")
}

func TestNewReceiptRefusesWhatIsNotOneGrant(t *testing.T) {
	g := receiptGrant(t, "contact", "")
	later := receiptGrant(t, "experience-data", "")
	later.At = later.At.Add(1)
	withdrawal := g
	withdrawal.Action = participation.Withdraw
	noSwedish := receiptConfig(t)
	noSwedish.Controller.SV = ""
	otherNotice := receiptConfig(t)
	otherNotice.Notice = []byte("another notice")
	hashed := g
	hashed.NoticeHash = "sha256:" + hex.EncodeToString(make([]byte, 32))
	tests := []struct {
		name   string
		cfg    fhir.ReceiptConfig
		grants []participation.ConsentEvent
		field  string
	}{
		{"no grant", receiptConfig(t), nil, "grants"},
		{"a withdrawal is not a grant", receiptConfig(t), []participation.ConsentEvent{withdrawal}, "grants[0].action"},
		{"a grant at another instant is another act", receiptConfig(t), []participation.ConsentEvent{g, later}, "grants[1].at"},
		{"the same purpose twice", receiptConfig(t), []participation.ConsentEvent{g, g}, "grants[1].purpose"},
		{"a controller name without Swedish", noSwedish, []participation.ConsentEvent{g}, "controller.sv"},
		{"a notice other than the one the grant recorded", otherNotice, []participation.ConsentEvent{hashed}, "notice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fhir.NewReceipt(tt.cfg, tt.grants...)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := err.(*osallisuus.ValidationError)
			require.True(t, ok)
			assert.True(t, ve.Has(tt.field), "problems %v name %s", ve.Problems, tt.field)
		})
	}
}
