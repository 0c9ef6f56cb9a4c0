package feedback

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Themes lists the ten themes of spec §3.3, sorted.
var Themes = [...]string{"access", "competence", "continuity", "cost", "digital", "facilities",
	"information", "language", "safety", "treatment"}

// Classification is the result of [Classify] (spec/feedback.md §3): the language, the
// kind, the themes (sorted, no duplicates), the three flags and the evidence.
type Classification struct {
	Lang            string   `json:"lang"` // fi, sv, en or und
	Kind            Kind     `json:"kind"`
	Themes          []string `json:"themes"`
	Urgent          bool     `json:"urgent"`
	FormalComplaint bool     `json:"formalComplaint"`
	WantsReply      bool     `json:"wantsReply"`
	// Matches explain every label set: the cue's label, the rule (the lexicon term, or
	// "default"), and its byte span in the NFC text. No two matches are the same (the
	// same Label, Rule, Start and End): a cue found twice is evidence once.
	Matches        []Match `json:"matches,omitempty"`
	LexiconVersion string  `json:"lexiconVersion,omitempty"`
}

// Match is the evidence of one fired cue: a label, the rule that set it (a lexicon
// term, a rule name such as "negated", "question-mark", or "default") and the byte
// offsets [Start, End) into the NFC text. A default has Start == End == 0.
//
// A Match is 12 bytes and holds no pointer: its label and rule are one interned pair,
// read with [Match.Label] and [Match.Rule], and its offsets are int32 (Classify reads
// at most the first [MaxClassifyLen] bytes of a text). Classify writes some ten
// matches per message, and the memory they take is most of what it allocates; memory
// without pointers is never scanned by the collector. Matches with the same label,
// rule and offsets are equal under ==; build one with [NewMatch]. Its JSON form is
// {"label","rule","start","end"}.
type Match struct {
	Start, End int32
	cue        cueID
}

// MaxClassifyLen is the most bytes of a text that Classify reads: a match's offsets
// are int32. Feedback intake accepts far shorter texts.
const MaxClassifyLen = math.MaxInt32

// NewMatch returns the match of the label and rule over [start, end).
func NewMatch(label, rule string, start, end int32) Match {
	return Match{Start: start, End: end, cue: cueOf(label, rule)}
}

// Label returns the label the match set ("access", "complaint", "und", ...); "" for
// the zero Match.
func (m Match) Label() string { return m.cue.pair().label }

// Rule returns the rule that fired: a lexicon term as written ("odot*"), a derived
// rule ("negated:huono*", "sarcasm:kiitos vaan") or a rule name ("question-mark",
// "default"); "" for the zero Match.
func (m Match) Rule() string { return m.cue.pair().rule }

// String returns the match as label←rule[start:end], for logs of evidence (a match
// holds no text of the message).
func (m Match) String() string {
	return m.Label() + "←" + m.Rule() + "[" + strconv.Itoa(int(m.Start)) + ":" + strconv.Itoa(int(m.End)) + "]"
}

// matchJSON is the JSON form of a Match.
type matchJSON struct {
	Label string `json:"label"`
	Rule  string `json:"rule"`
	Start int32  `json:"start"`
	End   int32  `json:"end"`
}

