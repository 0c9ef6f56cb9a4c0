package feedback_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus/feedback"
)

// corpusSentences are synthetic feedback sentences in Finnish, Swedish and English.
var corpusSentences = [...]string{
	"Odotin päivystyksessä neljä tuntia ennen kuin pääsin lääkärille.",
	"Hoitaja oli todella ystävällinen ja kuunteli huolellisesti.",
	"Milloin saan laboratoriotulokset, ja voinko nähdä ne sovelluksessa?",
	"Olisi hyvä, jos ajanvarauksen voisi tehdä myös iltaisin verkossa.",
	"Lasku tuli kahteen kertaan, vaikka maksoin sen jo viime kuussa.",
	"Kiitos koko osaston henkilökunnalle hyvästä hoidosta!",
	"Puhelimeen ei vastattu koko päivänä, ja takaisinsoittoa ei tullut.",
	"Vi väntade tre timmar på jouren och ingen berättade varför.",
	"Tack till sjukskötaren som var så vänlig och lugn med vårt barn.",
	"Hur bokar jag en tid till tandläkaren på svenska?",
	"Det vore bra om väntrummet hade fler stolar och bättre skyltar.",
	"Fakturan var fel och ingen svarar i telefon på avdelningen.",
	"The nurse was rude and did not listen to my questions at all.",
	"Thank you for the quick and friendly help at the lab today.",
	"When will I get my test results, and can I see them online?",
	"It would be nice if the website had opening hours in English.",
	"I waited two hours on hold and nobody ever called me back.",
	"Soittakaa minulle numeroon 040 123 4567, kiitos.",
	"Min e-post är testare@example.invalid om ni vill svara.",
	"Henkilötunnukseni on 010190-900P ja tilini FI21 1234 5600 0007 85.",
}

var corpus = sync.OnceValue(func() []string {
	r := rand.New(rand.NewPCG(1, 2))
	var msgs []string
	size := 0
	for size < 10<<20 {
		var b strings.Builder
		n := 1 + r.IntN(4)
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			s := corpusSentences[r.IntN(len(corpusSentences))]
			if r.IntN(10) == 0 {
				s = strings.Replace(s, "ä", "a", -1) // typed without diacritics
			}
			b.WriteString(s)
		}
		msgs = append(msgs, b.String())
		size += b.Len()
	}
	return msgs
})

func corpusBytes(msgs []string) int64 {
	n := 0
	for _, m := range msgs {
		n += len(m)
	}
	return int64(n)
}

// BenchmarkClassify classifies a generated 10 MB fi/sv/en corpus per operation.
func BenchmarkClassify(b *testing.B) {
	msgs := corpus()
	b.SetBytes(corpusBytes(msgs))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			feedback.Classify(m)
		}
	}
}

// BenchmarkClassifyInto classifies the same corpus into one reused Classification.
func BenchmarkClassifyInto(b *testing.B) {
	msgs := corpus()
	lx := feedback.DefaultLexicon()
	var c feedback.Classification
	b.SetBytes(corpusBytes(msgs))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			lx.ClassifyInto(m, &c)
		}
	}
}

// variedCorpus is the texts of testdata/classify-golden.jsonl (989 varied messages),
// repeated in order to at least 10 MB: unlike corpus, few words recur from message to
// message, so it shows what classifying real feedback costs.
func variedCorpus(b *testing.B) []string {
	b.Helper()
	f, err := os.Open("testdata/classify-golden.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			b.Fatal(err)
		}
		texts = append(texts, l.Text)
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	if len(texts) == 0 {
		b.Fatal("no texts in testdata/classify-golden.jsonl")
	}
	var msgs []string
	for size := 0; size < 10<<20; {
		for _, t := range texts {
			msgs = append(msgs, t)
			size += len(t)
		}
	}
	return msgs
}

// BenchmarkClassifyVaried classifies the varied texts of testdata/classify-golden.jsonl,
// repeated to 10 MB, per operation.
func BenchmarkClassifyVaried(b *testing.B) {
	msgs := variedCorpus(b)
	b.SetBytes(corpusBytes(msgs))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			feedback.Classify(m)
		}
	}
}

// BenchmarkRedact redacts the same corpus (about one message in six holds identifiers).
func BenchmarkRedact(b *testing.B) {
	msgs := corpus()
	b.SetBytes(corpusBytes(msgs))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			feedback.Redact(m, feedback.RedactOptions{})
		}
	}
}

// BenchmarkRedactClean redacts one message with nothing to redact (0 allocs/op).
func BenchmarkRedactClean(b *testing.B) {
	msg := corpusSentences[0] + " " + corpusSentences[8] + " " + corpusSentences[13]
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		feedback.Redact(msg, feedback.RedactOptions{})
	}
}

func millionResponses() iter.Seq2[feedback.Response, error] {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	units := []string{"u1", "u2", "u3", "u4", "u5"}
	ids := make([]string, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Sprint("r", i)
	}
	return func(yield func(feedback.Response, error) bool) {
		answers := map[string]feedback.Answer{} // reused: Metrics keeps no answers
		for i, id := range ids {
			answers["q1"] = feedback.Answer{Kind: feedback.AnswerCounted, Value: i % 11}
			answers["q2"] = feedback.Answer{Kind: feedback.AnswerCounted, Value: 1 + i%5}
			r := feedback.Response{ID: id, At: at.Add(time.Duration(i) * time.Minute), Unit: units[i%5], Lang: "fi",
				Answers: answers}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// BenchmarkMetricsMillion computes NPS and CSAT by unit and month over 1,000,000
// responses per operation.
func BenchmarkMetricsMillion(b *testing.B) {
	seq := millionResponses()
	cfg := feedback.MetricsConfig{Questions: []feedback.Question{{ID: "q1", Scale: feedback.ScaleNPS},
		{ID: "q2", Scale: feedback.ScaleCSAT}}, Breakdown: []feedback.Dimension{feedback.DimUnit, feedback.DimPeriod},
		Period: feedback.PeriodMonth}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := feedback.Metrics(cfg, seq); err != nil {
			b.Fatal(err)
		}
	}
}
