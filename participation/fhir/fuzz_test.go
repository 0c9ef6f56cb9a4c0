package fhir_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
)

// FuzzImport checks the importer's promises on any input: no panic; either events and
// no error, or no events and one *osallisuus.ValidationError problem; every imported
// event keeps R1 (the ledger would not call it invalid); the same input gives the same
// answer; and the imported events export again without error.
func FuzzImport(f *testing.F) {
	r := validResource(f)
	f.Add([]byte(r))
	f.Add([]byte("[" + r + "]"))
	f.Add([]byte(`{"resourceType":"Bundle","entry":[{"resource":` + r + `}]}`))
	f.Add([]byte(`{"resourceType":"Consent","status":"active","_status":{"id":"x"}}`))
	f.Add([]byte(`[{"resourceType":"Consent"},null,{}]`))
	f.Add([]byte(`{"resourceType":"Consent","status":"active","status":"active"}`))
	f.Add([]byte("\uFEFF[] "))
	for _, data := range hl7Examples(f) {
		f.Add(data)
	}
	policy := testPolicy(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := fhir.Import(policy, data, fhir.Options{})
		if err != nil {
			if events != nil {
				t.Fatalf("events %v with error %v: a partial import", events, err)
			}
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			if !ok || len(ve.Problems) != 1 || !errors.Is(err, osallisuus.ErrInvalid) {
				t.Fatalf("error %v (%T): want a *osallisuus.ValidationError with one problem", err, err)
			}
			return
		}
		for i, ev := range events {
			if err := participation.ValidateConsentEvent(policy, ev); err != nil {
				t.Fatalf("event %d breaks R1: %v", i, err)
			}
		}
		again, err2 := fhir.Import(policy, data, fhir.Options{})
		if err2 != nil || !reflect.DeepEqual(events, again) {
			t.Fatalf("a second import differs: %v %v", err2, again)
		}
		for _, ev := range events {
			res, err := fhir.Export(policy, []participation.ConsentEvent{ev}, ev.Subject, ev.At, fhir.Options{})
			want := 1
			if pu, _ := policy.Purpose(ev.Purpose); pu.Basis == participation.BasisPublicTask {
				want = 0 // E2 exports consent-basis purposes only
			}
			if err != nil || len(res) != want {
				t.Fatalf("an imported event does not export: %v, %d resources", err, len(res))
			}
			if _, err := json.Marshal(res); err != nil {
				t.Fatal(err)
			}
		}
	})
}