// MarshalJSON writes the match as {"label","rule","start","end"}.
func (m Match) MarshalJSON() ([]byte, error) {
	return json.Marshal(matchJSON{m.Label(), m.Rule(), m.Start, m.End})
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (m *Match) UnmarshalJSON(b []byte) error {
	var j matchJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = NewMatch(j.Label, j.Rule, j.Start, j.End)
	return nil
}

// Classify classifies text with the default lexicon (spec §3). It is a pure function of
// the text; see [Lexicon.Classify].
func Classify(text string) Classification { return DefaultLexicon().Classify(text) }

// token is one token of the text. It holds no pointer: the collector never scans the
// tokens, and writing one needs no write barrier while the collector marks. Its
// lower-cased form is read with scratch.lowOf.
type token struct {
	start, end int // byte offsets in the NFC text
	// low is -1 when text[start:end] is already in lower case, else the index of the
	// lower-cased form in the scratch's lows.
	low      int32
	sentence int32
	clause   int32
	// marks are the token's bits of its mask (see match): maskLetter when it holds a
	// letter (not only digits), maskNamed when it starts with an upper-case letter
	// and is not its sentence's first token (probably a name; see guessable).
	marks uint8
}

type hit struct {
	entry    int32
	tok, end int32 // first and one-past-last token
}

type sentenceInfo struct {
	question bool // ends with or holds '?'
	start    int32
}

// scratch holds the per-call working memory.
type scratch struct {
	toks      []token
	text      string                // the text tokenize read
	lows      []string              // the lower-cased forms of the tokens that differ from the text
	low       []byte                // the lower-cased form of the token being read
	words     *[internSlots]lowWord // lower-cased forms that differ from the text, by the text (lowFor)
	hits      []hit
	sentences []sentenceInfo
	mask      []uint16 // each token's language bits (1 << Lang) from the lexicon, and marks (see maskShared)
	sents     []sentFlags
	cand      []int32 // the entries a token's walk found
	one       []int32 // their one-word entries, when they hold a phrase (see splitCands)
	// mslab and tslab are the memory Classify's results take their matches and themes
	// from: each result gets the next free part of the slab, with its capacity cut to
	// its length, so that results never share elements and one allocation serves many
	// results.
	mslab    []Match
	tslab    []string
	memo     *wordMemo // what the lexicon walks found for recent words
	notLatin bool      // tokenize met a byte >= 0xCC, the lead byte of a rune >= U+0300 (or invalid)
	noMemo   bool      // walk every token (tests compare the two ways)
}

// Classify classifies text with lx (spec §3): NFC, lower case, tokens with byte offsets,
// cue matching with prefixes, compounds, phrases and negation, then the decision rules
// of §3.2–3.4 in order. It never panics; invalid UTF-8 is read as U+FFFD.
func (lx *Lexicon) Classify(text string) Classification { return lx.ClassifyHint(text, "") }

// ClassifyHint is Classify with the intake's language hint ("fi", "sv" or "en"), which
// only breaks a tie in the language vote (§3.1); any other hint is ignored.
func (lx *Lexicon) ClassifyHint(text, langHint string) Classification {
	var c Classification
	lx.classify(text, langHint, &c, true)
	return c
}

// ClassifyInto is Classify with the result written to c, reusing the memory of
// c.Matches and c.Themes: a loop that classifies many messages into one Classification
// allocates nothing once those slices have grown. The result is the same as Classify's;
// slices of the previous result held elsewhere are overwritten, so copy what you keep.
// Calls with different c are safe for concurrent use.
func (lx *Lexicon) ClassifyInto(text string, c *Classification) { lx.classify(text, "", c, false) }

// classify writes the classification of text to c. With fresh, the result gets slices
// of its own, of exactly the length needed, carved from the scratch's slabs (the
// decision appends to them in place); otherwise it reuses c's.
func (lx *Lexicon) classify(text, langHint string, c *Classification, fresh bool) {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	lx.classifyWith(sc, text, langHint, c, fresh)
}

// classifyWith is classify with the working memory sc.
func (lx *Lexicon) classifyWith(sc *scratch, text, langHint string, c *Classification, fresh bool) {
	hint, _ := parseLang(langHint)
	if hint == LangAny {
		hint = LangUnd
	}

	// Text whose runes all lie below U+0300 (ASCII, Latin-1, Latin Extended: every
	// Finnish and Swedish letter) holds no combining mark and nothing that composes, so
	// it is NFC without asking the normaliser. Tokenizing notes a byte >= 0xCC (the
	// lead byte of a rune >= U+0300, or invalid UTF-8) in sc.notLatin; only then the
	// text may need normalizing, and is tokenized again.
	if len(text) > MaxClassifyLen {
		text = text[:MaxClassifyLen]
	}
	sc.tokenize(text)
	if sc.notLatin && !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
		if len(text) > MaxClassifyLen {
			text = text[:MaxClassifyLen]
		}
		sc.tokenize(text)
	}
	// One pass finds every cue of every language; the language vote uses them all and
	// the decision only those of the detected language (all when und).
	sc.hits = sc.hits[:0]
	lx.match(sc)
	lang := lx.detectLang(sc, hint)
	if fresh {
		// A result that outgrows the free part moves to memory of its own (appendMatch).
		if cap(sc.mslab)-len(sc.mslab) < matchFree {
			sc.mslab = make([]Match, 0, matchSlab)
		}
		if cap(sc.tslab)-len(sc.tslab) < len(Themes) {
			sc.tslab = make([]string, 0, themeSlab)
		}
		*c = Classification{LexiconVersion: lx.version, Matches: sc.mslab[len(sc.mslab):], Themes: sc.tslab[len(sc.tslab):]}
	} else {
		*c = Classification{LexiconVersion: lx.version, Matches: c.Matches[:0], Themes: c.Themes[:0]}
	}
	c.Lang = lang.String()
	lx.decide(sc, text, lang, c)
	if fresh {
		c.Matches = claim(c.Matches, &sc.mslab)
		c.Themes = claim(c.Themes, &sc.tslab)
	}
}

