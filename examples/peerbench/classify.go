package peerbench

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coregx/ahocorasick"

	"github.com/osallisuus/osallisuus/feedback"
)

// Labels is a set of lexicon labels found in a message, one bit per label name (see
// LabelNames of the matcher that produced it).
type Labels uint64

// lexiconTerm is one lexicon entry as the peers use it.
type lexiconTerm struct {
	words  []string // lower case, without "*" and "~"
	prefix bool     // the last word is a prefix (inflected forms)
	suffix bool     // the first word may end a compound token ("~")
	label  int
}

// lexiconTerms returns the entries of data (with the ASCII twins the library adds for
// Finnish and Swedish terms: ä→a, ö→o, å→a when at least four letters long) and the
// label names, indexed by label bit.
func lexiconTerms(data feedback.LexiconData) ([]lexiconTerm, []string) {
	labelIndex := map[string]int{}
	var names []string
	var out []lexiconTerm
	twin := strings.NewReplacer("ä", "a", "ö", "o", "å", "a")
	for _, e := range data.Entries {
		li, ok := labelIndex[e.Label]
		if !ok {
			li = len(names)
			labelIndex[e.Label] = li
			names = append(names, e.Label)
		}
		term := strings.ToLower(e.Term)
		t := lexiconTerm{label: li, suffix: strings.HasPrefix(term, "~")}
		term = strings.TrimPrefix(term, "~")
		t.words = strings.Fields(term)
		if len(t.words) == 0 {
			continue
		}
		last := len(t.words) - 1
		if strings.HasSuffix(t.words[last], "*") {
			t.prefix = true
			t.words[last] = strings.TrimSuffix(t.words[last], "*")
		}
		for i, w := range t.words[:last] {
			t.words[i] = strings.TrimSuffix(w, "*")
		}
		out = append(out, t)
		if e.Lang == "fi" || e.Lang == "sv" {
			joined := strings.Join(t.words, " ")
			if tw := twin.Replace(joined); tw != joined && utf8.RuneCountInString(tw) >= 4 {
				t2 := t
				t2.words = strings.Fields(tw)
				out = append(out, t2)
			}
		}
	}
	if len(names) > 64 {
		panic(fmt.Sprintf("peerbench: %d labels do not fit a Labels set", len(names)))
	}
	return out, names
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// RegexpClassifier finds lexicon cues with one Go regexp: an alternation of every lexicon
// entry, matched leftmost-longest on the lower-cased text. The alternatives are sorted so
// that Go's regexp/syntax factors their common prefixes into a trie. A cue must start at
// a word boundary (or, for compound "~" entries, anywhere in a token) and, unless its
// last word is a prefix, end at one: Go's \b is ASCII-only, so the start boundary is a
// consumed non-letter and the end is checked after the match. The regexp says where a
// cue is but not which: each match's labels are looked up from its text in maps of the
// exact, prefix and compound entries.
type RegexpClassifier struct {
	re       *regexp.Regexp
	exact    map[string]Labels // whole matched text
	prefix   map[string]Labels // a prefix of the matched text
	suffixes []lexiconTerm     // compound entries, checked against the matched token
	maxLen   int               // longest prefix key, in bytes
	Names    []string
}

// NewRegexpClassifier compiles the lexicon into one regexp.
func NewRegexpClassifier(data feedback.LexiconData) (*RegexpClassifier, error) {
	terms, names := lexiconTerms(data)
	c := &RegexpClassifier{Names: names, exact: map[string]Labels{}, prefix: map[string]Labels{}}
	seen := map[string]bool{}
	var pieces []string
	for _, t := range terms {
		parts := make([]string, len(t.words))
		for i, w := range t.words {
			parts[i] = regexp.QuoteMeta(w)
		}
		piece := strings.Join(parts, `\s+`)
		text := strings.Join(t.words, " ")
		switch {
		case t.suffix:
			c.suffixes = append(c.suffixes, t)
			piece = `[\p{L}\p{N}]*` + piece
			if t.prefix {
				piece += `[\p{L}\p{N}]*`
			}
		case t.prefix:
			c.prefix[text] |= 1 << t.label
			c.maxLen = max(c.maxLen, len(text))
			piece += `[\p{L}\p{N}]*`
		default:
			c.exact[text] |= 1 << t.label
		}
		if !seen[piece] {
			seen[piece] = true
			pieces = append(pieces, piece)
		}
	}
	slices.Sort(pieces)
	re, err := regexp.Compile(`(?:^|[^\p{L}\p{N}])(?:` + strings.Join(pieces, "|") + `)`)
	if err != nil {
		return nil, err
	}
	re.Longest()
	c.re = re
	return c, nil
}

// Classify returns the labels of the cues found in text.
func (c *RegexpClassifier) Classify(text string) Labels {
	low := strings.ToLower(text)
	var set Labels
	for _, m := range c.re.FindAllStringIndex(low, -1) {
		start, end := m[0], m[1]
		if r, n := utf8.DecodeRuneInString(low[start:end]); !isWordRune(r) {
			start += n // the consumed boundary
		}
		if r, _ := utf8.DecodeRuneInString(low[end:]); end < len(low) && isWordRune(r) {
			continue // an exact term ending inside a longer word
		}
		set |= c.labelsOf(low[start:end])
	}
	return set
}

// labelsOf returns the labels of every entry that matches the whole of s.
func (c *RegexpClassifier) labelsOf(s string) Labels {
	if strings.ContainsAny(s, "\t\n\r\v\f") || strings.Contains(s, "  ") { // a phrase across other white space
		s = strings.Join(strings.Fields(s), " ")
	}
	set := c.exact[s]
	for k := min(len(s), c.maxLen); k > 0; k-- {
		set |= c.prefix[s[:k]]
	}
	for _, t := range c.suffixes {
		w := t.words[len(t.words)-1]
		if t.prefix && strings.Contains(s, w) || !t.prefix && strings.HasSuffix(s, w) {
			set |= 1 << t.label
		}
	}
	return set
}

// ACClassifier finds lexicon cues with an Aho–Corasick automaton
// (github.com/coregx/ahocorasick, leftmost-longest) over the lower-cased text, checking
// word boundaries around each match as the regexp peer does. Phrases match with single
// spaces between their words.
type ACClassifier struct {
	ac    *ahocorasick.Automaton
	pats  [][]acPattern // pattern ID → the entries with that text
	Names []string
}

type acPattern struct {
	label            int
	needStart, exact bool
}

// NewACClassifier builds the automaton of the lexicon's terms.
func NewACClassifier(data feedback.LexiconData) (*ACClassifier, error) {
	terms, names := lexiconTerms(data)
	ids := map[string]int{}
	var texts []string
	c := &ACClassifier{Names: names}
	for _, t := range terms {
		s := strings.Join(t.words, " ")
		id, ok := ids[s]
		if !ok {
			id = len(texts)
			ids[s] = id
			texts = append(texts, s)
			c.pats = append(c.pats, nil)
		}
		c.pats[id] = append(c.pats[id], acPattern{label: t.label, needStart: !t.suffix, exact: !t.prefix})
	}
	ac, err := ahocorasick.NewBuilder().SetMatchKind(ahocorasick.LeftmostLongest).AddStrings(texts).Build()
	if err != nil {
		return nil, err
	}
	c.ac = ac
	return c, nil
}

// Classify returns the labels of the cues found in text. buf is scratch space for the
// lower-cased text; it returns it (grown) for the next call.
func (c *ACClassifier) Classify(text string, buf []byte) (Labels, []byte) {
	low := buf[:0]
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			if b >= 'A' && b <= 'Z' {
				b += 'a' - 'A'
			}
			low = append(low, b)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		low = utf8.AppendRune(low, unicode.ToLower(r))
		i += n
	}
	var set Labels
	for pos := 0; pos < len(low); {
		m, ok := c.ac.Find(low, pos)
		if !ok {
			break
		}
		startOK := m.Start == 0
		if !startOK {
			r, _ := utf8.DecodeLastRune(low[:m.Start])
			startOK = !isWordRune(r)
		}
		endOK := m.End == len(low)
		if !endOK {
			r, _ := utf8.DecodeRune(low[m.End:])
			endOK = !isWordRune(r)
		}
		matched := false
		for _, p := range c.pats[m.PatternID] {
			if (startOK || !p.needStart) && (endOK || !p.exact) {
				set |= 1 << p.label
				matched = true
			}
		}
		if matched {
			pos = m.End
		} else {
			pos = m.Start + 1
		}
	}
	return set, low
}

// LabelSet names the labels of set, in label order.
func LabelSet(names []string, set Labels) []string {
	var out []string
	for i, n := range names {
		if set&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}
