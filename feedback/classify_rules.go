package feedback

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// match runs the lexicon over the tokens once: it records every hit, of every language,
// and marks each token with the languages whose cues cover it (for the language vote).
func (lx *Lexicon) match(sc *scratch) {
	toks := sc.toks
	if cap(sc.mask) < len(toks) {
		sc.mask = make([]uint16, len(toks))
	}
	sc.mask = sc.mask[:len(toks)]
	mask := sc.mask
	clear(mask)
	hits := sc.hits
	keys := lx.keys
	mo := sc.memoFor(lx)
	var low string // token i in lower case; each token's is read once
	if len(toks) > 0 {
		low = sc.lowOf(0)
	}
	for i := range toks {
		nextLow := ""
		if i+1 < len(toks) {
			nextLow = sc.lowOf(i + 1)
		}
		// The token's entries and mask: from the first slot of its pair in the memo,
		// else lookUpRest (or a walk, without a memo).
		var cand, one []int32
		var seconds uint32
		var m uint16
		if mo == nil {
			cand, one, seconds, m = sc.walkSplit(lx, low)
		} else {
			lo, hi := wordKey(low)
			pair := mo.pairOf(lo, hi, len(low))
			if mo.holds(&pair[0], low, lo, hi) {
				cand, one, seconds, m = mo.found(&pair[0])
			} else {
				cand, one, seconds, m = sc.lookUpRest(lx, mo, pair, low, lo, hi)
			}
		}
		low = nextLow
		mask[i] |= m | uint16(toks[i].marks)
		if len(cand) == 0 {
			continue
		}
		// The first bytes of the next token in the sentence, for a cheap test of a
		// phrase's second word before the full comparison; none when there is none.
		hasNext, next, nextHead, nextASCII := false, byte(0), uint32(0), false
		if i+1 < len(toks) && toks[i+1].sentence == toks[i].sentence {
			hasNext, next = true, nextLow[0]
		}
		if !hasNext || seconds&(1<<(next&31)) == 0 {
			// No phrase among the candidates can go on with the next token (see
			// splitCands): the one-word entries, in their order, are the hits (m holds
			// their languages; none of them is vocabulary, which the tries fold into
			// masks).
			for _, e := range one {
				hits = append(hits, hit{entry: e, tok: int32(i), end: int32(i + 1)})
			}
			continue
		}
		nextHead, nextASCII = head4(nextLow)
		for _, e := range cand {
			k := &keys[e]
			end := i + 1
			if k.words > 1 {
				if !hasNext {
					continue
				}
				// A token whose first four bytes are ASCII folds to itself there, so a
				// match (plain or folded) starts with the word's first four bytes.
				if nextASCII {
					if nextHead&k.headMask != k.head {
						continue
					}
				} else if next != k.second && next != 0xC3 {
					continue
				}
				var ok bool
				if end, ok = lx.phraseEnd(sc, i, &lx.entries[e]); !ok {
					continue
				}
			}
			for j := i; j < end; j++ {
				mask[j] |= 1 << k.lang
			}
			if k.label == labelWords {
				continue // vocabulary only votes for the language
			}
			hits = append(hits, hit{entry: e, tok: int32(i), end: int32(end)})
		}
	}
	if cap(hits) == cap(sc.hits) {
		sc.hits = sc.hits[:len(hits)] // in place: no pointer written
	} else {
		sc.hits = hits
	}
}

// splitCands returns the one-word entries of cand, in order (cand itself when it holds
// no phrase, else appended to buf), the set of the first bytes of the phrases'
// second words, as bits b&31, with the bit of 0xC3 (the lead byte of ä, ö, å, which
// fold) when there is a phrase: a phrase can go on with a token only when the bit of
// the token's first byte is set; and the languages of the one-word entries (1 << Lang),
// which always match.
func (lx *Lexicon) splitCands(cand, buf []int32) (one []int32, seconds uint32, langs uint16) {
	for _, e := range cand {
		if k := &lx.keys[e]; k.words > 1 {
			seconds |= 1<<(k.second&31) | 1<<(0xC3&31)
		} else {
			langs |= 1 << k.lang
		}
	}
	if seconds == 0 {
		return cand, 0, langs
	}
	one = buf[:0]
	for _, e := range cand {
		if lx.keys[e].words <= 1 {
			one = append(one, e)
		}
	}
	return one, seconds, langs
}

// head4 returns the first four bytes of s (fewer when s is shorter, zero above) as a
// little-endian number, and whether they are all ASCII.
func head4(s string) (uint32, bool) {
	if len(s) >= 4 {
		h := uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
		return h, h&0x80808080 == 0
	}
	var h uint32
	ascii := true
	for k := 0; k < 4 && k < len(s); k++ {
		h |= uint32(s[k]) << (8 * k)
		ascii = ascii && s[k] < utf8.RuneSelf
	}
	return h, ascii
}

