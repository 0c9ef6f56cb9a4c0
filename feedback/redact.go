package feedback

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// RedactionKind names what a redacted span was (spec/feedback.md §4). The replacement
// token is the kind in square brackets: "[hetu]".
type RedactionKind string

// The redaction kinds, in precedence order when shapes overlap.
const (
	RedactHetu       RedactionKind = "hetu"        // Finnish personal identity code (henkilötunnus)
	RedactBusinessID RedactionKind = "business-id" // Y-tunnus
	RedactIBAN       RedactionKind = "iban"
	RedactEmail      RedactionKind = "email"
	RedactPhone      RedactionKind = "phone"
	RedactName       RedactionKind = "name"    // a word on the host's name list
	RedactAddress    RedactionKind = "address" // reserved: street addresses are out of scope
)

// Token returns the replacement text of k, such as "[hetu]".
func (k RedactionKind) Token() string { return "[" + string(k) + "]" }

// Redaction is one removed identifier: its kind and its byte span [Start, End) in the
// original text. Valid reports confidence only (a check digit or date that holds); a
// shape that does not validate is still redacted, because a mistyped code still
// identifies. Kinds without a check (email, phone, name) report Valid true.
type Redaction struct {
	Kind  RedactionKind `json:"kind"`
	Start int           `json:"start"`
	End   int           `json:"end"`
	Valid bool          `json:"valid"`
}

// RedactOptions are the host's redaction settings. The zero value redacts every built-in
// kind and no names.
type RedactOptions struct {
	// Names are words to redact as kind "name": whole words, case-insensitive. An entry
	// ending in "*" is a prefix and also matches inflected forms ("Virtase*" matches
	// "Virtaselle"). Entries shorter than two letters are ignored.
	Names []string
	// AllowPhones are phone numbers never redacted (a switchboard, for example), compared
	// on their digits only. The public service numbers 112, 116 117 and 116 111 are never
	// redacted in any case.
	AllowPhones []string
}

// Redact finds personal identifiers in text and replaces each with its kind's token
// (spec/feedback.md §4). It returns the redacted text and the spans, sorted by Start and
// never overlapping, with byte offsets into text; replacing each span of text with
// Kind.Token() gives exactly the returned text. Redact is idempotent: Redact of its
// output returns that output and no spans. Dates, times, amounts, postal codes, room,
// invoice and reference numbers are left alone. Text with nothing to redact is returned
// as is, without allocating. Time is linear in len(text) (plus the name list).
func Redact(text string, opts RedactOptions) (string, []Redaction) {
	var found []Redaction
	for i := 0; i < len(text); {
		c := text[i]
		// Every kind starts with a digit, a letter, '+' or '(' (phones), or is an e-mail
		// found from its '@'; other bytes are skipped fast.
		if !startByte[c] {
			i++
			continue
		}
		if !startBoundary(text, i) {
			i = max(skipWord(text, i), i+1)
			continue
		}
		if r, ok := matchAt(text, i, &opts); ok {
			found = append(found, r)
			i = r.End
			continue
		}
		i++
	}
	found = addEmails(text, found)
	if len(opts.Names) > 0 {
		found = addNames(text, found, opts.Names)
	}
	if len(found) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, r := range found {
		b.WriteString(text[last:r.Start])
		b.WriteString(r.Kind.Token())
		last = r.End
	}
	b.WriteString(text[last:])
	return b.String(), found
}

var startByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-32] = true
	}
	t['+'], t['('] = true, true
	return t
}()

// skipWord moves past the run of letters and digits at i (which starts inside a word).
func skipWord(s string, i int) int {
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isAlnum(r) {
			return i
		}
		i += n
	}
	return i
}

func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9' || r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// startBoundary reports whether a match may start at i: not right after a letter or digit.
func startBoundary(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isAlnum(r)
}

// endBoundary reports whether a match may end at j: not right before a letter or digit.
func endBoundary(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return !isAlnum(r)
}