// The slab sizes of Classify's results, and the least free part of a match slab that a
// result starts in (a new theme slab when fewer than ten themes are left). Most results
// hold fewer matches than matchFree; one that outgrows the free part moves to memory
// of its own and leaves the free part to the next result (appendMatch).
const matchSlab, themeSlab, matchFree = 1024, 256, 16

// claim returns the result s, which decide appended to the free part of *slab, as a
// slice of exactly its length, and takes that part of the slab (only its length
// changes, so no pointer is written). When s outgrew the free part (append moved it to
// memory of its own) the slab stays as it was. An empty s is an empty non-nil slice
// that holds no slab memory.
func claim[E any](s []E, slab *[]E) []E {
	if len(s) == 0 {
		return []E{}
	}
	// Appends within the free part keep its capacity; an append beyond it reallocates
	// to a larger capacity.
	if cap(s) == cap(*slab)-len(*slab) {
		*slab = (*slab)[:len(*slab)+len(s)]
	}
	return s[:len(s):len(s)]
}

// scratchPool recycles the working memory of Classify, so that classifying a message
// allocates little beyond its result. What a scratch keeps between calls (its word
// table) is a cache that never changes a result.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// tokenize splits text into tokens (runs of letters and digits; an apostrophe inside a
// word joins it), sentences ('.', '!', '?', newline) and clauses (also ',', ';', ':', and
// a few conjunctions). Emoji with a lexicon entry become tokens of their own.
//
// It lower-cases as it goes, byte by byte for ASCII and rune by rune otherwise. A token
// already in lower case is a slice of text; a lower-cased form that differs is interned
// in the scratch's word table, so that text of common words allocates nothing.
func (sc *scratch) tokenize(text string) {
	sc.notLatin = false
	sc.text = text
	sc.toks = sc.toks[:0]
	sc.lows = sc.lows[:0]
	// Slices of the scratch are cut and appended to in place, so that their pointers
	// are written (with a write barrier while the collector marks) only when they grow.
	sc.sentences = sc.sentences[:0]
	sc.sentences = append(sc.sentences, sentenceInfo{})
	var sentence, clause int32
	newSentence := func() {
		if len(sc.toks) > 0 && sc.toks[len(sc.toks)-1].sentence == sentence {
			sentence++
			clause++
			sc.sentences = append(sc.sentences, sentenceInfo{start: int32(len(sc.toks))})
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
			sc.notLatin = sc.notLatin || c >= 0xCC
		} else if asciiClass[c]&classWord != 0 {
			// The start of a word: handled below with the non-ASCII letters.
		} else {
			switch c {
			case '.', '!', '\n':
				newSentence()
			case '?':
				sc.sentences[sentence].question = true
				newSentence()
			case ',', ';', ':', '(', ')':
				clause++
			}
			i++
			continue
		}
		if c < utf8.RuneSelf || isWordRune(r) { // an ASCII byte here is a word's
			start := i
			var upperFirst bool
			// Fast path: ASCII and Latin-1 letters (ä, ö, å, é, ...) up to an ASCII
			// separator. Anything else (an apostrophe, another script, a dash) takes
			// the general path below from the token's start.
			j, flags := i, uint8(0)
			if c < utf8.RuneSelf {
				flags = asciiClass[c] // a word byte: the loop below would take it
				upperFirst = flags&classUpper != 0
				j++
			} else {
				upperFirst = unicode.IsUpper(r)
			}
			for j < len(text) {
				c := text[j]
				if c < utf8.RuneSelf {
					f := asciiClass[c]
					if f&classWord == 0 {
						break
					}
					flags |= f
					j++
					continue
				}
				if c != 0xC3 || j+1 == len(text) {
					break
				}
				b := text[j+1]
				if b < 0x80 || b > 0xBF || b == 0x97 || b == 0xB7 { // not a letter (×, ÷) or invalid
					break
				}
				flags |= classWord | classLetter
				if b < 0x9F {
					flags |= classUpper // U+00C0–U+00DE, lower case is 0x20 above
				}
				j += 2
			}
			if j == len(text) || text[j] < utf8.RuneSelf && text[j] != '\'' {
				i = j
				if start > 0 && text[start-1] == '[' && i < len(text) && text[i] == ']' && flags&classUpper == 0 &&
					isRedactionKind(text[start:i]) {
					continue
				}
				lowAt := int32(-1)
				if flags&classUpper != 0 {
					low := sc.lowFor(text[start:i], nil)
					if start > 0 && text[start-1] == '[' && i < len(text) && text[i] == ']' && isRedactionKind(low) {
						continue
					}
					lowAt = sc.addLow(low)
				}
				n := len(sc.toks) // addToken, inlined
				if n == cap(sc.toks) {
					sc.growToks()
				}
				sc.toks = sc.toks[:n+1]
				t := &sc.toks[n]
				t.start, t.end, t.low, t.sentence, t.clause = start, i, lowAt, sentence, clause
				t.marks = sc.marksOf(n, sentence, upperFirst, flags&classLetter != 0)
				if i < len(text) && text[i] == ' ' {
					i++ // a space only separates: pass it here
				}
				continue
			}
			low := sc.low[:0]
			changed, letter := false, false
			for i < len(text) {
				c := text[i]
				if c < utf8.RuneSelf {
					if f := asciiClass[c]; f&classWord != 0 {
						if f&classUpper != 0 {
							c += 'a' - 'A'
							changed = true
						}
						letter = letter || f&classLetter != 0
						low = append(low, c)
						i++
						continue
					}
				}
				r, n := rune(c), 1
				if c >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(text[i:])
					sc.notLatin = sc.notLatin || c >= 0xCC
				}
				if !isWordRune(r) {
					// An apostrophe between letters joins the word (don't, it's).
					if (r == '\'' || r == '’') && i+n < len(text) {
						nr, _ := utf8.DecodeRuneInString(text[i+n:])
						if isWordRune(nr) {
							low = append(low, '\'')
							changed = changed || r != '\''
							i += n
							continue
						}
					}
					break
				}
				lr := unicode.ToLower(r)
				changed = changed || lr != r
				letter = letter || isWordRune(lr) && (lr < '0' || lr > '9')
				low = utf8.AppendRune(low, lr)
				i += n
			}
			if cap(low) > cap(sc.low) { // grown: keep it (only then, to spare a write barrier)
				sc.low = low
			}
			// A redaction token ("[email]") stands for an identifier, not a word: skip it.
			if start > 0 && text[start-1] == '[' && i < len(text) && text[i] == ']' && isRedactionKind(string(low)) {
				continue
			}
			lowAt := int32(-1)
			if changed {
				lowAt = sc.addLow(sc.lowFor(text[start:i], low))
			}
			sc.addToken(start, i, lowAt, sentence, clause, upperFirst, letter)
			continue
		}
		switch r {
		case '–', '—':
			clause++
		default:
			if isEmoji(r) {
				start := i
				i += n
				// Variation selectors belong to the emoji.
				for i < len(text) {
					vr, vn := utf8.DecodeRuneInString(text[i:])
					if vr != 0xFE0F && vr != 0x200D {
						break
					}
					sc.notLatin = true
					i += vn
				}
				sc.addToken(start, i, -1, sentence, clause, false, hasLetter(text[start:i]))
				continue
			}
		}
		i += n
	}
	if len(sc.toks) > 0 && sc.toks[len(sc.toks)-1].sentence < sentence {
		sc.sentences = sc.sentences[:len(sc.sentences)-1]
	}
}

