package feedback

import (
	"math/bits"
	"slices"
	"strings"
)

// sentFlags are the helper cues found in one sentence, a bit each.
type sentFlags uint16

const (
	sentIdea sentFlags = 1 << iota
	sentRhetorical
	sentFiling
	sentPastFiling
	sentOngoing
	sentDigital
	sentResolved
	sentWait
	sentDuration
)

// sentFlagOf is the sentence flag a hit's label sets (none for most labels).
var sentFlagOf = [numLabels]sentFlags{labelIdea: sentIdea, labelRhetorical: sentRhetorical, labelFiling: sentFiling,
	labelPastFiling: sentPastFiling, labelOngoing: sentOngoing, labelDigital: sentDigital, labelResolved: sentResolved,
	labelWait: sentWait, labelDuration: sentDuration}

// negated reports whether a negator stands within three tokens before token i in the
// same clause (§3.6), or the token itself ends in "n't".
func (lx *Lexicon) negated(sc *scratch, lang Lang, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if sc.toks[k].clause != sc.toks[i].clause {
			return false
		}
		if sc.negator(lang, k) {
			return true
		}
	}
	return false
}

// negator reports whether token k is a negator of lang (isNegator), as match marked it.
func (sc *scratch) negator(lang Lang, k int) bool { return sc.mask[k]&negMask(lang) != 0 }

// conditional reports whether a condition word (jos, om, if, ...) opens a clause before
// token i in its sentence (or token i's own clause). Only a clause-opening "om" is a
// condition: "en anmärkning om bemötandet" is about, not if.
func (lx *Lexicon) conditional(sc *scratch, lang Lang, i int) bool {
	for k := i - 1; k >= 0 && sc.toks[k].sentence == sc.toks[i].sentence; k-- {
		opens := k == 0 || sc.toks[k-1].clause != sc.toks[k].clause
		if opens && sc.mask[k]&condMask(lang) != 0 { // lx.conditions[lang][sc.toks[k].low]
			return true
		}
	}
	return false
}