// matchAt tries the kinds in precedence order at i (a start boundary).
func matchAt(s string, i int, opts *RedactOptions) (Redaction, bool) {
	c := s[i]
	if isDigit(c) {
		if end, valid, ok := matchHetu(s, i); ok {
			return Redaction{RedactHetu, i, end, valid}, true
		}
		if end, valid, ok := matchBusinessID(s, i); ok {
			return Redaction{RedactBusinessID, i, end, valid}, true
		}
	} else if c|0x20 >= 'a' && c|0x20 <= 'z' {
		if end, valid, ok := matchIBAN(s, i); ok {
			return Redaction{RedactIBAN, i, end, valid}, true
		}
		return Redaction{}, false
	}
	if c == '0' || c == '+' || c == '(' {
		if end, ok := matchPhone(s, i, opts); ok {
			return Redaction{RedactPhone, i, end, true}, true
		}
	}
	return Redaction{}, false
}

// ---- hetu

const hetuChecks = "0123456789ABCDEFHJKLMNPRSTUVWXY"

func twoDigits(s string, i int) (int, bool) {
	if i+2 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) {
		return 0, false
	}
	return int(s[i]-'0')*10 + int(s[i+1]-'0'), true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}

func matchHetu(s string, i int) (end int, valid, ok bool) {
	if i+11 > len(s) {
		return 0, false, false
	}
	day, ok1 := twoDigits(s, i)
	month, ok2 := twoDigits(s, i+2)
	yy, ok3 := twoDigits(s, i+4)
	if !ok1 || !ok2 || !ok3 || day < 1 || day > 31 || month < 1 || month > 12 {
		return 0, false, false
	}
	var century int
	switch upper(s[i+6]) {
	case '+':
		century = 1800
	case '-', 'U', 'V', 'W', 'X', 'Y':
		century = 1900
	case 'A', 'B', 'C', 'D', 'E', 'F':
		century = 2000
	default:
		return 0, false, false
	}
	if !isDigit(s[i+7]) || !isDigit(s[i+8]) || !isDigit(s[i+9]) {
		return 0, false, false
	}
	check := strings.IndexByte(hetuChecks, upper(s[i+10]))
	if check < 0 || !endBoundary(s, i+11) {
		return 0, false, false
	}
	ind := int(s[i+7]-'0')*100 + int(s[i+8]-'0')*10 + int(s[i+9]-'0')
	num := (day*10000+month*100+yy)*1000 + ind
	year := century + yy
	valid = ind >= 2 && day <= monthDays(year, month) && num%31 == check
	return i + 11, valid, true
}

