package peerbench

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
)

// corpusSentences are synthetic feedback sentences in Finnish, Swedish and English. A
// sentence with "%s" gets a generated identifier (see Corpus).
var corpusSentences = [...]string{
	"Odotin päivystyksessä neljä tuntia ennen kuin pääsin lääkärille.",
	"Hoitaja oli todella ystävällinen ja kuunteli huolellisesti.",
	"Milloin saan laboratoriotulokset, ja voinko nähdä ne sovelluksessa?",
	"Olisi hyvä, jos ajanvarauksen voisi tehdä myös iltaisin verkossa.",
	"Lasku tuli kahteen kertaan, vaikka maksoin sen jo viime kuussa.",
	"Kiitos koko osaston henkilökunnalle hyvästä hoidosta!",
	"Puhelimeen ei vastattu koko päivänä, ja takaisinsoittoa ei tullut.",
	"Terveyskeskusjono on ollut kolme viikkoa eikä kukaan kerro miksi.",
	"Äitini kotihoito ei toimi, käynnit jäävät väliin ja lääkkeet sekaisin.",
	"Vi väntade tre timmar på jouren och ingen berättade varför.",
	"Tack till sjukskötaren som var så vänlig och lugn med vårt barn.",
	"Hur bokar jag en tid till tandläkaren på svenska?",
	"Det vore bra om väntrummet hade fler stolar och bättre skyltar.",
	"Fakturan var fel och ingen svarar i telefon på avdelningen.",
	"The nurse was rude and did not listen to my questions at all.",
	"Thank you for the quick and friendly help at the lab today.",
	"When will I get my test results, and can I see them online?",
	"It would be nice if the website had opening hours in English.",
	"I waited two hours on hold and nobody ever called me back.",
	"Soittakaa minulle numeroon %s, kiitos.",
	"Min e-post är %s om ni vill svara.",
	"Henkilötunnukseni on %s ja haluan vastauksen kirjallisesti.",
	"Please refund the fee to my account %s as soon as possible.",
	"Yrityksemme Y-tunnus on %s, laskutus menee sinne.",
	"You can reach me at %s or by e-mail.",
}

// Corpus generates about size bytes of synthetic feedback messages (1–4 sentences each),
// deterministically from seed. About one sentence in six carries a generated identifier:
// an identity code with individual number 900–999 (the range kept for test use), a
// phone number, an address at example.invalid, a Finnish IBAN or a business ID, each
// with a valid check character. One message in ten is typed without diacritics. It holds
// no real person's data.
func Corpus(size int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed^0xc0ffee))
	var msgs []string
	total := 0
	for total < size {
		var b strings.Builder
		n := 1 + r.IntN(4)
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			s := corpusSentences[r.IntN(len(corpusSentences))]
			if strings.Contains(s, "%s") {
				s = fmt.Sprintf(s, identifierFor(s, r))
			}
			b.WriteString(s)
		}
		m := b.String()
		if r.IntN(10) == 0 {
			m = strings.NewReplacer("ä", "a", "ö", "o", "å", "a").Replace(m)
		}
		msgs = append(msgs, m)
		total += len(m)
	}
	return msgs
}

// CorpusBytes is the total length of msgs.
func CorpusBytes(msgs []string) int64 {
	n := 0
	for _, m := range msgs {
		n += len(m)
	}
	return int64(n)
}

func identifierFor(sentence string, r *rand.Rand) string {
	switch {
	case strings.HasPrefix(sentence, "Soittakaa"):
		return Phone(r)
	case strings.HasPrefix(sentence, "Min e-post"):
		return Email(r)
	case strings.HasPrefix(sentence, "Henkilö"):
		return Hetu(r)
	case strings.HasPrefix(sentence, "Please refund"):
		return IBAN(r)
	case strings.HasPrefix(sentence, "Yrityksemme"):
		return BusinessID(r)
	default:
		if r.IntN(2) == 0 {
			return Phone(r)
		}
		return Email(r)
	}
}

// Hetu returns a generated identity code with individual number 900–999 and a valid
// check character.
func Hetu(r *rand.Rand) string {
	d, m, y := 1+r.IntN(28), 1+r.IntN(12), r.IntN(100)
	sign := "-"
	if r.IntN(3) == 0 {
		sign = "A"
	}
	n := 900 + r.IntN(100)
	v := (d*10000+m*100+y)*1000 + n
	return fmt.Sprintf("%02d%02d%02d%s%03d%c", d, m, y, sign, n, "0123456789ABCDEFHJKLMNPRSTUVWXY"[v%31])
}

// Phone returns a generated mobile number, written in one of the usual ways.
func Phone(r *rand.Rand) string {
	a, b, c := r.IntN(1000), r.IntN(1000), r.IntN(10000)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("040 %03d %04d", a, c)
	case 1:
		return fmt.Sprintf("050-%03d%04d", b, c)
	default:
		return fmt.Sprintf("+358 44 %03d %04d", a, c)
	}
}

// Email returns a generated address at example.invalid.
func Email(r *rand.Rand) string {
	return fmt.Sprintf("asiakas%d.testi@example.invalid", r.IntN(100000))
}

// IBAN returns a generated Finnish IBAN in groups of four, with valid check digits.
func IBAN(r *rand.Rand) string {
	bban := fmt.Sprintf("%014d", r.Int64N(1e14))
	num, _ := new(big.Int).SetString(bban+"151800", 10) // F=15, I=18, then "00"
	check := 98 - new(big.Int).Mod(num, big.NewInt(97)).Int64()
	s := fmt.Sprintf("FI%02d%s", check, bban)
	return s[0:4] + " " + s[4:8] + " " + s[8:12] + " " + s[12:16] + " " + s[16:18]
}

// BusinessID returns a generated Y-tunnus with a valid check digit.
func BusinessID(r *rand.Rand) string {
	for {
		d := fmt.Sprintf("%07d", r.IntN(10_000_000))
		sum := 0
		for i, w := range []int{7, 9, 10, 5, 8, 4, 2} {
			sum += int(d[i]-'0') * w
		}
		switch rem := sum % 11; rem {
		case 0:
			return d + "-0"
		case 1:
			continue
		default:
			return fmt.Sprintf("%s-%d", d, 11-rem)
		}
	}
}
