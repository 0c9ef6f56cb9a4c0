package osallisuus

import (
	"errors"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The languages the library speaks to people: Finnish, Swedish (Finland's two national
// languages) and English.
var (
	Finnish = language.Finnish
	Swedish = language.Swedish
	English = language.English
)

// Languages lists the supported languages, Finnish first; use it with a
// [language.Matcher] at the edge of a host (see [MatchLanguage]).
var Languages = []language.Tag{language.Finnish, language.Swedish, language.English}

var matcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(Languages) })

// MatchLanguage picks the best supported language for the user's preferences (cookie
// values, Accept-Language headers, in any number), Finnish when nothing matches. Match
// once at the edge and pass the one tag to everything, as x/text's language docs advise.
func MatchLanguage(prefs ...string) language.Tag {
	_, i := language.MatchStrings(matcher(), prefs...)
	return Languages[i]
}

// messages holds the texts of every code and reason in fi, sv and en. The catalog is
// explicit (never message.DefaultCatalog) and built once.
var messages = sync.OnceValue(func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, t := range messageTexts {
		// SetString fails only for malformed format strings, which the tests rule out.
		_ = b.SetString(language.Finnish, key, t[0])
		_ = b.SetString(language.Swedish, key, t[1])
		_ = b.SetString(language.English, key, t[2])
	}
	return b
})

// messageTexts maps catalog keys to their fi, sv and en texts. Problem texts take the
// field path as %[1]s. Keys: "problem:<code>", "reason:<reason>", "kind:<kind>".
var messageTexts = map[string][3]string{
	"problem:" + string(CodeRequired):     {"%[1]s: pakollinen tieto puuttuu", "%[1]s: obligatorisk uppgift saknas", "%[1]s: a required value is missing"},
	"problem:" + string(CodeFormat):       {"%[1]s: muoto on virheellinen", "%[1]s: formatet är felaktigt", "%[1]s: the value is not in the right form"},
	"problem:" + string(CodeUnknown):      {"%[1]s: tuntematon arvo", "%[1]s: okänt värde", "%[1]s: the value is not known"},
	"problem:" + string(CodeOutOfRange):   {"%[1]s: arvo on sallitun alueen ulkopuolella", "%[1]s: värdet ligger utanför det tillåtna intervallet", "%[1]s: the value is out of range"},
	"problem:" + string(CodeTooLong):      {"%[1]s: teksti on liian pitkä", "%[1]s: texten är för lång", "%[1]s: the text is too long"},
	"problem:" + string(CodeDuplicate):    {"%[1]s: arvo on jo käytössä", "%[1]s: värdet används redan", "%[1]s: the value is a duplicate"},
	"problem:" + string(CodeOrder):        {"%[1]s: arvo on väärässä järjestyksessä", "%[1]s: värdet är i fel ordning", "%[1]s: the value is out of order"},
	"problem:" + string(CodeNotAllowed):   {"%[1]s: arvoa ei saa antaa tässä", "%[1]s: värdet får inte anges här", "%[1]s: the value is not allowed here"},
	"problem:" + string(CodeUnknownField): {"%[1]s: tuntematon kenttä", "%[1]s: okänt fält", "%[1]s: unknown field"},
	"problem:" + string(CodeType):         {"%[1]s: väärä tietotyyppi", "%[1]s: fel datatyp", "%[1]s: the value has the wrong type"},
	"problem:":                            {"%[1]s: virheellinen tieto", "%[1]s: felaktig uppgift", "%[1]s: invalid value"},

	"kind:invalid":   {"Virheellinen syöte", "Felaktig indata", "Invalid input"},
	"kind:forbidden": {"Toiminto ei ole sallittu", "Åtgärden är inte tillåten", "Not allowed"},
	"kind:capacity":  {"Raja on täynnä", "Gränsen är nådd", "The limit is reached"},
	"kind:conflict":  {"Tieto on muuttunut tai on jo olemassa", "Uppgiften har ändrats eller finns redan", "The data changed or already exists"},
	"kind:not found": {"Tietoa ei löydy", "Uppgiften hittades inte", "Not found"},

	// Consent (spec/consent.md §6, §11).
	"reason:granter-not-authorized": {"antajalla ei ole oikeutta toimia asiakkaan puolesta tässä asiassa", "den som ger samtycket har inte rätt att företräda kunden i denna fråga", "the person acting has no authority for this subject and purpose"},
	"reason:granted":                {"suostumus on voimassa", "samtycket är giltigt", "consent is in force"},
	"reason:not-required":           {"suostumusta ei tarvita: käsittely perustuu lakisääteiseen tehtävään", "samtycke behövs inte: behandlingen grundar sig på en lagstadgad uppgift", "consent is not required: processing is a statutory task"},
	"reason:no-consent":             {"suostumusta ei ole annettu", "samtycke har inte getts", "no consent has been given"},
	"reason:refused":                {"suostumuksesta on kieltäydytty", "samtycke har vägrats", "consent was refused"},
	"reason:withdrawn":              {"suostumus on peruttu", "samtycket har återkallats", "consent was withdrawn"},
	"reason:expired":                {"suostumus on vanhentunut", "samtycket har gått ut", "consent has expired"},
	"reason:notice-outdated":        {"suostumus on annettu vanhentuneen tietosuojaselosteen perusteella", "samtycket gavs utifrån en föråldrad dataskyddsbeskrivning", "consent was given under an outdated privacy notice"},
	"reason:not-explicit":           {"tähän tarvitaan kirjallinen tai sähköinen nimenomainen suostumus", "här krävs ett uttryckligt skriftligt eller elektroniskt samtycke", "explicit written or electronic consent is required"},
	// Shared by panel, expert and activities.
	"reason:full":       {"paikat ovat täynnä", "platserna är fulla", "there are no free places"},
	"reason:not-active": {"ei ole aktiivinen", "är inte aktiv", "not active"},
	"reason:exceeds":    {"raja ylittyisi", "gränsen skulle överskridas", "the limit would be exceeded"},
	"reason:":           {"sääntö estää toiminnon", "en regel förhindrar åtgärden", "a rule refuses the step"},
}

