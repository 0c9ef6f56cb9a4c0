package feedback

import (
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
	// "default"), and its byte span in the NFC text.
	Matches        []Match `json:"matches,omitempty"`
	LexiconVersion string  `json:"lexiconVersion,omitempty"`
}

// Match is the evidence of one fired cue: a label, the rule that set it (a lexicon
// term, a rule name such as "negated", "question-mark", or "default") and the byte
// offsets [Start, End) into the NFC text. A default has Start == End == 0.
type Match struct {
	Label string `json:"label"`
	Rule  string `json:"rule"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Classify classifies text with the default lexicon (spec §3). It is a pure function of
// the text; see [Lexicon.Classify].
func Classify(text string) Classification { return DefaultLexicon().Classify(text) }

type token struct {
	start, end int    // byte offsets in the NFC text
	low        string // lower-cased
	sentence   int32
	clause     int32
	upper      bool // starts with an upper-case letter
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
	low       []byte
	hits      []hit
	sentences []sentenceInfo
	lowIdx    [][2]int32 // each token's span in low
	mask      []uint8    // each token's language bits (1 << Lang) from the lexicon
	sents     []sentFlags
}

// Classify classifies text with lx (spec §3): NFC, lower case, tokens with byte offsets,
// cue matching with prefixes, compounds, phrases and negation, then the decision rules
// of §3.2–3.4 in order. It never panics; invalid UTF-8 is read as U+FFFD.
func (lx *Lexicon) Classify(text string) Classification { return lx.ClassifyHint(text, "") }

// ClassifyHint is Classify with the intake's language hint ("fi", "sv" or "en"), which
// only breaks a tie in the language vote (§3.1); any other hint is ignored.
func (lx *Lexicon) ClassifyHint(text, langHint string) Classification {
	hint, _ := parseLang(langHint)
	if hint == LangAny {
		hint = LangUnd
	}
	if !isNFC(text) {
		text = norm.NFC.String(text)
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.tokenize(text)
	c := Classification{LexiconVersion: lx.version}
	// One pass finds every cue of every language; the language vote uses them all and
	// the decision only those of the detected language (all when und).
	sc.hits = sc.hits[:0]
	lx.match(sc)
	lang := lx.detectLang(sc, hint)
	c.Lang = lang.String()
	lx.decide(sc, text, lang, &c)
	return c
}

// scratchPool recycles the working memory of Classify, so that classifying a message
// allocates little beyond its result. It holds no state between calls.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// isNFC reports whether s is in NFC. Text whose runes all lie below U+0300 (ASCII,
// Latin-1, Latin Extended: every Finnish and Swedish letter) holds no combining mark and
// nothing that composes, so it is NFC without asking the normaliser.
func isNFC(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xCC {
			return norm.NFC.IsNormalString(s)
		}
	}
	return true
}

// tokenize splits text into tokens (runs of letters and digits; an apostrophe inside a
// word joins it), sentences ('.', '!', '?', newline) and clauses (also ',', ';', ':', and
// a few conjunctions). Emoji with a lexicon entry become tokens of their own.
func (sc *scratch) tokenize(text string) {
	sc.toks = sc.toks[:0]
	sc.low = sc.low[:0]
	sc.lowIdx = sc.lowIdx[:0]
	sc.sentences = append(sc.sentences[:0], sentenceInfo{})
	var sentence, clause int32
	newSentence := func() {
		if len(sc.toks) > 0 && sc.toks[len(sc.toks)-1].sentence == sentence {
			sentence++
			clause++
			sc.sentences = append(sc.sentences, sentenceInfo{start: int32(len(sc.toks))})
		}
	}
	for i := 0; i < len(text); {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		if isWordRune(r) {
			start := i
			lowStart := len(sc.low)
			upperFirst := unicode.IsUpper(r)
			for i < len(text) {
				r, n := rune(text[i]), 1
				if r >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(text[i:])
				}
				if !isWordRune(r) {
					// An apostrophe between letters joins the word (don't, it's).
					if (r == '\'' || r == '’') && i+n < len(text) {
						nr, _ := utf8.DecodeRuneInString(text[i+n:])
						if isWordRune(nr) {
							sc.low = append(sc.low, '\'')
							i += n
							continue
						}
					}
					break
				}
				if r < utf8.RuneSelf {
					if r >= 'A' && r <= 'Z' {
						r += 'a' - 'A'
					}
					sc.low = append(sc.low, byte(r))
				} else {
					sc.low = utf8.AppendRune(sc.low, unicode.ToLower(r))
				}
				i += n
			}
			// A redaction token ("[email]") stands for an identifier, not a word: skip it.
			if start > 0 && text[start-1] == '[' && i < len(text) && text[i] == ']' && isRedactionKind(string(sc.low[lowStart:])) {
				sc.low = sc.low[:lowStart]
				continue
			}
			// low is filled in after tokenizing, when sc.low no longer moves.
			sc.toks = append(sc.toks, token{start: start, end: i, sentence: sentence, clause: clause,
				upper: upperFirst})
			sc.lowIdx = append(sc.lowIdx, [2]int32{int32(lowStart), int32(len(sc.low))})
			continue
		}
		switch r {
		case '.', '!', '\n':
			newSentence()
		case '?':
			sc.sentences[sentence].question = true
			newSentence()
		case ',', ';', ':', '(', ')', '–', '—':
			clause++
		default:
			if isEmoji(r) {
				start := i
				lowStart := len(sc.low)
				sc.low = append(sc.low, text[i:i+n]...)
				i += n
				// Variation selectors belong to the emoji.
				for i < len(text) {
					vr, vn := utf8.DecodeRuneInString(text[i:])
					if vr != 0xFE0F && vr != 0x200D {
						break
					}
					sc.low = append(sc.low, text[i:i+vn]...)
					i += vn
				}
				sc.toks = append(sc.toks, token{start: start, end: i, sentence: sentence, clause: clause})
				sc.lowIdx = append(sc.lowIdx, [2]int32{int32(lowStart), int32(len(sc.low))})
				continue
			}
		}
		i += n
	}
	// Now that sc.low is complete, slice the lower-cased forms out of one string.
	all := string(sc.low)
	for k := range sc.toks {
		sc.toks[k].low = all[sc.lowIdx[k][0]:sc.lowIdx[k][1]]
	}
	if len(sc.toks) > 0 && sc.toks[len(sc.toks)-1].sentence < sentence {
		sc.sentences = sc.sentences[:len(sc.sentences)-1]
	}
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
