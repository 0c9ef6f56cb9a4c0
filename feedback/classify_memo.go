package feedback

import "math/bits"

// wordMemo remembers what the lexicon walks found for recent words: a word's entries
// (the root walk's, then the compound walks') and its mask, as lookUp computes them.
// Words recur (function words, the service's own vocabulary), so most tokens of a
// message are found here instead of walked again. It is a cache: a word's hash picks a
// set of two slots (one cache line), the word found or remembered last in a set stands
// first, and a new word pushes out the older of the two; the whole memo is cleared when
// its arenas are full or the lexicon changes. So a word is found or walked, with the same
// result either way. Its only pointer is lx: the words and entries are in arenas inside
// it, so the garbage collector never scans them and filling them needs no write barrier.
type wordMemo struct {
	slots  [memoSlots]memoSlot // first, so that a set lies in one 64-byte line
	lx     *Lexicon            // the lexicon whose walks the memo holds
	clears int                 // how many times the memo was cleared
	nWords int32               // words[:nWords] is taken
	nEnts  int32               // ents[:nEnts] is taken
	words  [memoWordsCap]byte  // the words of the slots
	ents   [memoEntsCap]int32  // the entries of the slots
}

// memoSlot is one remembered word, in 32 bytes: words[at:at+n], whose key is lo, hi
// (see wordKey), its entries ents[entAt:entAt+entN] and its one-word entries (see
// splitCands): the same when seconds is zero, else the oneN after them.
type memoSlot struct {
	lo, hi     uint64
	seconds    uint32
	at, entAt  uint16
	entN, oneN uint16
	mask       uint16
	n          uint8 // 0: an empty slot
}

// wordKey returns the first and the last eight bytes of w as little-endian numbers
// (for a word shorter than eight bytes, its bytes and zero): with the length, they are
// the word itself when it is at most sixteen bytes long.
func wordKey(w string) (lo, hi uint64) {
	// Two loads that overlap in the middle, or-ed: the overlapping bytes are the same.
	switch n := len(w); {
	case n >= 8:
		return le64(w[:8]), le64(w[n-8:])
	case n >= 4:
		return uint64(le32(w[:4])) | uint64(le32(w[n-4:]))<<(8*(n-4)), 0
	case n >= 2:
		return uint64(w[0]) | uint64(w[1])<<8 | (uint64(w[n-2])|uint64(w[n-1])<<8)<<(8*(n-2)), 0
	case n == 1:
		return uint64(w[0]), 0
	}
	return 0, 0
}

// le32 reads the first four bytes of w as a little-endian number.
func le32(w string) uint32 {
	_ = w[3]
	return uint32(w[0]) | uint32(w[1])<<8 | uint32(w[2])<<16 | uint32(w[3])<<24
}

const (
	// A memo takes memoSlots×32 + memoWordsCap + memoEntsCap×4 bytes: 160 KiB. The
	// arenas' offsets fit the slots' 16 bits.
	memoBits     = 11
	memoSlots    = 1 << memoBits // in sets of two
	memoWordMax  = 48            // longer words are walked, not remembered
	memoWordsCap = 1 << 15       // bytes of words before the memo is cleared
	memoEntsCap  = 1 << 14       // entries before the memo is cleared
)

// memoFor returns the scratch's memo for lx (a new or cleared one when it holds
// another lexicon's walks), or nil when the scratch walks every token (noMemo).
func (sc *scratch) memoFor(lx *Lexicon) *wordMemo {
	if sc.noMemo {
		return nil
	}
	mo := sc.memo
	if mo == nil || mo.lx != lx {
		if mo == nil {
			mo = new(wordMemo)
			sc.memo = mo
		}
		mo.reset(lx)
	}
	return mo
}

// pairOf returns the set of two slots where the word whose key is lo, hi and whose
// length is n stands when the memo remembers it.
func (mo *wordMemo) pairOf(lo, hi uint64, n int) *[2]memoSlot {
	set := ((lo ^ bits.RotateLeft64(hi, 29) ^ uint64(n)) * 0x9E3779B97F4A7C15) >> (64 - (memoBits - 1))
	return (*[2]memoSlot)(mo.slots[2*set:])
}