// Localize renders err for a person in Finnish, Swedish or English (other tags fall back
// to English). A [*ValidationError] gives one line per problem; a [*RuleError] its kind
// and reasons; other errors their kind, or the generic text of their kind when they match
// none. Messages come from an explicit x/text catalog keyed by code, never by English text.
func Localize(err error, tag language.Tag) string {
	if err == nil {
		return ""
	}
	p := printer(tag)
	if ve, ok := errors.AsType[*ValidationError](err); ok {
		lines := make([]string, 0, len(ve.Problems))
		for _, pr := range ve.Problems {
			lines = append(lines, p.Sprintf(catalogKey("problem:", string(pr.Code)), pr.Field))
		}
		return strings.Join(lines, "\n")
	}
	if re, ok := errors.AsType[*RuleError](err); ok {
		parts := make([]string, 0, len(re.Reasons))
		for _, r := range re.Reasons {
			parts = append(parts, p.Sprintf(catalogKey("reason:", string(r))))
		}
		head := p.Sprintf("kind:" + re.kind().Error())
		if len(parts) == 0 {
			return head
		}
		return head + ": " + strings.Join(parts, "; ")
	}
	if k := KindOf(err); k != nil {
		return p.Sprintf("kind:" + k.Error())
	}
	return err.Error()
}

// LocalizeReason renders one reason code (a consent decision's reason, a refusal's
// reason) in the language of tag.
func LocalizeReason(r Reason, tag language.Tag) string {
	return printer(tag).Sprintf(catalogKey("reason:", string(r)))
}

// printer returns a printer on the catalog for the language of tag.
func printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(Supported(tag), message.Catalog(messages()))
}

// Supported returns the supported language (Finnish, Swedish or English) for the base
// language of tag, English for every other language. Packages with catalogs of their own
// use it to pick the catalog language.
func Supported(tag language.Tag) language.Tag {
	base, _ := tag.Base()
	switch base.String() {
	case "fi":
		return language.Finnish
	case "sv":
		return language.Swedish
	}
	return language.English
}

// catalogKey returns prefix+code when the catalog knows it, and the generic key of the
// prefix otherwise, so an unknown code still renders a sentence.
func catalogKey(prefix, code string) string {
	if _, ok := messageTexts[prefix+code]; ok {
		return prefix + code
	}
	return prefix
}