// phraseEnd checks the words after the first of en against the tokens after i in the same
// sentence and returns the index after the last matched token.
func (lx *Lexicon) phraseEnd(sc *scratch, i int, en *entry) (int, bool) {
	for k := 1; k < len(en.words); k++ {
		j := i + k
		if j >= len(sc.toks) || sc.toks[j].sentence != sc.toks[i].sentence {
			return 0, false
		}
		w := en.words[k]
		t := sc.lowOf(j)
		// Cheap first-byte filter before the full comparison: a folded letter (ä, ö, å)
		// starts with the UTF-8 lead byte 0xC3.
		if t == "" || (t[0] != w.text[0] && t[0] != 0xC3) {
			return 0, false
		}
		if w.prefix {
			if !strings.HasPrefix(t, w.text) && !foldEqual(t, w.text, true) {
				return 0, false
			}
		} else if t != w.text && !foldEqual(t, w.text, false) {
			return 0, false
		}
	}
	return i + len(en.words), true
}

// sharedWord reports whether w is a word several languages use; such words never count
// for a language (§3.1).
func sharedWord(w string) bool { return slices.Contains(sharedWords[:], w) }

// sharedWords are the words of sharedWord. The root walk marks them (maskShared).
var sharedWords = [...]string{"ok", "okay", "super", "hello", "top", "wow", "hi", "moi", "bye", "jes", "jep"}

// detectLang labels the language most counted words are written in (§3.1); on a tie the
// language of the first counted word among the tied ones. Words are counted by the
// lexicon's vocabulary, then by spelling (diacritics, endings) for unknown words; the
// spelling guesses are skipped when they cannot change the result.
func (lx *Lexicon) detectLang(sc *scratch, hint Lang) Lang {
	// counts by Lang; the LangUnd column counts the unknown words, the LangAny column
	// the words of several languages (which count for none). Where each language's
	// first counted word is matters only on a tie, and is looked up then (firstAt).
	var counts [LangAny + 1]int
	var guesses [LangEN + 1]int // the guessable tokens by their spelling guess
	for mask := sc.mask; len(mask) > 0; {
		// Sixteen bits a counter (unknown, fi, sv, en) in one register, so chunks of
		// fewer than 1<<16 tokens.
		chunk := mask[:min(len(mask), 1<<16-1)]
		mask = mask[len(chunk):]
		// The spelling guesses are counted in the same pass, in case they are
		// needed: the mask holds each word's guess (guessOf) and what guessable asks.
		var acc, gacc uint64
		for _, m := range chunk {
			acc += voteInc[m>>LangFI&7|m>>2&8|m>>3&16]
			gacc += guessInc[m>>LangFI&7|m>>2&8|m>>3&16|m>>1&32|m>>8&0xC0]
		}
		for l := LangUnd; l <= LangEN; l++ {
			counts[l] += int(acc >> (16 * l) & 0xFFFF)
			guesses[l] += int(gacc >> (16 * l) & 0xFFFF)
		}
	}
	unknown := counts[LangUnd]
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
	guessed := unknown > 0 && first-second <= unknown
	if guessed {
		for l := LangFI; l <= LangEN; l++ {
			counts[l] += guesses[l]
		}
	}
	best := LangUnd
	for _, l := range []Lang{LangFI, LangSV, LangEN} {
		switch {
		case counts[l] == 0:
		case best == LangUnd || counts[l] > counts[best]:
			best = l
		case counts[l] == counts[best] && sc.firstAt(l, guessed) < sc.firstAt(best, guessed):
			best = l
		}
	}
	// A hint from the intake breaks a tie only (§3.1).
	if best != LangUnd && hint != LangUnd && hint != best && counts[hint] == counts[best] {
		best = hint
	}
	return best
}

// guessable reports whether detectLang counts token i by its spelling: a word with a
// letter in no vocabulary, not shared, and not capitalised inside its sentence
// (probably a name).
func (sc *scratch) guessable(i int) bool {
	return sc.mask[i]&(1<<LangFI|1<<LangSV|1<<LangEN|maskShared|maskLetter|maskNamed) == maskLetter
}

// firstAt returns the index of the first token detectLang counted for l: by the
// vocabulary, or by its spelling when guessed (math.MaxInt when none).
func (sc *scratch) firstAt(l Lang, guessed bool) int {
	for i, m := range sc.mask {
		if m&(maskLetter|maskShared) == maskLetter && voteLang[m>>LangFI&7] == l {
			return i
		}
		if guessed && sc.guessable(i) && guessOf(m) == l {
			return i
		}
	}
	return math.MaxInt
}

// guessInc adds one to the counter of a token's spelling guess (by Lang, as voteInc),
// indexed as voteInc with maskNamed as bit 5 and the guess (guessOf) as bits 6 and 7:
// when the token is guessable (no vocabulary language, a letter, not shared, not
// named) and the guess is a language.
var guessInc = func() (t [256]uint64) {
	for i := range t {
		if g := Lang(i >> 6); i&(7|16|32) == 0 && i&8 != 0 && g != LangUnd {
			t[i] = 1 << (16 * g)
		}
	}
	return t
}()