// decide applies the decision rules of §3.2–3.4 to the hits.
func (lx *Lexicon) decide(sc *scratch, text string, lang Lang, c *Classification) {
	if c.Matches == nil {
		c.Matches = make([]Match, 0, len(sc.hits)+4)
	}
	if cap(sc.sents) < len(sc.sentences) {
		sc.sents = make([]sentFlags, len(sc.sentences))
	}
	sc.sents = sc.sents[:len(sc.sentences)]
	sents := sc.sents
	clear(sents)
	// Keep only the cues of the detected language (every language when und), and note
	// the helper cues of each sentence. A risk is resolved when a sentence holds a
	// resolved cue.
	var all sentFlags     // of every sentence
	themeSpan := int32(0) // the most tokens a kept theme hit spans
	themeHits := 0        // kept theme hits: with fewer than two, none is shadowed
	kept := sc.hits[:0]
	for _, h := range sc.hits {
		k := &lx.keys[h.entry]
		if lang != LangUnd && k.lang != lang && k.lang != LangAny {
			continue
		}
		kept = append(kept, h)
		if k.label >= themeFirst && k.label <= themeLast {
			themeSpan = max(themeSpan, h.end-h.tok)
			themeHits++
		}
		f := sentFlagOf[k.label]
		sents[sc.toks[h.tok].sentence] |= f
		all |= f
	}
	sc.hits = sc.hits[:len(kept)] // kept is sc.hits's start
	resolved := all&sentResolved != 0
	// The cues' matches come first, in the order of their hits, so in order of their
	// starts: a match already there (the same cue found twice, as by the root and a
	// compound walk of one token, or in two languages when und) has the same start and
	// stands among the last ones.
	add := func(id cueID, h hit) {
		start, end := int32(sc.toks[h.tok].start), int32(sc.toks[h.end-1].end)
		for k := len(c.Matches) - 1; k >= 0 && c.Matches[k].Start == start; k-- {
			if m := &c.Matches[k]; m.End == end && m.cue == id {
				return
			}
		}
		c.Matches = sc.appendMatch(c.Matches, id, start, end)
	}
	var neg, pos, question, idea, wants, urgent, formal, decline bool
	weakNeg := false  // a long wait or a negated statement: a complaint unless suggesting
	var themes uint16 // bit l-themeFirst for theme label l
	ongoing, riskNow := false, false
	for hi, h := range sc.hits {
		en := &lx.entries[h.entry]
		i := int(h.tok)
		s := sc.toks[i].sentence
		// Whether the cue is negated, asked only by the labels that care.
		negd := func() bool { return !en.negInt && lx.negated(sc, lang, i) }
		switch l := en.label; {
		case l == labelComplaint:
			if negd() {
				pos = true
				add(en.negCue, h)
			} else {
				neg = true
				add(en.cue, h)
			}
		case l == labelPraise:
			if negd() {
				neg = true
				add(en.negCue, h)
			} else {
				pos = true
				add(en.cue, h)
			}
		case l == labelOutcome:
			if negd() {
				neg = true
				add(en.negCue, h)
			}
		case l == labelSarcasm:
			neg = true
			add(en.helperCue, h)
		case l == labelQuestion:
			// A question word asks when it opens its sentence or the sentence ends in '?',
			// and the sentence is not a suggestion phrased as a question.
			first := i == int(sc.sentences[s].start)
			if (first || sc.sentences[s].question) && (sents[s]&sentIdea == 0) {
				question = true
				add(en.cue, h)
			}
		case l == labelRequest:
			question = true
			add(en.helperCue, h)
		case l == labelIdea:
			if !negd() {
				idea = true
				add(en.cue, h)
			}
		case l >= themeFirst && l <= themeLast:
			if themeHits > 1 && lx.shadowed(sc, hi, themeSpan) {
				continue // "waiting room" is facilities, not a wait
			}
			if l == labelSafety && isDangerWord(en.term) && lx.negated(sc, lang, i) {
				continue // "ei mitään hätää", "no emergency"
			}
			if l == labelInformation && isDocumentWord(en.term) && lx.sentenceHas(sc, s, labelLanguage) {
				continue // a letter in the wrong language is language (§3.3)
			}
			if l == labelSafety && strings.HasPrefix(en.term, "kaatu") && (sents[s]&sentDigital != 0) {
				continue // "sovellus kaatuu": the app crashes, nobody fell
			}
			themes |= 1 << (l - themeFirst)
			if l == labelSafety && !en.careError && !lx.conditional(sc, lang, i) {
				riskNow = true
			}
			add(en.cue, h)
		case l == labelUrgent:
			if !negd() && !lx.conditional(sc, lang, i) {
				urgent = true
				add(en.cue, h)
			}
		case l == labelFormalComplaint, l == labelFormalAmbiguous:
			if negd() || lx.conditional(sc, lang, i) || (sents[s]&sentPastFiling != 0) {
				continue
			}
			if l == labelFormalAmbiguous && (sents[s]&sentFiling == 0) {
				continue
			}
			formal = true
			add(en.cue, h)
		case l == labelWantsReply:
			if !negd() {
				wants = true
				add(en.cue, h)
			}
		case l == labelDecline:
			decline = true
		case l == labelOngoing:
			// "now" in "it is over now" does not make a resolved risk go on.
			if sents[s]&sentResolved == 0 {
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
		c.Matches = sc.appendMatch(c.Matches, cueRiskNotOver, 0, 0)
	}
	// §3.4 urgent: a risk placed in the past or in professional hands is not urgent,
	// unless something says it goes on; when unclear, it stays urgent.
	if urgent && resolved && !ongoing {
		urgent = false
		c.Matches = dropLabel(c.Matches, "urgent")
	}
	// A long wait (a waiting word and a duration in one sentence, not a suggestion) is a
	// bad experience; a rhetorical question vents; a risk or harm is reported (§3.2).
	for si, s := range sc.sentences {
		start := int32(0)
		if int(s.start) < len(sc.toks) {
			start = int32(sc.toks[s.start].start)
		}
		if (sents[si]&sentWait != 0) && (sents[si]&sentDuration != 0) && (sents[si]&sentIdea == 0) {
			weakNeg = true
			c.Matches = sc.appendMatch(c.Matches, cueLongWait, start, start)
		}
		if s.question && (sents[si]&sentRhetorical != 0) && (sents[si]&sentIdea == 0) {
			neg = true
			c.Matches = sc.appendMatch(c.Matches, cueRhetorical, start, start)
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
			if sc.sentences[s].question || (sents[s]&sentIdea != 0) || !sc.negator(lang, i) || lx.coveredBy(sc, i, labelDecline, labelComplaint, labelFormalComplaint, labelFormalAmbiguous) {
				continue
			}
			if lx.negatesCue(sc, i) {
				continue
			}
			weakNeg = true
			c.Matches = sc.appendMatch(c.Matches, cueNegatedStatement, int32(t.start), int32(t.end))
			break
		}
	}
	if themes&(1<<(labelSafety-themeFirst)) != 0 {
		neg = true
		c.Matches = sc.appendMatch(c.Matches, cueRiskReported, 0, 0)
	}
	// Questions in the text: a '?' sentence that is neither a suggestion nor rhetorical.
	realQuestion := false
	for si, s := range sc.sentences {
		if s.question && (sents[si]&sentIdea == 0) && (sents[si]&sentRhetorical == 0) {
			realQuestion = true
			start := int32(0)
			if int(s.start) < len(sc.toks) {
				start = int32(sc.toks[s.start].start)
			}
			c.Matches = sc.appendMatch(c.Matches, cueQuestionMark, start, start)
		}
	}
	if !realQuestion && lx.questionMarkRule {
		// Without a real question no question-mark match was added above; only a cue
		// whose rule is spelled "question-mark" can be there.
		c.Matches = dropRule(c.Matches, "question-mark")
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
	case lx.declarative(sc):
		// No cue of any kind, but a statement of several words without a question
		// mark: feedback that only describes what happened is nearly always reporting
		// a problem (choice documented in doc.go).
		c.Kind = KindComplaint
		c.Matches = sc.appendMatch(c.Matches, cueDeclarativeDefault, 0, 0)
	default:
		c.Kind = KindQuestion
		c.Matches = sc.appendMatch(c.Matches, cueQuestionDefault, 0, 0)
	}
	if urgent {
		themes |= 1 << (labelSafety - themeFirst)
	}
	if c.Themes == nil {
		c.Themes = make([]string, 0, 3)
	}
	for ; themes != 0; themes &= themes - 1 {
		c.Themes = append(c.Themes, Themes[bits.TrailingZeros16(themes)])
	}
	c.Urgent, c.FormalComplaint = urgent, formal
	c.WantsReply = !decline && (wants || formal || c.Kind == KindQuestion || (c.Kind == KindComplaint && realQuestion))
	if c.WantsReply && !wants {
		c.Matches = sc.appendMatch(c.Matches, cueQuestionOrFormal, 0, 0)
	}
	if lang == LangUnd {
		c.Matches = sc.appendMatch(c.Matches, cueUndDefault, 0, 0)
	}
}

// appendMatch appends the match of id over [start, end) to ms. It grows ms with the
// built-in append, so that it stays small enough to inline: a match is appended some
// ten times a message, and a call each cost more than the append. For Classify, whose
// result ms is the free part of the match slab, a result that outgrows it moves to
// memory of its own and leaves the free part to the next result (see claim).
func (sc *scratch) appendMatch(ms []Match, id cueID, start, end int32) []Match {
	n := len(ms)
	if n == cap(ms) {
		ms = append(ms, Match{})[:n] // grows (rarely); the slot is written below
	}
	ms = ms[:n+1]
	m := &ms[n]
	m.cue, m.Start, m.End = id, start, end
	return ms
}

// The cues of the decision rules, interned once.
var (
	cueRiskNotOver        = cueOf(labelNames[labelUrgent], "risk-not-over")
	cueLongWait           = cueOf(labelNames[labelComplaint], "long-wait")
	cueRhetorical         = cueOf(labelNames[labelComplaint], "rhetorical-question")
	cueNegatedStatement   = cueOf(labelNames[labelComplaint], "negated-statement")
	cueRiskReported       = cueOf(labelNames[labelComplaint], "risk-reported")
	cueQuestionMark       = cueOf(labelNames[labelQuestion], "question-mark")
	cueDeclarativeDefault = cueOf(labelNames[labelComplaint], "declarative-default")
	cueQuestionDefault    = cueOf(labelNames[labelQuestion], "default")
	cueQuestionOrFormal   = cueOf(labelNames[labelWantsReply], "question-or-formal")
	cueUndDefault         = cueOf(LangUnd.String(), "default")
)

func dropLabel(ms []Match, label string) []Match {
	out := ms[:0]
	for _, m := range ms {
		if m.Label() != label {
			out = append(out, m)
		}
	}
	return out
}

func dropRule(ms []Match, rule string) []Match {
	out := ms[:0]
	for _, m := range ms {
		if m.Rule() != rule {
			out = append(out, m)
		}
	}
	return out
}

func (lx *Lexicon) isNegator(lang Lang, w string) bool {
	return (len(w) <= 7 && lx.negators[lang][w]) || strings.HasSuffix(w, "n't") || w == "kukaan"
}

// coveredBy reports whether token i lies inside a hit with one of the labels.
func (lx *Lexicon) coveredBy(sc *scratch, i int, labels ...int) bool {
	for _, h := range sc.hits {
		if int(h.tok) <= i && i < int(h.end) && slices.Contains(labels, int(lx.keys[h.entry].label)) {
			return true
		}
	}
	return false
}

// negatesCue reports whether a complaint or praise cue starts within three tokens after
// the negator at i in its clause (then the cue's own rule decides).
func (lx *Lexicon) negatesCue(sc *scratch, i int) bool {
	for _, h := range sc.hits {
		l := int(lx.keys[h.entry].label)
		if (l == labelComplaint || l == labelPraise || l == labelSafety || l == labelUrgent) && int(h.tok) > i && int(h.tok) <= i+3 &&
			sc.toks[h.tok].clause == sc.toks[i].clause {
			return true
		}
	}
	return false
}

// shadowed reports whether theme hit sc.hits[hi] lies inside a hit of another theme
// whose term is longer: the more specific cue wins ("waiting room", "odotustila" over
// "wait*", "odot*"). Hits are in token order and a theme hit spans at most span tokens,
// so only the hits near hi can cover it.
func (lx *Lexicon) shadowed(sc *scratch, hi int, span int32) bool {
	h := sc.hits[hi]
	k := lx.keys[h.entry]
	covers := func(o hit) bool {
		if o.tok > h.tok || o.end < h.end {
			return false
		}
		ok := lx.keys[o.entry]
		return ok.label != k.label && ok.label >= themeFirst && ok.label <= themeLast && ok.termLen > k.termLen && ok.lang == k.lang
	}
	for j := hi + 1; j < len(sc.hits) && sc.hits[j].tok == h.tok; j++ {
		if covers(sc.hits[j]) {
			return true
		}
	}
	for j := hi - 1; j >= 0 && sc.hits[j].tok+span >= h.end; j-- {
		if covers(sc.hits[j]) {
			return true
		}
	}
	return false
}

func isDocumentWord(term string) bool {
	switch term {
	case "kirje*", "brev*", "letter*", "kirjeet", "letters":
		return true
	}
	return false
}

// sentenceHas reports whether sentence s has a hit with the label.
func (lx *Lexicon) sentenceHas(sc *scratch, s int32, label int) bool {
	for _, h := range sc.hits {
		if sc.toks[h.tok].sentence == s && int(lx.keys[h.entry].label) == label {
			return true
		}
	}
	return false
}

// declarative reports whether the text is a statement of at least four words with no
// question mark.
func (lx *Lexicon) declarative(sc *scratch) bool {
	words := 0
	for i := range sc.toks {
		if sc.toks[i].marks&maskLetter != 0 {
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
func isDangerWord(term string) bool {
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
func isCareError(term string) bool {
	for _, p := range careErrorPrefixes {
		// The ASCII twin of a cue ("ilman verenpainelaak*") is the same cue.
		if strings.HasPrefix(term, p[0]) || strings.HasPrefix(term, p[1]) {
			return true
		}
	}
	return false
}

// careErrorPrefixes are the prefixes of isCareError, each with its ASCII twin (fold).
var careErrorPrefixes = func() (ps [][2]string) {
	for _, p := range []string{"desinfi", "käsihygien", "hygien", "infekti", "infection", "tartun", "smitt", "lääkevirhe",
		"lääkityspoikkeama", "väärä lääke", "väärän lääkkeen", "väärä annos", "väärän annoksen", "väärät lääkkeet",
		"lääkkeet väärin", "jaettiin väärin", "väärin annosteltu", "fel medicin", "fel dos", "fel läkemedel",
		"läkemedelsfel", "wrong medication", "wrong medicine", "wrong dose", "wrong drug", "medication error",
		"forgot to give", "glömde att ge", "unohti antaa", "jäi antamatta", "dosett", "dosetti", "doserades fel",
		"dosed wrongly", "insulin", "väärän potilaan", "väärä potilas", "wrong patient", "ennen pistosta", "sairaalabakteeri",
		"ilman lääk", "ilman verenpainelääk", "utan medicin", "utan blodtrycksmedicin", "utan recept", "without her medicine",
		"without his medicine", "without medication", "without prescriptions", "allerg"} {
		ps = append(ps, [2]string{p, fold(p)})
	}
	return ps
}()