// addToken appends a token, writing its fields in place: a token built aside is copied
// with a bulk write barrier while the collector marks. (tokenize's fast path has a copy
// of it, inlined.)
func (sc *scratch) addToken(start, end int, low, sentence, clause int32, upper, letter bool) {
	n := len(sc.toks)
	if n == cap(sc.toks) {
		sc.growToks()
	}
	sc.toks = sc.toks[:n+1]
	t := &sc.toks[n]
	t.start, t.end, t.low, t.sentence, t.clause = start, end, low, sentence, clause
	t.marks = sc.marksOf(n, sentence, upper, letter)
}

// marksOf returns the marks of token n of sentence, which starts with an upper-case
// letter (upper) and holds a letter (letter); the tokens before it are tokenized.
func (sc *scratch) marksOf(n int, sentence int32, upper, letter bool) uint8 {
	var m uint8
	if letter {
		m = maskLetter
	}
	if upper && n > 0 && sc.toks[n-1].sentence == sentence {
		m |= maskNamed
	}
	return m
}

// addLow keeps a token's lower-cased form that differs from the text and returns its
// index in sc.lows.
func (sc *scratch) addLow(low string) int32 {
	n := len(sc.lows)
	if n == cap(sc.lows) {
		sc.lows = slices.Grow(sc.lows, 1)
	}
	sc.lows = sc.lows[:n+1]
	sc.lows[n] = low
	return int32(n)
}