// voteLang maps a token's language bits, shifted down to bit 0 for Finnish, to the
// language the word counts for: LangUnd when none (unknown), LangAny when several.
var voteLang = [8]Lang{LangUnd, LangFI, LangSV, LangAny, LangEN, LangAny, LangAny, LangAny}

// voteInc adds one to a token's counter in detectLang's register of four 16-bit
// counters (by Lang: unknown, fi, sv, en), indexed by the token's language bits (as
// voteLang) with maskLetter as bit 3 and maskShared as bit 4: a word counts when it holds
// a letter and is not shared; a word of several languages counts for none.
var voteInc = func() (t [32]uint64) {
	for bits := range 8 {
		if l := voteLang[bits]; l != LangAny {
			t[bits|8] = 1 << (16 * l)
		}
	}
	return t
}()

func hasLetter(s string) bool {
	for _, r := range s {
		if isWordRune(r) && (r < '0' || r > '9') {
			return true
		}
	}
	return false
}

// guessLang guesses the language of a word that is in no vocabulary, from its spelling
// (one pass over the bytes, then its ending); LangUnd when unsure.
func guessLang(w string) Lang {
	n := len(w)
	if n < 3 {
		return LangUnd
	}
	var fi, sv, en int
	var prev byte
	doubleVowel, umlaut, aring, th, wLetter := false, false, false, false, false
	for i := 0; i < n; i++ {
		c := w[i]
		switch guessClass[c] {
		case guessC3:
			if i+1 < n {
				switch w[i+1] {
				case 0xA4, 0xB6: // ä ö
					umlaut = true
					if i+3 < n && w[i+2] == 0xC3 && w[i+3] == w[i+1] {
						doubleVowel = true
					}
				case 0xA5: // å
					aring = true
				}
			}
		case guessVowel:
			if c == prev {
				doubleVowel = true
			}
		case guessH:
			if prev == 't' {
				th = true
			}
		case guessW:
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
	switch wordEnding(w) {
	case LangFI:
		fi += 2
	case LangSV:
		sv += 2
	case LangEN:
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

// The byte classes of guessLang's pass.
const (
	guessOther = iota
	guessC3    // the lead byte of ä, ö, å
	guessVowel // a vowel that doubles in Finnish spelling (not o)
	guessH
	guessW
)

var guessClass = func() (t [256]uint8) {
	t[0xC3] = guessC3
	for _, c := range "aeiuy" {
		t[c] = guessVowel
	}
	t['h'], t['w'] = guessH, guessW
	return t
}()

// wordEnding returns the language of w's ending: Finnish when it ends with one of the
// Finnish endings, else Swedish for a Swedish one, else English for an English one,
// else LangUnd. The last eight bytes of w (fewer when shorter) are read at once, last
// byte highest, and compared with each ending of w's last byte the same way.
func wordEnding(w string) Lang {
	n := len(w)
	if n == 0 {
		return LangUnd
	}
	var tail uint64
	if n >= 8 {
		tail = le64(w[n-8:])
	} else {
		for k := range n {
			tail |= uint64(w[k]) << (8 * (8 - n + k))
		}
	}
	// An ending's bytes are never zero, so an ending longer than w cannot match the
	// zeros below a short word.
	for _, e := range wordEndings[w[n-1]] {
		if tail>>e.shift == e.bytes {
			return e.lang
		}
	}
	return LangUnd
}

// ending is one ending of wordEndings: its bytes (first byte lowest) and the shift that
// brings a tail's last len(ending) bytes down to them.
type ending struct {
	bytes uint64
	shift uint8
	lang  Lang
}

// wordEndings are the endings by which guessLang tells the languages apart, indexed by
// their last byte, Finnish before Swedish before English (read-only).
var wordEndings = func() (t [256][]ending) {
	for _, l := range []struct {
		lang Lang
		list []string
	}{
		{LangFI, []string{"ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nen", "iin", "tta",
			"ttä", "mme", "tte", "vat", "vät", "kaan", "kään", "jen"}},
		{LangSV, []string{"ning", "het", "arna", "erna", "orna", "ade", "lig", "ligt", "liga", "skap", "ande", "ende"}},
		{LangEN, []string{"ing", "ed", "ly", "tion", "ous", "ness", "ment", "ful", "less", "ight", "ough"}},
	} {
		for _, s := range l.list {
			e := ending{shift: uint8(8 * (8 - len(s))), lang: l.lang}
			for k := range len(s) {
				e.bytes |= uint64(s[k]) << (8 * k)
			}
			t[s[len(s)-1]] = append(t[s[len(s)-1]], e)
		}
	}
	return t
}()

// foldEqual reports whether fold(t) equals w (or, with prefix, starts with w), without
// allocating.
func foldEqual(t, w string, prefix bool) bool {
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