// lookUpRest returns, for a tok (whose key is lo, hi) not in the first slot of its
// pair, what match looks up for a token: the entries whose first word matches tok (the
// root walk, then the compound walks from inside tok), its one-word entries and the first
// bytes of its phrases' second words (see splitCands), and tok's mask (see maskShared)
// with the languages of its one-word entries; from the pair's second slot, or walked and
// remembered. The entries are valid until the next call. match finds a token in the
// first slot itself, inlined: most tokens are found there, and a call and its spills cost
// as much as the finding.
func (sc *scratch) lookUpRest(lx *Lexicon, mo *wordMemo, pair *[2]memoSlot, tok string, lo, hi uint64) (cand, one []int32, seconds uint32, mask uint16) {
	if mo.holds(&pair[1], tok, lo, hi) {
		pair[0], pair[1] = pair[1], pair[0] // the word found last stands first
		return mo.found(&pair[0])
	}
	cand, one, seconds, mask = sc.walkSplit(lx, tok)
	if len(tok) > memoWordMax || len(cand) > memoEntsCap/8 {
		return cand, one, seconds, mask
	}
	oneN := 0
	if seconds != 0 {
		oneN = len(one)
	}
	if int(mo.nWords)+len(tok) > len(mo.words) || int(mo.nEnts)+len(cand)+oneN > len(mo.ents) {
		mo.reset(lx)
	}
	pair[1] = pair[0]
	pair[0] = memoSlot{lo: lo, hi: hi, seconds: seconds, at: uint16(mo.nWords), entAt: uint16(mo.nEnts),
		entN: uint16(len(cand)), oneN: uint16(oneN), mask: mask, n: uint8(len(tok))}
	mo.nWords += int32(copy(mo.words[mo.nWords:], tok))
	mo.nEnts += int32(copy(mo.ents[mo.nEnts:], cand))
	mo.nEnts += int32(copy(mo.ents[mo.nEnts:], one[:oneN]))
	return cand, one, seconds, mask
}

// holds reports whether slot s remembers tok, whose key is lo, hi.
func (mo *wordMemo) holds(s *memoSlot, tok string, lo, hi uint64) bool {
	return int(s.n) == len(tok) && s.lo == lo && s.hi == hi &&
		(len(tok) <= 16 || string(mo.words[s.at:int(s.at)+int(s.n)]) == tok)
}

// found returns what slot s remembers, as lookUp does.
func (mo *wordMemo) found(s *memoSlot) (cand, one []int32, seconds uint32, mask uint16) {
	at, n := int(s.entAt), int(s.entN)
	cand = mo.ents[at : at+n : at+n]
	if s.seconds == 0 {
		return cand, cand, 0, s.mask
	}
	at += n
	n = int(s.oneN)
	return cand, mo.ents[at : at+n : at+n], s.seconds, s.mask
}

// walkSplit walks tok and splits its entries (lookUp without the memo). The mask of a
// word in no vocabulary and not shared also holds its spelling guess (guessOf).
func (sc *scratch) walkSplit(lx *Lexicon, tok string) (cand, one []int32, seconds uint32, mask uint16) {
	cand, mask = lx.walkToken(tok, sc.cand[:0])
	if cap(cand) > cap(sc.cand) { // grown: keep the larger buffer (only then, to spare a write barrier)
		sc.cand = cand
	}
	var langs uint16
	one, seconds, langs = lx.splitCands(cand, sc.one)
	mask |= langs
	if mask&(1<<LangFI|1<<LangSV|1<<LangEN|maskShared) == 0 {
		// A word detectLang may count by its spelling: guess it here, once per word
		// the memo remembers, and keep the guess in the mask (guessOf).
		mask |= uint16(guessLang(tok)) << maskGuessShift
	}
	if seconds != 0 && cap(one) > cap(sc.one) {
		sc.one = one
	}
	return cand, one, seconds, mask
}

// reset empties the memo for lx.
func (mo *wordMemo) reset(lx *Lexicon) {
	mo.lx = lx
	mo.clears++
	clear(mo.slots[:])
	mo.nWords, mo.nEnts = 0, 0
}

// walkToken appends to out the entries whose first word matches tok: the root walk's,
// then the compound walks' from each position inside tok (at least two bytes in, three
// before the end, at a character start). It returns tok's mask: the languages of the
// vocabulary that matched, maskShared, and the negator and condition marks. A word in no
// vocabulary is not guessed here: the language vote rarely needs the guess (only when
// the unknown words could change the leader), so detectLang asks guessLang then.
func (lx *Lexicon) walkToken(tok string, out []int32) ([]int32, uint16) {
	cand, m := lx.rootDFA.walkMask(tok, out)
	if len(tok) >= 5 && lx.compoundDFA.nodes > 0 {
		for p := 2; p <= len(tok)-3; p++ {
			if tok[p]&0xC0 == 0x80 || !lx.compoundDFA.mayStart(tok[p], tok[p+1]) {
				continue
			}
			var cm uint16
			cand, cm = lx.compoundDFA.walkMask(tok[p:], cand)
			m |= cm & maskLangs
		}
	}
	if n := len(tok); n >= 3 && tok[n-1] == 't' && tok[n-2] == '\'' && tok[n-3] == 'n' { // ends with "n't"
		m |= negMask(LangUnd)
	}
	return cand, m
}