func monthDays(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ---- business ID (Y-tunnus)

func matchBusinessID(s string, i int) (end int, valid, ok bool) {
	if i+9 > len(s) || s[i+7] != '-' || !isDigit(s[i+8]) || !endBoundary(s, i+9) {
		return 0, false, false
	}
	weights := [7]int{7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := range 7 {
		if !isDigit(s[i+k]) {
			return 0, false, false
		}
		sum += int(s[i+k]-'0') * weights[k]
	}
	r := sum % 11
	check := int(s[i+8] - '0')
	valid = r != 1 && ((r == 0 && check == 0) || (r > 1 && check == 11-r))
	return i + 9, valid, true
}

// ---- IBAN

// ibanLength gives the IBAN length of each listed country (spec/feedback.md §4); the key
// is the two upper-case letters.
var ibanLength = map[[2]byte]int{
	{'A', 'D'}: 24, {'A', 'T'}: 20, {'A', 'X'}: 18, {'B', 'E'}: 16, {'B', 'G'}: 22,
	{'C', 'H'}: 21, {'C', 'Y'}: 28, {'C', 'Z'}: 24, {'D', 'E'}: 22, {'D', 'K'}: 18,
	{'E', 'E'}: 20, {'E', 'S'}: 24, {'F', 'I'}: 18, {'F', 'O'}: 18, {'F', 'R'}: 27,
	{'G', 'B'}: 22, {'G', 'I'}: 23, {'G', 'L'}: 18, {'G', 'R'}: 27, {'H', 'R'}: 21,
	{'H', 'U'}: 28, {'I', 'E'}: 22, {'I', 'S'}: 26, {'I', 'T'}: 27, {'L', 'I'}: 21,
	{'L', 'T'}: 20, {'L', 'U'}: 20, {'L', 'V'}: 21, {'M', 'C'}: 27, {'M', 'T'}: 31,
	{'N', 'L'}: 18, {'N', 'O'}: 15, {'P', 'L'}: 28, {'P', 'T'}: 25, {'R', 'O'}: 24,
	{'S', 'E'}: 24, {'S', 'I'}: 19, {'S', 'K'}: 24, {'S', 'M'}: 27, {'V', 'A'}: 22,
}

func isASCIIAlnum(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z'
}

func matchIBAN(s string, i int) (end int, valid, ok bool) {
	if i+4 > len(s) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return 0, false, false
	}
	length, known := ibanLength[[2]byte{upper(s[i]), upper(s[i+1])}]
	if !known {
		return 0, false, false
	}
	// Collect length alphanumerics, compact or in groups of four separated by single
	// spaces; the mod-97 check runs on the rearranged value (BBAN, then the first four).
	var chars [34]byte
	n, j := 0, i
	for n < length {
		if j >= len(s) {
			return 0, false, false
		}
		c := s[j]
		if c == ' ' && n%4 == 0 && n > 0 && j+1 < len(s) && isASCIIAlnum(s[j+1]) && (j == i || s[j-1] != ' ') {
			j++
			continue
		}
		if !isASCIIAlnum(c) {
			return 0, false, false
		}
		chars[n] = upper(c)
		n++
		j++
	}
	if !endBoundary(s, j) {
		return 0, false, false
	}
	rem := 0
	for k := range length {
		c := chars[(k+4)%length]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	return j, rem == 1, true
}

// ---- phone

// matchPhone matches a national or international phone number at i (spec §4).
func matchPhone(s string, i int, opts *RedactOptions) (int, bool) {
	if afterDigitGroup(s, i) {
		return 0, false
	}
	var digits [16]byte
	nd := 0
	j := i
	international := false
	switch {
	case s[j] == '+':
		international = true
		j++
	case strings.HasPrefix(s[j:], "00"):
		international = true
		j += 2
	case s[j] == '(':
		// National with the first group in parentheses: "(09) 876 5432".
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j+1 || k >= len(s) || s[k] != ')' || s[j+1] != '0' || k-(j+1) < 2 || s[j+2] == '0' {
			return 0, false
		}
		for p := j + 1; p < k; p++ {
			digits[nd] = s[p]
			nd++
		}
		j = k + 1
		if j < len(s) && (s[j] == ' ' || s[j] == '-') {
			j++
		}
		if j >= len(s) || !isDigit(s[j]) {
			return 0, false
		}
	default:
		if s[j] != '0' || j+1 >= len(s) || !isDigit(s[j+1]) || s[j+1] == '0' {
			return 0, false
		}
	}
	if international && (j >= len(s) || !isDigit(s[j]) || s[j] == '0') {
		return 0, false
	}
	maxDigits := 12
	if international {
		maxDigits = 15
	}
	end := -1
	for group := 0; ; group++ {
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j || nd+(k-j) > maxDigits {
			break
		}
		for p := j; p < k; p++ {
			digits[nd] = s[p]
			nd++
		}
		end, j = k, k
		if international && group == 0 {
			// An optional "(0)" after the country code: "+358 (0)40 555 6677".
			t := j
			if t < len(s) && s[t] == ' ' {
				t++
			}
			if strings.HasPrefix(s[t:], "(0)") {
				t += 3
				if t < len(s) && s[t] == ' ' {
					t++
				}
				if t < len(s) && isDigit(s[t]) {
					j = t
					continue
				}
			}
		}
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && isDigit(s[j+1]) {
			j++
			continue
		}
		break
	}
	if end < 0 || nd < 7 || !endBoundary(s, end) {
		return 0, false
	}
	if !international && looksLikeDate(s[i:end]) {
		return 0, false
	}
	if s[i] != '+' && afterNumberLabel(s[:i]) {
		return 0, false
	}
	if allowedPhone(digits[:nd], opts) {
		return 0, false
	}
	return end, true
}

// afterDigitGroup reports whether i follows a digit, optionally with one space, hyphen,
// dot, comma or slash between: a phone number never starts there ("1 090 000 000").
func afterDigitGroup(s string, i int) bool {
	if i == 0 {
		return false
	}
	c := s[i-1]
	if isDigit(c) || endsWithNumberToken(s[:i]) {
		return true
	}
	switch c {
	case ' ', '-', '.', ',', '/':
		return i >= 2 && (isDigit(s[i-2]) || endsWithNumberToken(s[:i-1]))
	}
	return false
}

// endsWithNumberToken reports whether s ends with the token of a redacted number. A
// number right after one was not redacted in the first pass (it followed a digit group
// there), so it is not redacted in the second either: Redact stays idempotent.
func endsWithNumberToken(s string) bool {
	if len(s) == 0 || s[len(s)-1] != ']' {
		return false
	}
	for _, k := range []RedactionKind{RedactPhone, RedactHetu, RedactBusinessID, RedactIBAN} {
		if strings.HasSuffix(s, k.Token()) {
			return true
		}
	}
	return false
}

// looksLikeDate reports whether a hyphen-joined span is a date written DD-MM-YYYY, which
// the spec never redacts.
func looksLikeDate(span string) bool {
	if len(span) != 10 || span[2] != '-' || span[5] != '-' {
		return false
	}
	d, ok1 := twoDigits(span, 0)
	m, ok2 := twoDigits(span, 3)
	return ok1 && ok2 && d >= 1 && d <= 31 && m >= 1 && m <= 12
}

var publicServiceNumbers = []string{"112", "116117", "116111"}

func allowedPhone(digits []byte, opts *RedactOptions) bool {
	for _, p := range publicServiceNumbers {
		if string(digits) == p {
			return true
		}
	}
	for _, a := range opts.AllowPhones {
		if sameDigits(a, digits) {
			return true
		}
	}
	return false
}

func sameDigits(a string, digits []byte) bool {
	k := 0
	for i := 0; i < len(a); i++ {
		if !isDigit(a[i]) {
			continue
		}
		if k >= len(digits) || digits[k] != a[i] {
			return false
		}
		k++
	}
	return k == len(digits)
}

// ---- e-mail

// addEmails finds e-mail addresses from each "@", "(at)" or "[at]" and merges those that
// overlap no span already found (higher precedence) into found, keeping it sorted.
func addEmails(s string, found []Redaction) []Redaction {
	for i := 0; i < len(s); i++ {
		c := s[i]
		var sepLen int
		switch {
		case c == '@':
			sepLen = 1
		case (c == '(' || c == '[') && i+4 <= len(s) && s[i+1]|0x20 == 'a' && s[i+2]|0x20 == 't' &&
			((c == '(' && s[i+3] == ')') || (c == '[' && s[i+3] == ']')):
			sepLen = 4
		default:
			continue
		}
		start := localStart(s, i)
		if start == i {
			continue
		}
		end := domainEnd(s, i+sepLen)
		if end < 0 {
			continue
		}
		if overlaps(found, start, end) {
			continue
		}
		found = insertSorted(found, Redaction{RedactEmail, start, end, true})
		i = end - 1
	}
	return found
}

func isLocalRune(r rune) bool {
	switch r {
	case '.', '_', '%', '+', '-':
		return true
	}
	return isAlnum(r)
}

// localStart walks back from the separator at i over the local part and returns its
// start (i when there is none). Leading dots and hyphens are not part of it.
func localStart(s string, i int) int {
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !isLocalRune(r) {
			break
		}
		j -= n
	}
	for j < i && (s[j] == '.' || s[j] == '-') {
		j++
	}
	return j
}

// domainEnd returns the end of a domain starting at j (labels of letters, digits and
// hyphens joined by dots, with at least one dot and a last label of 2+ letters), or -1.
func domainEnd(s string, j int) int {
	end, dots := -1, 0
	labelStart, labelLetters := j, true
	k := j
	for k <= len(s) {
		var r rune
		n := 1
		if k < len(s) {
			r, n = utf8.DecodeRuneInString(s[k:])
		}
		if k < len(s) && (isAlnum(r) || r == '-') {
			if !unicode.IsLetter(r) {
				labelLetters = false
			}
			k += n
			continue
		}
		// A label ends at k.
		if k == labelStart {
			break
		}
		if dots > 0 && labelLetters && k-labelStart >= 2 {
			end = k
		}
		if k < len(s) && r == '.' && k+1 < len(s) && s[k+1] != '.' {
			dots++
			k++
			labelStart, labelLetters = k, true
			continue
		}
		break
	}
	return end
}

func overlaps(found []Redaction, start, end int) bool {
	for _, r := range found {
		if r.Start < end && start < r.End {
			return true
		}
	}
	return false
}

func insertSorted(found []Redaction, r Redaction) []Redaction {
	k := len(found)
	for k > 0 && found[k-1].Start > r.Start {
		k--
	}
	found = append(found, Redaction{})
	copy(found[k+1:], found[k:])
	found[k] = r
	return found
}

// ---- names

func addNames(s string, found []Redaction, names []string) []Redaction {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isAlnum(r) {
				break
			}
			j += n
		}
		word := s[i:j]
		inToken := i > 0 && s[i-1] == '[' && j < len(s) && s[j] == ']'
		if !inToken && nameListed(word, names) && !overlaps(found, i, j) {
			found = insertSorted(found, Redaction{RedactName, i, j, true})
		}
		i = j
	}
	return found
}

