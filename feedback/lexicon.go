package feedback

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/osallisuus/osallisuus"
)

// Lang is a language label of the classifier.
type Lang uint8

// The languages. LangAny marks lexicon entries that hold in every language (emoji).
const (
	LangUnd Lang = iota
	LangFI
	LangSV
	LangEN
	LangAny
)

var langNames = [...]string{"und", "fi", "sv", "en", "any"}

// String returns the code: "fi", "sv", "en", "und" (or "any").
func (l Lang) String() string {
	if int(l) < len(langNames) {
		return langNames[l]
	}
	return "und"
}

func parseLang(s string) (Lang, bool) {
	for i, n := range langNames {
		if n == s && i != int(LangUnd) {
			return Lang(i), true
		}
	}
	return LangUnd, false
}

// The labels a lexicon entry may carry: the classification labels of §3 and helper labels.
const (
	labelComplaint = iota
	labelQuestion
	labelIdea
	labelPraise
	labelAccess
	labelCompetence
	labelContinuity
	labelCost
	labelDigital
	labelFacilities
	labelInformation
	labelLanguage
	labelSafety
	labelTreatment
	labelUrgent
	labelFormalComplaint
	labelWantsReply
	// Helper labels.
	labelWords           // vocabulary: evidence of the language only
	labelOutcome         // a neutral outcome verb: a complaint when negated ("ei tullut")
	labelSarcasm         // sarcastic praise: a complaint
	labelRequest         // a routine request on one's own matter: a question
	labelResolved        // a risk placed in the past or in professional hands
	labelOngoing         // a risk that goes on
	labelDecline         // the writer declines a reply
	labelRhetorical      // venting words that make a question rhetorical
	labelFiling          // a filing verb: makes an ambiguous formal term formal
	labelFormalAmbiguous // muistutus, anmärkning: formal only with a filing verb
	labelPastFiling      // an earlier, handled procedure
	labelWait            // a waiting word (long-wait rule)
	labelDuration        // a duration (long-wait rule)
	numLabels
)

// themeFirst is the first theme label; themes run to labelTreatment, in sorted order.
const themeFirst, themeLast = labelAccess, labelTreatment

var labelNames = [numLabels]string{
	"complaint", "question", "idea", "praise", "access", "competence", "continuity", "cost",
	"digital", "facilities", "information", "language", "safety", "treatment", "urgent",
	"formalComplaint", "wantsReply", "words", "outcome", "sarcasm", "request", "resolved",
	"ongoing", "decline", "rhetorical", "filing", "formalAmbiguous", "pastFiling", "wait", "duration",
}

func parseLabel(s string) (int, bool) {
	for i, n := range labelNames {
		if n == s {
			return i, true
		}
	}
	return 0, false
}

// MatchMode says how a lexicon term matches tokens (spec §3.6).
type MatchMode string

// The match modes.
const (
	MatchExact  MatchMode = "exact"  // the whole token
	MatchPrefix MatchMode = "prefix" // the token starts with the term (inflected forms)
	MatchSuffix MatchMode = "suffix" // also the final part of a compound token
	MatchPhrase MatchMode = "phrase" // consecutive tokens; a last word ending in * is a prefix
)

// LexiconEntry is one cue of a lexicon, in the JSON form a host loads.
type LexiconEntry struct {
	Lang  string    `json:"lang"`  // fi, sv, en or any
	Label string    `json:"label"` // a classification or helper label
	Term  string    `json:"term"`  // lower case; "*" at the end of a word marks a prefix
	Match MatchMode `json:"match"`
}

// LexiconData is the JSON form of a lexicon (spec §3.6).
type LexiconData struct {
	Version    string              `json:"version"`
	Entries    []LexiconEntry      `json:"entries"`
	Negators   map[string][]string `json:"negators"`   // by language
	Conditions map[string][]string `json:"conditions"` // by language
}

// Lexicon is a compiled, read-only classification lexicon; safe for concurrent use.
// Build one with [ParseLexicon] or [NewLexicon]; [DefaultLexicon] is the embedded one.
type Lexicon struct {
	version   string
	entries   []entry
	root      trie
	compounds trie // entries flagged suffix, matched from inside a token
	// rootDFA and compoundDFA are the tries compiled for matching.
	rootDFA, compoundDFA dfa
	keys                 []entryKey                   // by entry
	questionMarkRule     bool                         // some entry's rule is "question-mark"
	negators             [LangAny + 1]map[string]bool // by language; LangUnd holds all of them
	conditions           [LangAny + 1]map[string]bool
}

