package feedback

import (
	"slices"
	"strings"
)

// match runs the lexicon over the tokens. With vote it only marks each token with the
// languages whose cues cover it; otherwise it records the hits of language lang (every
// language when lang is LangUnd) and of LangAny.
func (lx *Lexicon) match(sc *scratch, lang Lang, vote bool) {
	if vote {
		sc.mask = slices.Grow(sc.mask[:0], len(sc.toks))[:len(sc.toks)]
		clear(sc.mask)
	}
	for i := range sc.toks {
		tok := sc.toks[i].low
		fire := func(e int32) {
			en := &lx.entries[e]
			if !vote && lang != LangUnd && en.lang != lang && en.lang != LangAny {
				return
			}
			end, ok := lx.phraseEnd(sc, i, en)
			if !ok {
				return
			}
			if vote {
				for k := i; k < end; k++ {
					sc.mask[k] |= 1 << en.lang
				}
				return
			}
			sc.hits = append(sc.hits, hit{entry: e, tok: int32(i), end: int32(end)})
		}
		lx.root.walk(tok, fire)
		if len(tok) >= 5 && len(lx.compounds.nodes) > 0 {
			for p := 2; p <= len(tok)-3; p++ {
				if tok[p]&0xC0 == 0x80 { // not a rune start
					continue
				}
				lx.compounds.walk(tok[p:], fire)
			}
		}
	}
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
		t := sc.toks[j].low
		if w.prefix {
			if !strings.HasPrefix(t, w.text) && !strings.HasPrefix(fold(t), w.text) {
				return 0, false
			}
		} else if t != w.text && fold(t) != w.text {
			return 0, false
		}
	}
	return i + len(en.words), true
}

// sharedWords are words several languages use; they never count for a language (§3.1).
var sharedWords = map[string]bool{"ok": true, "okay": true, "super": true, "hello": true,
	"top": true, "wow": true, "hi": true, "moi": true, "bye": true, "jes": true, "jep": true}

// detectLang labels the language most counted words are written in (§3.1); on a tie the
// language of the first counted word among the tied ones. Words are counted by the
// lexicon's vocabulary, then by spelling (diacritics, endings) for unknown words.
func (lx *Lexicon) detectLang(sc *scratch) Lang {
	var counts [4]int
	var firstAt [4]int
	for i := range firstAt {
		firstAt[i] = -1
	}
	for i, t := range sc.toks {
		if !hasLetter(t.low) || sharedWords[t.low] {
			continue
		}
		m := sc.mask[i] & (1<<LangFI | 1<<LangSV | 1<<LangEN)
		l := LangUnd
		switch m {
		case 1 << LangFI:
			l = LangFI
		case 1 << LangSV:
			l = LangSV
		case 1 << LangEN:
			l = LangEN
		case 0:
			if t.upper && i > 0 && sc.toks[i-1].sentence == t.sentence {
				continue // probably a name
			}
			l = guessLang(t.low)
		}
		if l == LangUnd {
			continue
		}
		counts[l]++
		if firstAt[l] < 0 {
			firstAt[l] = i
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
	return best
}

func hasLetter(s string) bool {
	for _, r := range s {
		if isWordRune(r) && (r < '0' || r > '9') {
			return true
		}
	}
	return false
}

// guessLang guesses the language of a word that is in no vocabulary, from its spelling;
// LangUnd when unsure.
func guessLang(w string) Lang {
	if len(w) < 3 {
		return LangUnd
	}
	var fi, sv, en int
	if strings.ContainsRune(w, 'å') {
		sv += 2
	}
	for _, s := range []string{"ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nen", "ista", "istä",
		"ään", "iin", "aan", "een", "uun", "yyn", "ssä", "tta", "ttä", "jen", "iden", "ita", "itä", "ja", "jä", "mme", "tte", "vat", "vät", "kaan", "kään"} {
		if strings.HasSuffix(w, s) {
			fi++
			break
		}
	}
	for _, s := range []string{"aa", "ee", "ii", "uu", "yy", "ää", "öö", "ai", "uo", "yö", "ie", "äi"} {
		if strings.Contains(w, s) {
			fi++
			break
		}
	}
	if strings.ContainsAny(w, "äö") && !strings.ContainsAny(w, "å") {
		fi++
	}
	for _, s := range []string{"ning", "het", "arna", "erna", "orna", "ade", "lig", "ligt", "liga", "iga", "skap", "ande", "ende", "else"} {
		if strings.HasSuffix(w, s) {
			sv++
			break
		}
	}
	for _, s := range []string{"sj", "stj", "tj", "kv", "ck", "ö", "ä"} {
		if strings.Contains(w, s) && !strings.Contains(w, "ck") == (s != "ck") {
			sv++
			break
		}
	}
	for _, s := range []string{"ing", "ed", "ly", "tion", "ous", "ness", "ment", "ful", "less", "ight", "ough"} {
		if strings.HasSuffix(w, s) {
			en++
			break
		}
	}
	for _, s := range []string{"th", "w", "sh", "ch", "ea", "ou", "ee"} {
		if strings.Contains(w, s) {
			en++
			break
		}
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
