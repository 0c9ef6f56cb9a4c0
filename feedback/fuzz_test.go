package feedback_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

var redactSeeds = []string{
	"hetu:010190-900P.", "(010105B9003)", "X010190-900PX", "Y-tunnus 0357913-4", "tili FI21 1234 5600 0007 85.",
	"anna.virtanen(at)example.fi", "Soita 040 123 4567 tai (09) 876 5432", "+358 (0)40 555 6677 ja 00358 50 111 2222",
	"1 090 000 000 euroa", "4.11.2027 klo 9.15, 16:45, 09/2027", "[hetu] [phone]", "010190-900P@example.fi",
	"040 123 4567 010190-900P", "+46 73 987 65 43", "fi21 1234 5600 0007 85", "050-9876543-1", "",
}

// hetuShape finds an identity code shape with the spec's boundaries (any century sign).
var hetuShape = regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d\d[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]($|[^\p{L}\p{N}])`)

func FuzzRedact(f *testing.F) {
	for _, s := range redactSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out, spans := feedback.Redact(text, feedback.RedactOptions{})
		last := 0
		for _, r := range spans {
			if r.Start < last || r.End <= r.Start || r.End > len(text) {
				t.Fatalf("spans out of order or bounds: %+v in %q", spans, text)
			}
			last = r.End
		}
		if rebuilt := rebuild(text, spans); rebuilt != out {
			t.Fatalf("output %q is not the input with the spans replaced (%q)", out, rebuilt)
		}
		again, more := feedback.Redact(out, feedback.RedactOptions{})
		if again != out || len(more) != 0 {
			t.Fatalf("not idempotent: %q -> %q -> %q (%+v)", text, out, again, more)
		}
		if utf8.ValidString(text) && hetuShape.MatchString(out) {
			t.Fatalf("an identity code shape is left in %q (from %q)", out, text)
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"Kiitos!", "👍", "ok!!", "Ei huono.", "Teen muistutuksen. Soittakaa!", "Jos en saa vastausta, teen kantelun.",
		"Hur kan sånt här hända?", "I nearly died laughing", "don't", "\xff\xfe", "ä\u0308", strings.Repeat("odotan ", 50)} {
		f.Add(s)
	}
	lx := feedback.DefaultLexicon()
	var into feedback.Classification // reused across inputs, as a ClassifyInto loop does
	f.Fuzz(func(t *testing.T, text string) {
		c := feedback.Classify(text)
		if lx.ClassifyInto(text, &into); !classificationsEqual(c, into) {
			t.Fatalf("ClassifyInto %+v, Classify %+v", into, c)
		}
		if !c.Kind.Valid() {
			t.Fatalf("kind %q", c.Kind)
		}
		if !slices.Contains([]string{"fi", "sv", "en", "und"}, c.Lang) {
			t.Fatalf("lang %q", c.Lang)
		}
		if !slices.IsSorted(c.Themes) || len(slices.Compact(slices.Clone(c.Themes))) != len(c.Themes) {
			t.Fatalf("themes not sorted and unique: %v", c.Themes)
		}
		if c.Urgent && !slices.Contains(c.Themes, "safety") {
			t.Fatalf("urgent without safety")
		}
		if (c.Urgent || c.FormalComplaint) && c.Kind != feedback.KindComplaint {
			t.Fatalf("a flag on a %s", c.Kind)
		}
		n := len(norm.NFC.String(text))
		for _, m := range c.Matches {
			if m.Start < 0 || m.End < m.Start || int(m.End) > n {
				t.Fatalf("match %+v outside the NFC text of %d bytes", m, n)
			}
		}
	})
}

func FuzzAddBusinessDays(f *testing.F) {
	f.Add(2033, 4, 14, 1)
	f.Add(2026, 12, 24, 0)
	f.Add(1991, 1, 1, 400)
	f.Fuzz(func(t *testing.T, y, m, d, n int) {
		from := osallisuus.NewDate(y, 1, 1)
		if m >= 1 && m <= 12 {
			from = osallisuus.NewDate(y, month(m), 1)
		}
		from = from.AddDays(d % 40)
		n %= 1000
		got, err := feedback.AddBusinessDays(from, n)
		if err != nil {
			return
		}
		if got.Before(from) {
			t.Fatalf("%s + %d = %s is before the start", from, n, got)
		}
		ok, err := feedback.IsBusinessDay(got)
		if err != nil || !ok {
			t.Fatalf("%s + %d = %s is not a business day", from, n, got)
		}
		// n-1 gives an earlier day, except that from a day off n = 0 and n = 1 agree.
		if n > 0 {
			prev, err := feedback.AddBusinessDays(from, n-1)
			if err == nil && (prev.After(got) || (n > 1 && !prev.Before(got))) {
				t.Fatalf("n-1 gives %s, n gives %s", prev, got)
			}
		}
	})
}

func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"9", "null", `"dk"`, "7.5", "7.0", "true", `"x"`, "-1", "1e3", "{}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var a feedback.Answer
		if err := a.UnmarshalJSON([]byte(raw)); err != nil {
			t.Fatalf("UnmarshalJSON never fails: %v", err)
		}
		if a.Kind == feedback.AnswerCounted {
			b, err := a.MarshalJSON()
			var back feedback.Answer
			if err != nil || back.UnmarshalJSON(b) != nil || back != a {
				t.Fatalf("round trip of %q: %s -> %+v", raw, b, back)
			}
		}
	})
}

// FuzzMatchJSON reads arbitrary JSON as a Match: whatever it accepts writes back to JSON
// that reads as the same match, and a match built from any label and rule survives the
// round trip.
func FuzzMatchJSON(f *testing.F) {
	for _, s := range []string{`{"label":"cost","rule":"lasku*","start":0,"end":5}`, `{}`, `{"label":"","rule":"x"}`,
		`{"label":"a\u00e4","rule":"negated:huono*","start":-1,"end":2147483647}`, `null`, `[]`, `{"start":1e3}`} {
		f.Add([]byte(s), "praise", "kiitos*", int32(3), int32(9))
	}
	f.Fuzz(func(t *testing.T, data []byte, label, rule string, start, end int32) {
		var m feedback.Match
		if json.Unmarshal(data, &m) == nil {
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatalf("%v: %v", m, err)
			}
			var back feedback.Match
			if err := json.Unmarshal(b, &back); err != nil || back != m {
				t.Fatalf("%s read back as %v (%v), want %v", b, back, err, m)
			}
		}
		if !utf8.ValidString(label) || !utf8.ValidString(rule) {
			return // JSON writes invalid UTF-8 as U+FFFD
		}
		want := feedback.NewMatch(label, rule, start, end)
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var got feedback.Match
		if err := json.Unmarshal(b, &got); err != nil || got != want || got.Label() != label || got.Rule() != rule {
			t.Fatalf("%s read back as %v (%v), want %v", b, got, err, want)
		}
	})
}