type word struct {
	text   string
	prefix bool
}

type entry struct {
	lang   Lang
	label  int
	words  []word
	term   string // as written, for the match's rule
	negInt bool   // the phrase itself holds a negator (exempt from negation)
	suffix bool   // a one-word entry also matched inside a compound token
	// careError: a safety cue that names an error in the care process (isCareError).
	careError bool
	// negRule and helperRule are the rules of a negated cue ("negated:huono*") and of a
	// helper cue ("sarcasm:kiitos vaan"), built once.
	negRule, helperRule string
	// The interned label and rule of the entry's matches (see cuesOf): its own cue (a
	// formalAmbiguous term fires formalComplaint), the negated cue (complaint turns to
	// praise, the rest to complaint) and the helper cue (sarcasm is a complaint, a
	// request a question).
	cue, negCue, helperCue cueID
}

// cuesOf sets e's interned cues.
func (e *entry) cuesOf() {
	own, neg, helper := e.label, labelComplaint, e.label
	switch e.label {
	case labelFormalAmbiguous:
		own = labelFormalComplaint
	case labelComplaint:
		neg = labelPraise
	case labelSarcasm:
		helper = labelComplaint
	case labelRequest:
		helper = labelQuestion
	}
	e.cue = cueOf(labelNames[own], e.term)
	e.negCue = cueOf(labelNames[neg], e.negRule)
	e.helperCue = cueOf(labelNames[helper], e.helperRule)
}

// trie is a byte trie over the first word of each entry, as NewLexicon builds it;
// compileTrie turns it into the dfa that Classify walks.
type trie struct {
	nodes []trieNode
	root  [256]int32 // the root's edges as a dense table; 0 means none
	last  int32      // the node of the last insert
}

type trieNode struct {
	edges  []trieEdge
	exact  []int32 // entries whose first word ends here as a whole token
	prefix []int32 // entries whose first word is a prefix ending here
	// exMask and preMask stand for the one-word vocabulary entries (label words) of
	// exact and prefix, which only mark the token with their language: the language
	// bits (1 << Lang). exMask also marks a shared word, negators and conditions.
	exMask, preMask uint16
}

// The bits of a token's mask besides its languages (1 << Lang, from the vocabulary):
// maskShared marks a word several languages use (sharedWords), negMask(l) a negator of
// language l (lx.negators, or "kukaan", or a word ending in "n't"), condMask(l) a
// condition word of l.
const (
	maskShared = 1 << 7
	maskLangs  = 1<<LangFI | 1<<LangSV | 1<<LangEN | 1<<LangAny
	maskLetter = 1 << 5 // the token holds a letter (match sets it from the token's marks)
	maskNamed  = 1 << 6 // the token is capitalised inside its sentence (token.marks)
	// The top two bits hold guessLang of a word in no vocabulary (see
	// scratch.walkSplit): computed once when the word's walk is remembered, so that
	// detectLang reads a guess instead of spelling the word out again.
	maskGuessShift = 14
)

// guessOf returns the spelling guess (guessLang) that mask m holds.
func guessOf(m uint16) Lang { return Lang(m >> maskGuessShift) }

// negMask returns the mask bits of the negators of lang (of every language for LangUnd).
func negMask(lang Lang) uint16 {
	if lang == LangUnd {
		return 7 << 8
	}
	return 1 << (7 + lang)
}

// condMask returns the mask bits of the condition words of lang (of every language for
// LangUnd).
func condMask(lang Lang) uint16 {
	if lang == LangUnd {
		return 7 << 11
	}
	return 1 << (10 + lang)
}

// dropRepeats removes from every node's lists the entries that repeat an earlier entry
// of the same list (sameCue): a term listed twice for a label, or produced twice (a
// twin or a gradation equal to a listed term). A repeat would only fire the same match
// again; the first stays, so the order of the hits does not change.
func (t *trie) dropRepeats(entries []entry) {
	for i := range t.nodes {
		n := &t.nodes[i]
		n.exact = dropRepeatedCues(entries, n.exact)
		n.prefix = dropRepeatedCues(entries, n.prefix)
	}
}

func dropRepeatedCues(entries []entry, list []int32) []int32 {
	kept := list[:0]
	for _, e := range list {
		if !slices.ContainsFunc(kept, func(k int32) bool { return sameCue(&entries[k], &entries[e]) }) {
			kept = append(kept, e)
		}
	}
	return kept
}