// lowOf returns token i in lower case.
func (sc *scratch) lowOf(i int) string {
	t := &sc.toks[i]
	if t.low < 0 {
		return sc.text[t.start:t.end]
	}
	return sc.lows[t.low]
}

// growToks makes room for another token.
//
//go:noinline
func (sc *scratch) growToks() { sc.toks = slices.Grow(sc.toks, 1) }

// The classes of ASCII bytes for tokenize.
const (
	classWord   = 1 << iota // a letter or a digit
	classLetter             // a letter
	classUpper              // an upper-case letter
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classWord
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = classWord | classLetter
		t[c-'a'+'A'] = classWord | classLetter | classUpper
	}
	return t
}()

// lowerLatin1 appends s in lower case to b; s holds only ASCII letters and digits and
// two-byte Latin-1 letters (U+00C0–U+00FF). In such s every byte 0x80–0xBF is the second
// byte of a letter led by 0xC3, so one table maps each byte on its own (latin1Lower):
// a copy and a branch-free pass instead of a switch per byte.
func lowerLatin1(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	low := b[n:]
	for k, c := range low {
		low[k] = latin1Lower[c]
	}
	return b
}

// latin1Lower maps A–Z to a–z and the second bytes of U+00C0–U+00DE (but ×, U+00D7)
// to those of their lower case, 0x20 above; every other byte to itself.
var latin1Lower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	for c := 0x80; c < 0x9F; c++ {
		if c != 0x97 {
			t[c] = byte(c) + 0x20
		}
	}
	return t
}()

// internSlots is the size of a scratch's word table: a cache by a hash of the token as
// written, two slots per hash, where a new word pushes out the older of the two. 2,048
// slots (80 KB) rather than 1,024: on varied text (BenchmarkClassifyVaried) half as many
// allocations, at no cost measured on the benchmark corpus.
const internSlots = 2048

// lowWord is a slot of the word table: a token as written (its key lo, hi and length n,
// see wordKey, which are the token itself up to sixteen bytes) and its lower-cased
// form, both slices of one string of their own (so that the table never keeps a text
// alive).
type lowWord struct {
	lo, hi uint64
	both   string // the token as written, then its lower-cased form
	n      int    // the length of the token as written
}

// holds reports whether the slot keeps orig, whose key is lo, hi.
func (w *lowWord) holds(orig string, lo, hi uint64) bool {
	return w.n == len(orig) && w.lo == lo && w.hi == hi && (w.n <= 16 || w.both[:w.n] == orig)
}

// lowFor returns the lower-cased form of the token orig from the scratch's word table,
// or keeps it there: low is orig in lower case, or nil for a token of tokenize's fast
// path, which lowFor lower-cases (lowerLatin1) only when it is not in the table. The
// table is keyed by the token as written, so that a word seen before (a sentence's
// capitalised first word) is neither lower-cased nor compared in lower case again;
// the key holds a token of up to sixteen bytes, so that finding one compares no bytes.
func (sc *scratch) lowFor(orig string, low []byte) string {
	lo, hi := wordKey(orig)
	if sc.words == nil {
		sc.words = new([internSlots]lowWord)
	}
	h := ((lo ^ bits.RotateLeft64(hi, 29) ^ uint64(len(orig))) * 0x9E3779B97F4A7C15) >> 32
	set := (*[2]lowWord)(sc.words[h%(internSlots/2)*2:])
	if set[0].holds(orig, lo, hi) {
		return set[0].both[set[0].n:]
	}
	if set[1].holds(orig, lo, hi) {
		set[0], set[1] = set[1], set[0]
		return set[0].both[set[0].n:]
	}
	if low == nil {
		low = lowerLatin1(sc.low[:0], orig)
		if cap(low) > cap(sc.low) { // grown: keep it (only then, to spare a write barrier)
			sc.low = low
		}
	}
	set[1] = set[0]
	set[0] = lowWord{lo: lo, hi: hi, both: orig + string(low), n: len(orig)}
	return set[0].both[len(orig):]
}

// le64 reads the first eight bytes of b as a little-endian number.
func le64[S string | []byte](b S) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9' || r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isEmoji(r rune) bool {
	return r >= 0x1F300 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF
}

func isRedactionKind(w string) bool {
	switch RedactionKind(w) {
	case RedactHetu, RedactBusinessID, RedactIBAN, RedactEmail, RedactPhone, RedactName, RedactAddress:
		return true
	}
	return false
}
