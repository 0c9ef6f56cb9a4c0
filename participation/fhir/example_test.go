package fhir_test

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
)

// A county exports a child's consent, given by a guardian, to another system as FHIR R5,
// and reads it back.
func ExampleExport() {
	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact", MaxDuration: "P1Y"}}}
	if err := policy.Validate(); err != nil {
		panic(err)
	}
	child := osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000001")}
	parent := osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000002")}
	at, _ := osallisuus.ParseInstant("2026-01-10T08:00:00Z")
	ledger := []participation.ConsentEvent{{At: at, Subject: child, By: parent, Action: participation.Grant,
		Purpose: "contact", Scope: "panel:north", Method: participation.Written, NoticeVersion: 2, Seq: 1}}

	now, _ := osallisuus.ParseInstant("2026-02-01T12:00:00+02:00")
	resources, err := fhir.Export(policy, ledger, child, now, fhir.Options{
		IdentifierSystem: "urn:oid:1.2.246.999.1", NoticeURL: "https://county.example/notice"})
	if err != nil {
		panic(err)
	}
	out, _ := json.MarshalIndent(resources, "", " ")
	fmt.Println(string(out))

	events, err := fhir.Import(policy, out, fhir.Options{
		IdentifierSystem: "urn:oid:1.2.246.999.1", NoticeURL: "https://county.example/notice"})
	fmt.Println(len(events), events[0].Action, events[0].By == parent, events[0].Scope, err)
	// Output:
	// [
	//  {
	//   "resourceType": "Consent",
	//   "extension": [
	//    {
	//     "url": "https://github.com/osallisuus/osallisuus/fhir/consent-method",
	//     "valueCode": "written"
	//    },
	//    {
	//     "url": "https://github.com/osallisuus/osallisuus/fhir/consent-scope",
	//     "valueString": "panel:north"
	//    }
	//   ],
	//   "status": "active",
	//   "subject": {
	//    "type": "Patient",
	//    "identifier": {
	//     "system": "urn:oid:1.2.246.999.1",
	//     "value": "0190f1c2-0000-7000-8000-000000000001"
	//    }
	//   },
	//   "date": "2026-01-10",
	//   "period": {
	//    "start": "2026-01-10T10:00:00+02:00",
	//    "end": "2027-01-11T00:00:00+02:00"
	//   },
	//   "grantor": [
	//    {
	//     "type": "RelatedPerson",
	//     "identifier": {
	//      "system": "urn:oid:1.2.246.999.1",
	//      "value": "0190f1c2-0000-7000-8000-000000000002"
	//     }
	//    }
	//   ],
	//   "grantee": [
	//    {
	//     "type": "Organization",
	//     "identifier": {
	//      "system": "https://github.com/osallisuus/osallisuus/fhir/organization",
	//      "value": "controller"
	//     }
	//    }
	//   ],
	//   "policyBasis": {
	//    "url": "https://county.example/notice#v2"
	//   },
	//   "decision": "permit",
	//   "provision": [
	//    {
	//     "period": {
	//      "start": "2026-01-10T10:00:00+02:00",
	//      "end": "2027-01-11T00:00:00+02:00"
	//     },
	//     "purpose": [
	//      {
	//       "system": "https://github.com/osallisuus/osallisuus/fhir/consent-purpose",
	//       "code": "contact"
	//      }
	//     ]
	//    }
	//   ]
	//  }
	// ]
	// 1 grant true panel:north <nil>
}

// Import names the JSON path of the first thing it cannot map, and imports nothing.
func ExampleImport() {
	doc := []byte(`[{"resourceType": "Consent", "status": "active", "decision": "permit",
		"subject": {"reference": "Patient/f001"}}]`)
	events, err := fhir.Import(nil, doc, fhir.Options{})
	fmt.Println(len(events), err)
	fmt.Println(osallisuus.Localize(err, language.Finnish))
	// Output:
	// 0 import fhir consent: invalid: [0].subject.identifier required
	// [0].subject.identifier: pakollinen tieto puuttuu
}

// A guardian gets a receipt of the consent they gave for their child.
func ExampleNewReceipt() {
	child := osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000001")}
	parent := osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000002")}
	at, _ := osallisuus.ParseInstant("2026-03-02T14:30:00+02:00")
	grant := participation.ConsentEvent{At: at, Subject: child, By: parent, Action: participation.Grant,
		Purpose: "contact", Method: participation.Electronic, NoticeVersion: 2}
	r, err := fhir.NewReceipt(fhir.ReceiptConfig{
		Controller: osallisuus.Text{FI: "Esimerkin hyvinvointialue", SV: "Exempels välfärdsområde", EN: "Example county"},
		Withdraw: osallisuus.Text{FI: "Peruuta e-palvelussa.", SV: "Återkalla i e-tjänsten.",
			EN: "Withdraw in the e-service."},
		Purposes: map[string]osallisuus.Text{"contact": {FI: "Yhteydenotot", SV: "Kontakter", EN: "Contact"}},
		Notice:   []byte("notice v2"),
	}, grant)
	if err != nil {
		panic(err)
	}
	fmt.Print(r.Text(language.Finnish))
	fmt.Print(r.Text(language.English))
	// Output:
	// Suostumuskuitti
	// Rekisterinpitäjä: Esimerkin hyvinvointialue
	// Käyttötarkoitukset:
	// - Yhteydenotot (contact)
	// Tietosuojaseloste: versio 2, SHA-256 4d623c03f7d357eacd2247ea677464a587e4fcbb7b0a2fd1ae9460964651d80f
	// Antaja: edustaja
	// Tapa: sähköisesti vahvalla tunnistautumisella
	// Aika: 2.3.2026 klo 14.30
	// Suostumuksen voi peruuttaa milloin tahansa: Peruuta e-palvelussa.
	// Consent receipt
	// Controller: Example county
	// Purposes:
	// - Contact (contact)
	// Privacy notice: version 2, SHA-256 4d623c03f7d357eacd2247ea677464a587e4fcbb7b0a2fd1ae9460964651d80f
	// Given by: a representative
	// Method: electronically with strong identification
	// Time: 2 March 2026 14:30 (Helsinki)
	// You may withdraw this consent at any time: Withdraw in the e-service.
}
