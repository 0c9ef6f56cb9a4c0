package peerbench

import (
	"regexp"
	"strings"

	"github.com/osallisuus/osallisuus/feedback"
)

// redactPatterns are the shapes of spec/feedback.md §4 as regexps, in the spec's
// precedence order (hetu, business ID, IBAN, e-mail, phone), as a team would write them:
// shapes only, no check digits, no date, money or service-number exceptions.
var redactPatterns = []struct {
	kind feedback.RedactionKind
	re   string
}{
	{feedback.RedactHetu, `\d{2}[01]\d{3}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]`},
	{feedback.RedactBusinessID, `\d{7}-\d`},
	{feedback.RedactIBAN, `[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?`},
	{feedback.RedactEmail, `[\p{L}\p{N}._%+-]+(?:@|\(at\)|\[at\])[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`},
	{feedback.RedactPhone, `(?:(?:\+|00)[1-9]\d{0,2}(?:[ -]?\(0\))?(?:[ -]?\d){6,14}|(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:[ -]?\d){5,11})`},
}

// RegexpRedactor redacts the shapes of spec/feedback.md §4 with one Go regexp: an
// alternation of one capture group per kind, in precedence order, with a non-letter
// boundary before the match (consumed, since Go's \b is ASCII-only) and checked after.
type RegexpRedactor struct {
	re *regexp.Regexp
}

// NewRegexpRedactor compiles the patterns.
func NewRegexpRedactor() *RegexpRedactor {
	var b strings.Builder
	b.WriteString(`(?:^|[^\p{L}\p{N}])(?:`)
	for i, p := range redactPatterns {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString("(" + p.re + ")")
	}
	b.WriteByte(')')
	return &RegexpRedactor{re: regexp.MustCompile(b.String())}
}

// Redact returns text with each identifier replaced by its kind's token, and the spans
// (byte offsets into text), as feedback.Redact does.
func (r *RegexpRedactor) Redact(text string) (string, []feedback.Redaction) {
	ms := r.re.FindAllStringSubmatchIndex(text, -1)
	if len(ms) == 0 {
		return text, nil
	}
	var found []feedback.Redaction
	for _, m := range ms {
		for g := 1; 2*g+1 < len(m); g++ {
			s, e := m[2*g], m[2*g+1]
			if s < 0 {
				continue
			}
			if e < len(text) && isWordByte(text[e]) {
				break // ends inside a word: not an identifier
			}
			found = append(found, feedback.Redaction{Kind: redactPatterns[g-1].kind, Start: s, End: e, Valid: true})
			break
		}
	}
	if len(found) == 0 {
		return text, nil
	}
	var out strings.Builder
	out.Grow(len(text))
	last := 0
	for _, f := range found {
		out.WriteString(text[last:f.Start])
		out.WriteString(f.Kind.Token())
		last = f.End
	}
	out.WriteString(text[last:])
	return out.String(), found
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
