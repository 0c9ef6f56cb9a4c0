package expert

import (
	"fmt"
	"strings"

	"github.com/osallisuus/osallisuus"
	"golang.org/x/text/language"
)

// reasonTexts are the fi, sv and en texts of this package's reason and warning codes,
// for the expert coordinator (E6). The conflict-of-interest text never states a cause.
var reasonTexts = map[osallisuus.Reason][3]string{
	ReasonNotActive:          {"ei ole aktiivinen tehtävän aikana", "är inte aktiv under uppdraget", "not active for the task"},
	ReasonExperienceMismatch: {"kokemusalue ei vastaa pyyntöä", "erfarenhetsområdet motsvarar inte begäran", "no requested experience area"},
	ReasonAreaMismatch:       {"ei toimi tehtävän alueella", "arbetar inte på uppdragets område", "does not work in the task's area"},
	ReasonLanguageMismatch:   {"ei puhu tehtävän kieltä", "talar inte uppdragets språk", "does not speak the task's language"},
	ReasonUnavailable:        {"ei ole käytettävissä tehtävän aikaan", "är inte tillgänglig vid uppdragets tid", "not available at the task's time"},
	ReasonDoubleBooked:       {"on jo sitoutunut päällekkäiseen tehtävään", "har redan åtagit sig ett överlappande uppdrag", "already committed to an overlapping task"},
	ReasonTaskTypeExcluded:   {"ei ota tämäntyyppisiä tehtäviä", "tar inte uppdrag av denna typ", "does not take this type of task"},
	ReasonConflictOfInterest: {"esteellisyys", "jäv", "conflict of interest"},
	ReasonAssignmentCap:      {"kuukauden tehtäväraja tulisi täyteen", "månadens uppdragsgräns skulle överskridas", "the monthly assignment cap would be passed"},
	ReasonEarningsCap:        {"palkkioraja ylittyisi", "arvodesgränsen skulle överskridas", "an earnings cap would be passed"},
	ReasonAlreadyInRequest:   {"on jo mukana tässä pyynnössä", "är redan med i denna begäran", "already part of this request"},
	WarningApproachingCap:    {"lähestyy omaa rajaansa", "närmar sig sin egen gräns", "approaching their own cap"},
	WarningOverCap:           {"ylittäisi oman rajansa", "skulle överskrida sin egen gräns", "over their own cap"},
	WarningCheckExpiring:     {"edellytys päättyy pian tehtävän jälkeen", "en förutsättning upphör snart efter uppdraget", "a check ends soon after the task"},
}

func langIndex(tag language.Tag) int {
	base, _ := tag.Base()
	switch base.String() {
	case "fi":
		return 0
	case "sv":
		return 1
	}
	return 2
}

// ReasonText returns the text of a filter reason or warning code in Finnish, Swedish or
// English (other tags get English); codes of other packages go to
// osallisuus.LocalizeReason.
func ReasonText(code osallisuus.Reason, tag language.Tag) string {
	if t, ok := reasonTexts[code]; ok {
		return t[langIndex(tag)]
	}
	return osallisuus.LocalizeReason(code, tag)
}

// Explain renders one explanation for the expert coordinator in the language of tag:
// included with rank and proposal, or excluded with every reason (and the lapsed checks),
// then the warnings. It names the candidate by Key, never by personal data.
func (x Explanation) Explain(tag language.Tag) string {
	i := langIndex(tag)
	var b strings.Builder
	b.WriteString(x.Key)
	b.WriteString(": ")
	if x.Included {
		proposal := [3][3]string{{"ei ehdoteta", "föreslås inte", "not proposed"},
			{"ehdotetaan tarjousta", "föreslås för erbjudande", "proposed for an offer"},
			{"varalla", "reserv", "reserve"}}[min(x.Proposed, ProposeReserve)][i]
		fmt.Fprintf(&b, [3]string{"mukana, sija %d, %s", "med, plats %d, %s", "included, rank %d, %s"}[i], x.Rank, proposal)
	} else {
		b.WriteString([3]string{"ei mukana", "inte med", "excluded"}[i])
	}
	for n, r := range x.Reasons.Codes() {
		if n == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(ReasonText(r, tag))
		if r == ReasonNotActive && len(x.Lapsed) > 0 {
			b.WriteString(" (" + strings.Join(x.Lapsed, ", ") + ")")
		}
	}
	for _, w := range x.Warnings.Codes() {
		b.WriteString("; ")
		b.WriteString(ReasonText(w, tag))
	}
	return b.String()
}