// sameCue reports whether a and b fire the same cue: the same language, label, term
// and words, so that every rule reads them alike and their matches are the same.
// (Whether an entry is also matched inside compounds is decided by the compound trie
// it is in, not here.)
func sameCue(a, b *entry) bool {
	return a.lang == b.lang && a.label == b.label && a.term == b.term && slices.Equal(a.words, b.words)
}

// foldWords moves the one-word vocabulary entries of every node into its masks.
func (t *trie) foldWords(entries []entry) {
	for i := range t.nodes {
		n := &t.nodes[i]
		n.exact, n.exMask = foldWordEntries(entries, n.exact, n.exMask)
		n.prefix, n.preMask = foldWordEntries(entries, n.prefix, n.preMask)
	}
}

func foldWordEntries(entries []entry, list []int32, mask uint16) ([]int32, uint16) {
	kept := list[:0]
	for _, e := range list {
		if en := &entries[e]; en.label == labelWords && len(en.words) == 1 {
			mask |= 1 << en.lang
		} else {
			kept = append(kept, e)
		}
	}
	return kept, mask
}

// mark adds w to t with the bits in its exact mask.
func (t *trie) mark(w string, bits uint16) {
	t.insert(w, -1, false)
	t.nodes[t.last].exMask |= bits
}

type trieEdge struct {
	b    byte
	next int32
}

func (t *trie) insert(s string, e int32, prefix bool) {
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, trieNode{})
	}
	n := int32(0)
	for i := 0; i < len(s); i++ {
		next := int32(-1)
		for _, ed := range t.nodes[n].edges {
			if ed.b == s[i] {
				next = ed.next
				break
			}
		}
		if next < 0 {
			t.nodes = append(t.nodes, trieNode{})
			next = int32(len(t.nodes) - 1)
			t.nodes[n].edges = append(t.nodes[n].edges, trieEdge{s[i], next})
			if n == 0 {
				t.root[s[i]] = next
			}
		}
		n = next
	}
	t.last = n
	if e < 0 {
		return
	}
	if prefix {
		t.nodes[n].prefix = append(t.nodes[n].prefix, e)
	} else {
		t.nodes[n].exact = append(t.nodes[n].exact, e)
	}
}

//go:embed lexicon.txt
var defaultLexiconText string

var defaultNegators = map[string][]string{
	"fi": {"ei", "en", "et", "emme", "ette", "eivät", "eikä", "ilman", "älä", "älkää"},
	"sv": {"inte", "int", "ej", "aldrig", "ingen", "inget", "inga", "utan"},
	"en": {"not", "no", "never", "without", "nobody", "nothing", "cannot"},
}

var defaultConditions = map[string][]string{
	"fi": {"jos", "ellei", "mikäli", "jollei"},
	"sv": {"om", "ifall", "såvida"},
	"en": {"if", "unless"},
}

// DefaultLexicon returns the embedded default lexicon (built once; shared and read-only).
func DefaultLexicon() *Lexicon { return defaultLexicon() }

var defaultLexicon = sync.OnceValue(func() *Lexicon {
	data, err := parseLexiconText(defaultLexiconText)
	if err != nil {
		panic("feedback: embedded lexicon: " + err.Error()) // a build defect, caught by tests
	}
	lx, err := NewLexicon(data)
	if err != nil {
		panic("feedback: embedded lexicon: " + err.Error())
	}
	return lx
})

// DefaultLexiconData returns the default lexicon in its JSON form, for a host that wants
// to extend it.
func DefaultLexiconData() LexiconData {
	data, _ := parseLexiconText(defaultLexiconText)
	return data
}

// ParseLexicon reads a lexicon in the JSON form of spec §3.6 and compiles it. Errors are
// *osallisuus.ValidationError naming the entry.
func ParseLexicon(b []byte) (*Lexicon, error) {
	var data LexiconData
	if err := json.Unmarshal(b, &data); err != nil {
		return nil, fmt.Errorf("parse lexicon: %w", osallisuus.Invalid("", osallisuus.CodeFormat))
	}
	return NewLexicon(data)
}

