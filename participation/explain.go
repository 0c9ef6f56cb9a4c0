package participation

import (
	"strings"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/osallisuus/osallisuus"
)

// Explain says in one line, in Finnish, Swedish or English (other languages get
// English), why the decision came out as it did: the verdict and reason, the query, and
// for answers decided by an event that event's evidence (spec/consent.md E1): its ID and
// ledger position, instant, scope, actor and the authority it was accepted under, method,
// who recorded it, the notice version and hash, and the expiry. Codes (reason, action,
// authority, method) are kept as codes in parentheses so a reader can look them up; the
// line names IDs, never personal data.
func (d ConsentDecision) Explain(tag language.Tag) string {
	p := explainPrinter(tag)
	var b strings.Builder
	verdict := "denied"
	if d.Allowed {
		verdict = "allowed"
	}
	b.WriteString(p.Sprintf(verdict))
	b.WriteString(p.Sprintf("reason", string(d.Reason), osallisuus.LocalizeReason(d.Reason, tag)))
	b.WriteString(p.Sprintf("purpose", d.Query.Purpose))
	if d.Query.Scope != "" {
		b.WriteString(p.Sprintf("scope", d.Query.Scope))
	}
	b.WriteString(p.Sprintf("at", osallisuus.FormatInstant(d.Query.At)))
	if !d.HasEvent() {
		return b.String()
	}
	e := *d.Event
	b.WriteString(p.Sprintf("decided", string(e.Action), e.ID.String(), e.Seq, osallisuus.FormatInstant(e.At)))
	if e.Scope != "" {
		b.WriteString(p.Sprintf("event-scope", e.Scope))
	} else {
		b.WriteString(p.Sprintf("global"))
	}
	authority := string(e.Authority.Kind)
	if e.Authority.Ref != uuid.Nil {
		authority += " " + e.Authority.Ref.String()
	}
	b.WriteString(p.Sprintf("by", e.By.String(), authority))
	b.WriteString(p.Sprintf("method", string(e.Method)))
	if !e.RecordedBy.IsZero() {
		b.WriteString(p.Sprintf("recorded-by", e.RecordedBy.String()))
	}
	b.WriteString(p.Sprintf("notice", e.NoticeVersion))
	if e.NoticeHash != "" {
		b.WriteString(" (" + e.NoticeHash + ")")
	}
	if !d.ExpiresAt.IsZero() {
		b.WriteString(p.Sprintf("expires", osallisuus.FormatInstant(d.ExpiresAt)))
	}
	return b.String()
}

// explainTexts holds the fragments of Explain in fi, sv and en.
var explainTexts = map[string][3]string{
	"allowed":     {"sallittu", "tillåtet", "allowed"},
	"denied":      {"ei sallittu", "inte tillåtet", "denied"},
	"reason":      {" (%[1]s): %[2]s", " (%[1]s): %[2]s", " (%[1]s): %[2]s"},
	"purpose":     {"; käyttötarkoitus %[1]s", "; ändamål %[1]s", "; purpose %[1]s"},
	"scope":       {", kohde %[1]s", ", gäller %[1]s", " in %[1]s"},
	"at":          {", ajankohta %[1]s", ", tidpunkt %[1]s", " at %[1]s"},
	"decided":     {"; ratkaisi tapahtuma %[2]s (%[1]s, järjestysnumero %[3]d) %[4]s", "; avgjordes av händelse %[2]s (%[1]s, löpnummer %[3]d) %[4]s", "; decided by %[1]s event %[2]s (seq %[3]d) at %[4]s"},
	"event-scope": {", kohde %[1]s", ", gäller %[1]s", " for %[1]s"},
	"global":      {" (yleinen)", " (allmän)", " (global)"},
	"by":          {", tekijä %[1]s, peruste %[2]s", ", av %[1]s, grund %[2]s", ", by %[1]s under %[2]s"},
	"method":      {", tapa %[1]s", ", sätt %[1]s", ", method %[1]s"},
	"recorded-by": {", kirjannut %[1]s", ", registrerat av %[1]s", " recorded by %[1]s"},
	"notice":      {", tietosuojaseloste v%[1]d", ", dataskyddsbeskrivning v%[1]d", ", notice v%[1]d"},
	"expires":     {"; päättyy %[1]s", "; upphör %[1]s", "; expires %[1]s"},
}

// explainCatalog is built once from explainTexts; it is explicit, never x/text's
// default catalog.
var explainCatalog = sync.OnceValue(func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, t := range explainTexts {
		_ = b.SetString(language.Finnish, key, t[0])
		_ = b.SetString(language.Swedish, key, t[1])
		_ = b.SetString(language.English, key, t[2])
	}
	return b
})

func explainPrinter(tag language.Tag) *message.Printer {
	return message.NewPrinter(osallisuus.Supported(tag), message.Catalog(explainCatalog()))
}
