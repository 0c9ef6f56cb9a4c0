package feedback

// The classifier as it was before its optimisation, kept while the new one is compared
// with it (TestClassifyOldNew, FuzzClassifyOldNew).

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

type oldToken struct {
	start, end int    // byte offsets in the NFC text
	low        string // lower-cased
	sentence   int32
	clause     int32
	upper      bool // starts with an upper-case letter
}

type oldHit struct {
	entry    int32
	tok, end int32 // first and one-past-last oldToken
}

type oldSentenceInfo struct {
	question bool // ends with or holds '?'
	start    int32
}

// oldScratch holds the per-call working memory.
type oldScratch struct {
	toks      []oldToken
	low       []byte
	hits      []oldHit
	sentences []oldSentenceInfo
	lowIdx    [][2]int32 // each oldToken's span in low
	mask      []uint8    // each oldToken's language bits (1 << Lang) from the lexicon
	sents     []oldSentFlags
}

// ClassifyHint is Classify with the intake's language hint ("fi", "sv" or "en"), which
// only breaks a tie in the language vote (§3.1); any other hint is ignored.
func (lx *Lexicon) oldClassifyHint(text, langHint string) Classification {
	hint, _ := parseLang(langHint)
	if hint == LangAny {
		hint = LangUnd
	}
	if !oldIsNFC(text) {
		text = norm.NFC.String(text)
	}
	sc := oldScratchPool.Get().(*oldScratch)
	defer oldScratchPool.Put(sc)
	sc.oldTokenize(text)
	c := Classification{LexiconVersion: lx.version}
	// One pass finds every cue of every language; the language vote uses them all and
	// the decision only those of the detected language (all when und).
	sc.hits = sc.hits[:0]
	lx.oldMatch(sc)
	lang := lx.oldDetectLang(sc, hint)
	c.Lang = lang.String()
	lx.oldDecide(sc, text, lang, &c)
	return c
}

// oldScratchPool recycles the working memory of Classify, so that classifying a message
// allocates little beyond its result. It holds no state between calls.
var oldScratchPool = sync.Pool{New: func() any { return new(oldScratch) }}