// NewLexicon compiles data. Finnish and Swedish terms get their ASCII twin (ä→a, ö→o,
// å→a) when the twin is at least four letters long, so text typed without diacritics
// still matches; shorter twins ("ko" for "kö") would match too much. Missing negators or
// conditions of a language take the defaults of spec §3.6.
func NewLexicon(data LexiconData) (*Lexicon, error) {
	lx := &Lexicon{version: data.Version}
	for l := range lx.negators {
		lx.negators[l], lx.conditions[l] = map[string]bool{}, map[string]bool{}
	}
	ve := &osallisuus.ValidationError{Op: "lexicon"}
	if data.Version == "" {
		ve.Add("version", osallisuus.CodeRequired)
	}
	for i, e := range data.Entries {
		f := fmt.Sprintf("entries[%d]", i)
		lang, ok := parseLang(e.Lang)
		if !ok {
			ve.Add(f+".lang", osallisuus.CodeUnknown)
		}
		label, ok := parseLabel(e.Label)
		if !ok {
			ve.Add(f+".label", osallisuus.CodeUnknown)
		}
		term := strings.ToLower(strings.TrimSpace(e.Term))
		if term == "" || strings.Trim(term, "* ") == "" {
			ve.Add(f+".term", osallisuus.CodeRequired)
			continue
		}
		switch e.Match {
		case MatchExact, MatchPrefix, MatchSuffix, MatchPhrase, "":
		default:
			ve.Add(f+".match", osallisuus.CodeUnknown)
		}
		lx.add(lang, label, term, e.Match)
		if lang == LangFI && label != labelWords {
			if grade := gradation(term); grade != "" {
				lx.add(lang, label, grade, e.Match)
				if twin := fold(grade); twin != grade {
					lx.add(lang, label, twin, e.Match)
				}
			}
		}
		if lang == LangFI || lang == LangSV {
			// Only the first word needs a twin: later words of a phrase are compared
			// folded anyway (phraseEnd).
			first, rest, _ := strings.Cut(term, " ")
			if twin := fold(first); twin != first && utf8.RuneCountInString(strings.Trim(twin, "*~ ")) >= 4 {
				if rest != "" {
					twin += " " + rest
				}
				lx.add(lang, label, twin, e.Match)
			}
		}
	}
	for _, set := range []struct {
		src map[string][]string
		def map[string][]string
		dst *[LangAny + 1]map[string]bool
	}{{data.Negators, defaultNegators, &lx.negators}, {data.Conditions, defaultConditions, &lx.conditions}} {
		for _, l := range []Lang{LangFI, LangSV, LangEN} {
			words, ok := set.src[l.String()]
			if !ok {
				words = set.def[l.String()]
			}
			for _, w := range words {
				for _, v := range []string{strings.ToLower(w), fold(strings.ToLower(w))} {
					set.dst[l][v] = true
					set.dst[LangUnd][v] = true
				}
			}
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	lx.root.dropRepeats(lx.entries)
	lx.compounds.dropRepeats(lx.entries)
	lx.root.foldWords(lx.entries)
	lx.compounds.foldWords(lx.entries)
	for _, w := range sharedWords {
		lx.root.mark(w, maskShared)
	}
	for _, l := range []Lang{LangFI, LangSV, LangEN} {
		for w := range lx.negators[l] {
			if len(w) <= 7 { // as isNegator reads them
				lx.root.mark(w, negMask(l))
			}
		}
		for w := range lx.conditions[l] {
			lx.root.mark(w, condMask(l))
		}
	}
	lx.root.mark("kukaan", negMask(LangUnd))
	lx.rootDFA, lx.compoundDFA = compileTrie(&lx.root), compileTrie(&lx.compounds)
	lx.root, lx.compounds = trie{}, trie{} // built, compiled, no longer needed
	lx.keys = keysOf(lx.entries)
	for _, e := range lx.entries {
		for _, r := range []string{e.term, e.negRule, e.helperRule} {
			lx.questionMarkRule = lx.questionMarkRule || r == "question-mark"
		}
	}
	return lx, nil
}

// Version returns the lexicon's version, recorded with every classification.
func (lx *Lexicon) Version() string { return lx.version }

func (lx *Lexicon) add(lang Lang, label int, term string, mode MatchMode) {
	suffix := mode == MatchSuffix
	if strings.HasPrefix(term, "~") {
		suffix = true
		term = term[1:]
	}
	// Tokens never hold a hyphen ("e-post" is "e" "post"), so neither do lexicon words.
	parts := strings.Fields(strings.ReplaceAll(term, "-", " "))
	e := entry{lang: lang, label: label, term: term, negRule: "negated:" + term,
		helperRule: labelNames[label] + ":" + term}
	for i, p := range parts {
		w := word{text: strings.TrimSuffix(p, "*"), prefix: strings.HasSuffix(p, "*")}
		if mode == MatchPrefix && i == len(parts)-1 {
			w.prefix = true
		}
		if w.text == "" {
			return
		}
		e.words = append(e.words, w)
	}
	for _, w := range e.words {
		if defaultNegatorSet[w.text] || strings.HasSuffix(w.text, "n't") {
			e.negInt = true
		}
	}
	e.suffix = suffix && len(e.words) == 1
	e.careError = isCareError(term)
	e.cuesOf()
	idx := int32(len(lx.entries))
	lx.entries = append(lx.entries, e)
	lx.root.insert(e.words[0].text, idx, e.words[0].prefix)
	if e.suffix {
		lx.compounds.insert(e.words[0].text, idx, e.words[0].prefix)
	}
}

var defaultNegatorSet = func() map[string]bool {
	m := map[string]bool{}
	for _, ws := range defaultNegators {
		for _, w := range ws {
			m[w] = true
		}
	}
	m["kukaan"], m["n't"] = true, true
	return m
}()

// fold returns s with ä, ö, å (and é, ü) replaced by their ASCII twins.
func fold(s string) string {
	if !strings.ContainsAny(s, "äöåéüÄÖÅ") {
		return s
	}
	return foldReplacer.Replace(s)
}

var foldReplacer = strings.NewReplacer("ä", "a", "ö", "o", "å", "a", "é", "e", "ü", "u", "Ä", "a", "Ö", "o", "Å", "a")

// parseLexiconText reads the compact text form of lexicon.txt (documented at its top).
func parseLexiconText(src string) (LexiconData, error) {
	data := LexiconData{Negators: defaultNegators, Conditions: defaultConditions}
	lang, label := "", ""
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "version:"):
			data.Version = strings.TrimSpace(strings.TrimPrefix(line, "version:"))
			continue
		case strings.HasPrefix(line, "["):
			f := strings.Fields(strings.Trim(line, "[]"))
			if len(f) != 2 {
				return data, fmt.Errorf("line %d: bad section %q", n+1, line)
			}
			lang, label = f[0], f[1]
			continue
		}
		if lang == "" {
			return data, fmt.Errorf("line %d: item outside a section", n+1)
		}
		for _, item := range strings.Split(line, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			mode := MatchExact
			switch {
			case strings.HasPrefix(item, "~"):
				mode = MatchSuffix
			case strings.Contains(item, " "):
				mode = MatchPhrase
			case strings.HasSuffix(item, "*"):
				mode = MatchPrefix
			}
			data.Entries = append(data.Entries, LexiconEntry{Lang: lang, Label: label, Term: item, Match: mode})
		}
	}
	return data, nil
}