func nameListed(word string, names []string) bool {
	for _, n := range names {
		prefix := strings.HasSuffix(n, "*")
		n = strings.TrimSuffix(n, "*")
		if utf8.RuneCountInString(n) < 2 {
			continue
		}
		if prefix {
			if len(word) >= len(n) && strings.EqualFold(word[:len(n)], n) {
				return true
			}
			// EqualFold on a byte prefix may cut a rune; fall back to runes.
			if hasFoldPrefix(word, n) {
				return true
			}
		} else if strings.EqualFold(word, n) {
			return true
		}
	}
	return false
}

func hasFoldPrefix(word, prefix string) bool {
	for _, pr := range prefix {
		if word == "" {
			return false
		}
		wr, n := utf8.DecodeRuneInString(word)
		if unicode.ToLower(wr) != unicode.ToLower(pr) {
			return false
		}
		word = word[n:]
	}
	return true
}

// afterNumberLabel reports whether the words before a national number name it as a
// customer, invoice, reference, order, patient, room or ward number, which the spec never
// redacts ("asiakasnumero 0123456", "viite 0012 3456"). A phone label wins
// ("puhelinnumero", "telefonnummer").
func afterNumberLabel(before string) bool {
	// The last word, skipping spaces and the punctuation of "nro:", "n:o", "no.".
	j := len(before)
	for j > 0 && strings.IndexByte(" :.#-", before[j-1]) >= 0 {
		j--
	}
	k := j
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(before[:k])
		if !isAlnum(r) {
			break
		}
		k -= n
	}
	w := strings.ToLower(before[k:j])
	switch w {
	case "nro", "n", "o", "no", "nr", "nummer", "number", "numero":
		// "laskun nro", "invoice no": look one word further back.
		return numberLabel(lastWord(strings.TrimRight(before[:k], " :.#-")))
	}
	return numberLabel(w)
}

func lastWord(s string) string {
	k := len(s)
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:k])
		if !isAlnum(r) {
			break
		}
		k -= n
	}
	return strings.ToLower(s[k:])
}

func numberLabel(w string) bool {
	for _, phone := range []string{"puh", "puhelin", "tel", "telefon", "phone", "gsm", "mobile", "mobil", "matkapuhelin", "soita", "ring", "call"} {
		if strings.HasPrefix(w, phone) {
			return false
		}
	}
	for _, label := range []string{"asiakas", "lasku", "viite", "tilaus", "potilas", "henkilöstö", "huone", "osasto", "kund",
		"faktura", "referens", "order", "customer", "invoice", "reference", "ref", "patient", "room", "ward", "rum",
		"avdelning", "laskun", "tilauksen", "asiakkuus", "sopimus", "avtal", "contract", "case", "ärende", "asia"} {
		if strings.HasPrefix(w, label) {
			return true
		}
	}
	return false
}