// isNFC reports whether s is in NFC. Text whose runes all lie below U+0300 (ASCII,
// Latin-1, Latin Extended: every Finnish and Swedish letter) holds no combining mark and
// nothing that composes, so it is NFC without asking the normaliser.
func oldIsNFC(s string) bool {
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
func (sc *oldScratch) oldTokenize(text string) {
	sc.toks = sc.toks[:0]
	sc.low = sc.low[:0]
	sc.lowIdx = sc.lowIdx[:0]
	sc.sentences = append(sc.sentences[:0], oldSentenceInfo{})
	var sentence, clause int32
	newSentence := func() {
		if len(sc.toks) > 0 && sc.toks[len(sc.toks)-1].sentence == sentence {
			sentence++
			clause++
			sc.sentences = append(sc.sentences, oldSentenceInfo{start: int32(len(sc.toks))})
		}
	}
	for i := 0; i < len(text); {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		if oldIsWordRune(r) {
			start := i
			lowStart := len(sc.low)
			upperFirst := unicode.IsUpper(r)
			for i < len(text) {
				r, n := rune(text[i]), 1
				if r >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(text[i:])
				}
				if !oldIsWordRune(r) {
					// An apostrophe between letters joins the word (don't, it's).
					if (r == '\'' || r == '’') && i+n < len(text) {
						nr, _ := utf8.DecodeRuneInString(text[i+n:])
						if oldIsWordRune(nr) {
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
			// A redaction oldToken ("[email]") stands for an identifier, not a word: skip it.
			if start > 0 && text[start-1] == '[' && i < len(text) && text[i] == ']' && oldIsRedactionKind(string(sc.low[lowStart:])) {
				sc.low = sc.low[:lowStart]
				continue
			}
			// low is filled in after tokenizing, when sc.low no longer moves.
			sc.toks = append(sc.toks, oldToken{start: start, end: i, sentence: sentence, clause: clause,
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
			if oldIsEmoji(r) {
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
				sc.toks = append(sc.toks, oldToken{start: start, end: i, sentence: sentence, clause: clause})
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

func oldIsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9' || r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func oldIsEmoji(r rune) bool {
	return r >= 0x1F300 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF
}

func oldIsRedactionKind(w string) bool {
	switch RedactionKind(w) {
	case RedactHetu, RedactBusinessID, RedactIBAN, RedactEmail, RedactPhone, RedactName, RedactAddress:
		return true
	}
	return false
}

// match runs the lexicon over the tokens once: it records every oldHit, of every language,
// and marks each oldToken with the languages whose cues cover it (for the language vote).
func (lx *Lexicon) oldMatch(sc *oldScratch) {
	sc.mask = slices.Grow(sc.mask[:0], len(sc.toks))[:len(sc.toks)]
	clear(sc.mask)
	for i := range sc.toks {
		tok := sc.toks[i].low
		fire := func(e int32) {
			en := &lx.entries[e]
			end, ok := lx.oldPhraseEnd(sc, i, en)
			if !ok {
				return
			}
			for k := i; k < end; k++ {
				sc.mask[k] |= 1 << en.lang
			}
			if en.label == labelWords {
				return // vocabulary only votes for the language
			}
			sc.hits = append(sc.hits, oldHit{entry: e, tok: int32(i), end: int32(end)})
		}
		lx.root.oldWalk(tok, fire)
		if len(tok) >= 5 && len(lx.compounds.nodes) > 0 {
			for p := 2; p <= len(tok)-3; p++ {
				if tok[p]&0xC0 == 0x80 || lx.compounds.root[tok[p]] == 0 {
					continue
				}
				lx.compounds.oldWalk(tok[p:], fire)
			}
		}
	}
}

// phraseEnd checks the words after the first of en against the tokens after i in the same
// sentence and returns the index after the last matched oldToken.
func (lx *Lexicon) oldPhraseEnd(sc *oldScratch, i int, en *entry) (int, bool) {
	for k := 1; k < len(en.words); k++ {
		j := i + k
		if j >= len(sc.toks) || sc.toks[j].sentence != sc.toks[i].sentence {
			return 0, false
		}
		w := en.words[k]
		t := sc.toks[j].low
		// Cheap first-byte filter before the full comparison: a folded letter (ä, ö, å)
		// starts with the UTF-8 lead byte 0xC3.
		if t == "" || (t[0] != w.text[0] && t[0] != 0xC3) {
			return 0, false
		}
		if w.prefix {
			if !strings.HasPrefix(t, w.text) && !oldFoldEqual(t, w.text, true) {
				return 0, false
			}
		} else if t != w.text && !oldFoldEqual(t, w.text, false) {
			return 0, false
		}
	}
	return i + len(en.words), true
}

// sharedWord reports whether w is a word several languages use; such words never count
// for a language (§3.1).
func oldSharedWord(w string) bool {
	switch w {
	case "ok", "okay", "super", "hello", "top", "wow", "hi", "moi", "bye", "jes", "jep":
		return true
	}
	return false
}

// detectLang labels the language most counted words are written in (§3.1); on a tie the
// language of the first counted word among the tied ones. Words are counted by the
// lexicon's vocabulary, then by spelling (diacritics, endings) for unknown words; the
// spelling guesses are skipped when they cannot change the result.
func (lx *Lexicon) oldDetectLang(sc *oldScratch, hint Lang) Lang {
	var counts [4]int
	var firstAt [4]int
	for i := range firstAt {
		firstAt[i] = -1
	}
	count := func(l Lang, i int) {
		counts[l]++
		if firstAt[l] < 0 || i < firstAt[l] {
			firstAt[l] = i
		}
	}
	unknown := 0
	for i, t := range sc.toks {
		if !oldHasLetter(t.low) || (len(t.low) <= 5 && oldSharedWord(t.low)) {
			continue
		}
		switch sc.mask[i] & (1<<LangFI | 1<<LangSV | 1<<LangEN) {
		case 1 << LangFI:
			count(LangFI, i)
		case 1 << LangSV:
			count(LangSV, i)
		case 1 << LangEN:
			count(LangEN, i)
		case 0:
			unknown++
		}
	}
	// Guess unknown words only when they could change the leader.
	first, second := 0, 0
	for _, l := range []Lang{LangFI, LangSV, LangEN} {
		switch c := counts[l]; {
		case c > first:
			first, second = c, first
		case c > second:
			second = c
		}
	}
	if unknown > 0 && first-second <= unknown {
		for i, t := range sc.toks {
			if sc.mask[i]&(1<<LangFI|1<<LangSV|1<<LangEN) != 0 || !oldHasLetter(t.low) ||
				(len(t.low) <= 5 && oldSharedWord(t.low)) {
				continue
			}
			if t.upper && i > 0 && sc.toks[i-1].sentence == t.sentence {
				continue // probably a name
			}
			if l := oldGuessLang(t.low); l != LangUnd {
				count(l, i)
			}
		}
	}
	best := LangUnd
	for _, l := range []Lang{LangFI, LangSV, LangEN} {
		switch {
		case counts[l] == 0:
		case best == LangUnd || counts[l] > counts[best]:
			best = l
		case counts[l] == counts[best] && firstAt[l] < firstAt[best]:
			best = l
		}
	}
	// A hint from the intake breaks a tie only (§3.1).
	if best != LangUnd && hint != LangUnd && hint != best && counts[hint] == counts[best] {
		best = hint
	}
	return best
}

func oldHasLetter(s string) bool {
	for _, r := range s {
		if oldIsWordRune(r) && (r < '0' || r > '9') {
			return true
		}
	}
	return false
}

// guessLang guesses the language of a word that is in no vocabulary, from its spelling
// (one pass over the bytes); LangUnd when unsure.
func oldGuessLang(w string) Lang {
	if len(w) < 3 {
		return LangUnd
	}
	var fi, sv, en int
	var prev byte
	doubleVowel, umlaut, aring, th, wLetter := false, false, false, false, false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == 0xC3 && i+1 < len(w):
			switch w[i+1] {
			case 0xA4, 0xB6: // ä ö
				umlaut = true
				if i+3 < len(w) && w[i+2] == 0xC3 && w[i+3] == w[i+1] {
					doubleVowel = true
				}
			case 0xA5: // å
				aring = true
			}
		case c == prev && (c == 'a' || c == 'e' || c == 'i' || c == 'u' || c == 'y'):
			doubleVowel = true
		case c == 'h' && prev == 't':
			th = true
		case c == 'w':
			wLetter = true
		}
		prev = c
	}
	if aring {
		sv += 2
	}
	if doubleVowel {
		fi++
	}
	if umlaut {
		fi++
		sv++
	}
	if th || wLetter {
		en++
	}
	switch {
	case oldHasAnySuffix(w, "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nen", "iin", "tta", "ttä", "mme", "tte", "vat", "vät", "kaan", "kään", "jen"):
		fi += 2
	case oldHasAnySuffix(w, "ning", "het", "arna", "erna", "orna", "ade", "lig", "ligt", "liga", "skap", "ande", "ende"):
		sv += 2
	case oldHasAnySuffix(w, "ing", "ed", "ly", "tion", "ous", "ness", "ment", "ful", "less", "ight", "ough"):
		en += 2
	}
	switch {
	case fi > sv && fi > en:
		return LangFI
	case sv > fi && sv > en:
		return LangSV
	case en > fi && en > sv:
		return LangEN
	}
	return LangUnd
}

func oldHasAnySuffix(w string, suffixes ...string) bool {
	for _, s := range suffixes {
		if len(w) >= len(s) && w[len(w)-len(s):] == s {
			return true
		}
	}
	return false
}

// foldEqual reports whether fold(t) equals w (or, with prefix, starts with w), without
// allocating.
func oldFoldEqual(t, w string, prefix bool) bool {
	k := 0
	for _, r := range t {
		var b byte
		switch r {
		case 'ä', 'å':
			b = 'a'
		case 'ö':
			b = 'o'
		case 'é':
			b = 'e'
		case 'ü':
			b = 'u'
		default:
			if r >= utf8.RuneSelf {
				return false
			}
			b = byte(r)
		}
		if k == len(w) {
			return prefix
		}
		if w[k] != b {
			return false
		}
		k++
	}
	return k == len(w)
}

// oldSentFlags are the helper cues found in one sentence.
type oldSentFlags struct {
	idea, rhetorical, filing, pastFiling, ongoing, digital, resolved, wait, duration bool
}

// negated reports whether a negator stands within three tokens before oldToken i in the
// same clause (§3.6), or the oldToken itself ends in "n't".
func (lx *Lexicon) oldNegated(sc *oldScratch, lang Lang, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := &sc.toks[k]
		if t.clause != sc.toks[i].clause {
			return false
		}
		if (len(t.low) <= 7 && lx.negators[lang][t.low]) || strings.HasSuffix(t.low, "n't") || t.low == "kukaan" {
			return true
		}
	}
	return false
}

// conditional reports whether a condition word (jos, om, if, ...) opens a clause before
// oldToken i in its sentence (or oldToken i's own clause). Only a clause-opening "om" is a
// condition: "en anmärkning om bemötandet" is about, not if.
func (lx *Lexicon) oldConditional(sc *oldScratch, lang Lang, i int) bool {
	for k := i - 1; k >= 0 && sc.toks[k].sentence == sc.toks[i].sentence; k-- {
		opens := k == 0 || sc.toks[k-1].clause != sc.toks[k].clause
		if opens && lx.conditions[lang][sc.toks[k].low] {
			return true
		}
	}
	return false
}

// decide applies the decision rules of §3.2–3.4 to the hits.
func (lx *Lexicon) oldDecide(sc *oldScratch, text string, lang Lang, c *Classification) {
	// Keep only the cues of the detected language (every language when und).
	if lang != LangUnd {
		kept := sc.hits[:0]
		for _, h := range sc.hits {
			if l := lx.entries[h.entry].lang; l == lang || l == LangAny {
				kept = append(kept, h)
			}
		}
		sc.hits = kept
	}
	c.Matches = make([]Match, 0, len(sc.hits)+4)
	sents := slices.Grow(sc.sents[:0], len(sc.sentences))[:len(sc.sentences)]
	clear(sents)
	sc.sents = sents
	for _, h := range sc.hits {
		en := &lx.entries[h.entry]
		s := sc.toks[h.tok].sentence
		switch en.label {
		case labelIdea:
			sents[s].idea = true
		case labelRhetorical:
			sents[s].rhetorical = true
		case labelFiling:
			sents[s].filing = true
		case labelPastFiling:
			sents[s].pastFiling = true
		case labelOngoing:
			sents[s].ongoing = true
		case labelDigital:
			sents[s].digital = true
		case labelResolved:
			sents[s].resolved = true
		case labelWait:
			sents[s].wait = true
		case labelDuration:
			sents[s].duration = true
		}
	}
	add := func(label int, rule string, h oldHit) {
		c.Matches = append(c.Matches, Match{Label: labelNames[label], Rule: rule,
			Start: sc.toks[h.tok].start, End: sc.toks[h.end-1].end})
	}
	var neg, pos, question, idea, wants, urgent, formal, decline bool
	weakNeg := false // a long wait or a negated statement: a complaint unless suggesting
	var themes [themeLast - themeFirst + 1]bool
	resolved, ongoing, riskNow := false, false, false
	for _, h := range sc.hits {
		if s := sc.toks[h.tok].sentence; sents[s].resolved {
			resolved = true
		}
	}
	for _, h := range sc.hits {
		en := &lx.entries[h.entry]
		i := int(h.tok)
		s := sc.toks[i].sentence
		negd := !en.negInt && lx.oldNegated(sc, lang, i)
		switch l := en.label; {
		case l == labelComplaint:
			if negd {
				pos = true
				add(labelPraise, en.negRule, h)
			} else {
				neg = true
				add(l, en.term, h)
			}
		case l == labelPraise:
			if negd {
				neg = true
				add(labelComplaint, en.negRule, h)
			} else {
				pos = true
				add(l, en.term, h)
			}
		case l == labelOutcome:
			if negd {
				neg = true
				add(labelComplaint, en.negRule, h)
			}
		case l == labelSarcasm:
			neg = true
			add(labelComplaint, en.helperRule, h)
		case l == labelQuestion:
			// A question word asks when it opens its sentence or the sentence ends in '?',
			// and the sentence is not a suggestion phrased as a question.
			first := i == int(sc.sentences[s].start)
			if (first || sc.sentences[s].question) && !sents[s].idea {
				question = true
				add(l, en.term, h)
			}
		case l == labelRequest:
			question = true
			add(labelQuestion, en.helperRule, h)
		case l == labelIdea:
			if !negd {
				idea = true
				add(l, en.term, h)
			}
		case l >= themeFirst && l <= themeLast:
			if lx.oldShadowed(sc, h) {
				continue // "waiting room" is facilities, not a wait
			}
			if l == labelSafety && oldIsDangerWord(en.term) && lx.oldNegated(sc, lang, i) {
				continue // "ei mitään hätää", "no emergency"
			}
			if l == labelInformation && oldIsDocumentWord(en.term) && lx.oldSentenceHas(sc, s, labelLanguage) {
				continue // a letter in the wrong language is language (§3.3)
			}
			if l == labelSafety && strings.HasPrefix(en.term, "kaatu") && sents[s].digital {
				continue // "sovellus kaatuu": the app crashes, nobody fell
			}
			themes[l-themeFirst] = true
			if l == labelSafety && !oldIsCareError(en.term) && !lx.oldConditional(sc, lang, i) {
				riskNow = true
			}
			add(l, en.term, h)
		case l == labelUrgent:
			if !negd && !lx.oldConditional(sc, lang, i) {
				urgent = true
				add(l, en.term, h)
			}
		case l == labelFormalComplaint, l == labelFormalAmbiguous:
			if negd || lx.oldConditional(sc, lang, i) || sents[s].pastFiling {
				continue
			}
			if l == labelFormalAmbiguous && !sents[s].filing {
				continue
			}
			formal = true
			add(labelFormalComplaint, en.term, h)
		case l == labelWantsReply:
			if !negd {
				wants = true
				add(l, en.term, h)
			}
		case l == labelDecline:
			decline = true
		case l == labelOngoing:
			// "now" in "it is over now" does not make a resolved risk go on.
			if !sents[s].resolved {
				ongoing = true
			}
		}
	}
	// §3.4 favours recall: a reported risk (theme safety) that something says goes on now
	// is urgent unless the message places it in the past or in professional hands.
	// A reported risk that the message does not place in the past or in professional
	// hands may still go on: "when it is unclear whether a risk is over, set it".
	if !urgent && riskNow && (ongoing || !resolved) {
		urgent = true
		c.Matches = append(c.Matches, Match{Label: "urgent", Rule: "risk-not-over"})
	}
	// §3.4 urgent: a risk placed in the past or in professional hands is not urgent,
	// unless something says it goes on; when unclear, it stays urgent.
	if urgent && resolved && !ongoing {
		urgent = false
		c.Matches = oldDropLabel(c.Matches, "urgent")
	}
	// A long wait (a waiting word and a duration in one sentence, not a suggestion) is a
	// bad experience; a rhetorical question vents; a risk or harm is reported (§3.2).
	for si, s := range sc.sentences {
		start := 0
		if int(s.start) < len(sc.toks) {
			start = sc.toks[s.start].start
		}
		if sents[si].wait && sents[si].duration && !sents[si].idea {
			weakNeg = true
			c.Matches = append(c.Matches, Match{Label: "complaint", Rule: "long-wait", Start: start, End: start})
		}
		if s.question && sents[si].rhetorical && !sents[si].idea {
			neg = true
			c.Matches = append(c.Matches, Match{Label: "complaint", Rule: "rhetorical-question", Start: start, End: start})
		}
	}
	// A negated statement about the service ("tulkkia ei ollut paikalla", "it does not
	// load") reports that something is missing or wrong: a complaint, unless the negator
	// turns a complaint cue into praise ("ei huono"), declines a reply, or sits in a
	// question or a suggestion.
	if !neg && !weakNeg && !pos {
		for i := range sc.toks {
			t := &sc.toks[i]
			s := t.sentence
			if sc.sentences[s].question || sents[s].idea || !lx.oldIsNegator(lang, t.low) || lx.oldCoveredBy(sc, i, labelDecline, labelComplaint, labelFormalComplaint, labelFormalAmbiguous) {
				continue
			}
			if lx.oldNegatesCue(sc, i) {
				continue
			}
			weakNeg = true
			c.Matches = append(c.Matches, Match{Label: "complaint", Rule: "negated-statement", Start: t.start, End: t.end})
			break
		}
	}
	if themes[labelSafety-themeFirst] {
		neg = true
		c.Matches = append(c.Matches, Match{Label: "complaint", Rule: "risk-reported"})
	}
	// Questions in the text: a '?' sentence that is neither a suggestion nor rhetorical.
	realQuestion := false
	for si, s := range sc.sentences {
		if s.question && !sents[si].idea && !sents[si].rhetorical {
			realQuestion = true
			start := 0
			if int(s.start) < len(sc.toks) {
				start = sc.toks[s.start].start
			}
			c.Matches = append(c.Matches, Match{Label: "question", Rule: "question-mark", Start: start, End: start})
		}
	}
	if !realQuestion {
		c.Matches = oldDropRule(c.Matches, "question-mark")
	}
	// A description of today's state that motivates a proposal keeps it an idea (§3.2):
	// only an explicit negative judgement makes a message with a suggestion a complaint.
	if weakNeg && !idea {
		neg = true
	}
	switch {
	case urgent || formal || neg:
		c.Kind = KindComplaint
	case question || realQuestion || wants:
		c.Kind = KindQuestion
	case idea:
		c.Kind = KindIdea
	case pos:
		c.Kind = KindPraise
	case lx.oldDeclarative(sc):
		// No cue of any kind, but a statement of several words without a question
		// mark: feedback that only describes what happened is nearly always reporting
		// a problem (choice documented in doc.go).
		c.Kind = KindComplaint
		c.Matches = append(c.Matches, Match{Label: "complaint", Rule: "declarative-default"})
	default:
		c.Kind = KindQuestion
		c.Matches = append(c.Matches, Match{Label: "question", Rule: "default"})
	}
	if urgent {
		themes[labelSafety-themeFirst] = true
	}
	c.Themes = make([]string, 0, 3)
	for k, on := range themes {
		if on {
			c.Themes = append(c.Themes, Themes[k])
		}
	}
	c.Urgent, c.FormalComplaint = urgent, formal
	c.WantsReply = !decline && (wants || formal || c.Kind == KindQuestion || (c.Kind == KindComplaint && realQuestion))
	if c.WantsReply && !wants {
		c.Matches = append(c.Matches, Match{Label: "wantsReply", Rule: "question-or-formal"})
	}
	if lang == LangUnd {
		c.Matches = append(c.Matches, Match{Label: "und", Rule: "default"})
	}
}

func oldDropLabel(ms []Match, label string) []Match {
	out := ms[:0]
	for _, m := range ms {
		if m.Label != label {
			out = append(out, m)
		}
	}
	return out
}

func oldDropRule(ms []Match, rule string) []Match {
	out := ms[:0]
	for _, m := range ms {
		if m.Rule != rule {
			out = append(out, m)
		}
	}
	return out
}

func (lx *Lexicon) oldIsNegator(lang Lang, w string) bool {
	return (len(w) <= 7 && lx.negators[lang][w]) || strings.HasSuffix(w, "n't") || w == "kukaan"
}

// coveredBy reports whether oldToken i lies inside a oldHit with one of the labels.
func (lx *Lexicon) oldCoveredBy(sc *oldScratch, i int, labels ...int) bool {
	for _, h := range sc.hits {
		if int(h.tok) <= i && i < int(h.end) && slices.Contains(labels, lx.entries[h.entry].label) {
			return true
		}
	}
	return false
}

// negatesCue reports whether a complaint or praise cue starts within three tokens after
// the negator at i in its clause (then the cue's own rule decides).
func (lx *Lexicon) oldNegatesCue(sc *oldScratch, i int) bool {
	for _, h := range sc.hits {
		l := lx.entries[h.entry].label
		if (l == labelComplaint || l == labelPraise || l == labelSafety || l == labelUrgent) && int(h.tok) > i && int(h.tok) <= i+3 &&
			sc.toks[h.tok].clause == sc.toks[i].clause {
			return true
		}
	}
	return false
}

// shadowed reports whether theme oldHit h lies inside a oldHit of another theme whose term is
// longer: the more specific cue wins ("waiting room", "odotustila" over "wait*", "odot*").
func (lx *Lexicon) oldShadowed(sc *oldScratch, h oldHit) bool {
	en := &lx.entries[h.entry]
	for _, o := range sc.hits {
		oe := &lx.entries[o.entry]
		if oe.label != en.label && oe.label >= themeFirst && oe.label <= themeLast &&
			o.tok <= h.tok && o.end >= h.end && len(oe.term) > len(en.term) && oe.lang == en.lang {
			return true
		}
	}
	return false
}

func oldIsDocumentWord(term string) bool {
	switch term {
	case "kirje*", "brev*", "letter*", "kirjeet", "letters":
		return true
	}
	return false
}

// sentenceHas reports whether sentence s has a oldHit with the label.
func (lx *Lexicon) oldSentenceHas(sc *oldScratch, s int32, label int) bool {
	for _, h := range sc.hits {
		if sc.toks[h.tok].sentence == s && lx.entries[h.entry].label == label {
			return true
		}
	}
	return false
}

// declarative reports whether the text is a statement of at least four words with no
// question mark.
func (lx *Lexicon) oldDeclarative(sc *oldScratch) bool {
	words := 0
	for _, t := range sc.toks {
		if oldHasLetter(t.low) {
			words++
		}
	}
	for _, s := range sc.sentences {
		if s.question {
			return false
		}
	}
	return words >= 4
}

// isDangerWord reports whether a safety cue names danger itself, so that negating it
// ("ei mitään hätää", "no danger") denies the risk; a negated failure ("ei desinfioinut")
// is still a risk.
func oldIsDangerWord(term string) bool {
	switch term {
	case "hätä*", "vaaralli*", "vaara*", "hengenvaara*", "dangerous", "danger*", "unsafe", "farlig*", "fara",
		"livsfarlig*", "otrygg*", "turvattom*", "risk*", "riski*", "safety", "turvallisuus*", "säkerhet*":
		return true
	}
	return false
}

// isCareError reports whether a safety cue names an error in the care process (hygiene,
// a wrong or missed dose) rather than an acute danger: such a report is a complaint with
// theme safety but is urgent only through an urgent cue (§3.4 (d)).
func oldIsCareError(term string) bool {
	for _, p := range []string{"desinfi", "käsihygien", "hygien", "infekti", "infection", "tartun", "smitt", "lääkevirhe",
		"lääkityspoikkeama", "väärä lääke", "väärän lääkkeen", "väärä annos", "väärän annoksen", "väärät lääkkeet",
		"lääkkeet väärin", "jaettiin väärin", "väärin annosteltu", "fel medicin", "fel dos", "fel läkemedel",
		"läkemedelsfel", "wrong medication", "wrong medicine", "wrong dose", "wrong drug", "medication error",
		"forgot to give", "glömde att ge", "unohti antaa", "jäi antamatta", "dosett", "dosetti", "doserades fel",
		"dosed wrongly", "insulin", "väärän potilaan", "väärä potilas", "wrong patient", "ennen pistosta", "sairaalabakteeri",
		"ilman lääk", "ilman verenpainelääk", "utan medicin", "utan blodtrycksmedicin", "utan recept", "without her medicine",
		"without his medicine", "without medication", "without prescriptions", "allerg"} {
		// The ASCII twin of a cue ("ilman verenpainelaak*") is the same cue.
		if strings.HasPrefix(term, p) || strings.HasPrefix(term, fold(p)) {
			return true
		}
	}
	return false
}

// walk calls fn with each entry whose first word matches s from its start: prefix
// entries as they are passed, exact entries when s ends on them. With partial, exact
// entries also fire at any node reached (compound parts need the whole rest of s: the
// caller passes the rest).
func (t *trie) oldWalk(s string, fn func(e int32)) {
	if len(t.nodes) == 0 {
		return
	}
	if len(s) == 0 {
		return
	}
	n := t.root[s[0]]
	if n == 0 {
		return
	}
	for _, e := range t.nodes[n].prefix {
		fn(e)
	}
	for i := 1; i < len(s); i++ {
		next := int32(-1)
		if d := t.nodes[n].dense; d != nil {
			if v := d[s[i]]; v != 0 {
				next = v
			}
		} else {
			for _, ed := range t.nodes[n].edges {
				if ed.b == s[i] {
					next = ed.next
					break
				}
			}
		}
		if next < 0 {
			return
		}
		n = next
		for _, e := range t.nodes[n].prefix {
			fn(e)
		}
	}
	for _, e := range t.nodes[n].exact {
		fn(e)
	}
}

func (lx *Lexicon) oldClassify(text string) Classification { return lx.oldClassifyHint(text, "") }