// gradationPairs are the Finnish consonant gradation alternations (astevaihtelu), strong
// and weak grade, as they appear in stems: sakko/sakon, kohtelu/kohdeltiin, hinta/hinnan.
var gradationPairs = [][2]string{{"kk", "k"}, {"pp", "p"}, {"tt", "t"}, {"nt", "nn"}, {"nk", "ng"},
	{"lt", "ll"}, {"rt", "rr"}, {"mp", "mm"}, {"ht", "hd"}, {"t", "d"}, {"p", "v"}}

func isFinnishVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// gradation returns the other grade of a single-word Finnish prefix term of at least
// five letters ("sakko*" gives "sako*", "kohtel*" gives "kohdel*"), changing the last
// consonant cluster that stands between vowels; "" when there is none. Inflected forms
// in the other grade then match by prefix as well.
func gradation(term string) string {
	if !strings.HasSuffix(term, "*") || strings.ContainsAny(term, " ~") {
		return ""
	}
	stem := strings.TrimSuffix(term, "*")
	if utf8.RuneCountInString(stem) < 5 {
		return ""
	}
	// Work on the ASCII bytes; ä, ö (two bytes, lead 0xC3) count as vowels.
	vowelAt := func(i int) bool {
		return i >= 0 && i < len(stem) && (isFinnishVowel(stem[i]) || stem[i] == 0xC3 || (stem[i]&0xC0 == 0x80 && i > 0 && stem[i-1] == 0xC3))
	}
	for end := len(stem) - 1; end > 1; end-- {
		if !vowelAt(end) {
			continue
		}
		// stem[start:end] is the consonant cluster before the vowel at end.
		start := end
		for start > 0 && !vowelAt(start-1) {
			start--
		}
		if start == end || start == 0 {
			continue
		}
		cluster := stem[start:end]
		for _, p := range gradationPairs {
			var to string
			switch cluster {
			case p[0]:
				to = p[1]
			case p[1]:
				if p[1] == "k" || p[1] == "p" || p[1] == "t" {
					to = p[0]
				}
			default:
				continue
			}
			if to == "" {
				continue
			}
			return stem[:start] + to + stem[end:] + "*"
		}
		return ""
	}
	return ""
}
