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
// field path as %[1]s. Keys: "problem:<code>", "reason:<reason>", "kind:<kind>", and
// "conflict:<reason>" for the few codes that mean something else as the state a step
// conflicts with (a proposal's or application's "withdrawn" is not withdrawn consent).
//
// Reason codes are shared across the domain packages, so one code has one text: where
// two areas use a code for different things (closed, draft, declined, not-started, ...),
// the sentence names both. Every code the packages use has its own text; the test
// TestEveryReasonHasItsOwnText finds them in the packages' source.
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

	// Consent (spec/consent.md §6, §11; participation).
	"reason:granter-not-authorized": {"antajalla ei ole oikeutta toimia asiakkaan puolesta tässä asiassa", "den som ger samtycket har inte rätt att företräda kunden i denna fråga", "the person acting has no authority for this subject and purpose"},
	"reason:granted":                {"suostumus on voimassa", "samtycket är giltigt", "consent is in force"},
	"reason:not-required":           {"suostumusta ei tarvita: käsittely perustuu lakisääteiseen tehtävään", "samtycke behövs inte: behandlingen grundar sig på en lagstadgad uppgift", "consent is not required: processing is a statutory task"},
	"reason:erased":                 {"henkilön tiedot on poistettu", "personens uppgifter har raderats", "the person's data has been erased"},
	"reason:no-consent":             {"suostumusta ei ole annettu", "samtycke har inte getts", "no consent has been given"},
	"reason:refused":                {"suostumuksesta on kieltäydytty", "samtycke har vägrats", "consent was refused"},
	"reason:withdrawn":              {"suostumus on peruttu", "samtycket har återkallats", "consent was withdrawn"},
	"reason:expired":                {"suostumus on vanhentunut", "samtycket har gått ut", "consent has expired"},
	"reason:notice-outdated":        {"suostumus on annettu vanhentuneen tietosuojaselosteen perusteella", "samtycket gavs utifrån en föråldrad dataskyddsbeskrivning", "consent was given under an outdated privacy notice"},
	"reason:not-explicit":           {"tähän tarvitaan kirjallinen tai sähköinen nimenomainen suostumus", "här krävs ett uttryckligt skriftligt eller elektroniskt samtycke", "explicit written or electronic consent is required"},
	"reason:not-staff":              {"vain työntekijä voi kirjata kypsyysarvion", "endast en anställd kan registrera en mognadsbedömning", "only a staff member can record a maturity assessment"},

	// Shared by several areas: the same code, one sentence that fits each use.
	"reason:exists":        {"tieto on jo olemassa", "uppgiften finns redan", "it already exists"},
	"reason:full":          {"paikat ovat täynnä", "platserna är fulla", "there are no free places"},
	"reason:waitlisted":    {"henkilö on jonossa", "personen står i kö", "the person is on the waiting list"},
	"reason:cancelled":     {"tämä on jo peruttu", "detta har redan annullerats", "this has already been cancelled"},
	"reason:draft":         {"tämä on vielä luonnos", "detta är ännu ett utkast", "this is still a draft"},
	"reason:ended":         {"tämä on jo päättynyt", "detta har redan avslutats", "this has already ended"},
	"reason:not-started":   {"tapaaminen tai tehtävä ei ole vielä alkanut", "mötet eller uppdraget har inte börjat ännu", "the meeting or the task has not started yet"},
	"reason:offer-expired": {"tarjouksen vastausaika on päättynyt", "svarstiden för erbjudandet har gått ut", "the offer has expired"},
	"reason:declined":      {"tarjouksesta on kieltäydytty tai aloite on hylätty", "erbjudandet har avböjts eller förslaget har avslagits", "the offer was declined or the proposal was turned down"},
	"reason:wrong-state":   {"toiminto ei ole mahdollinen asian nykyisessä tilassa", "åtgärden är inte möjlig i ärendets nuvarande skede", "the step is not possible in the current state"},
	"reason:terminal":      {"asia on jo päättynyt, eikä sitä voi enää muuttaa", "ärendet är redan avslutat och kan inte längre ändras", "it has already ended and can no longer change"},

	// Panels (spec/panel.md §4, §12.4–12.5): reasons of refusals.
	"reason:already-member":     {"henkilö on jo raadin jäsen tai jonossa", "personen är redan medlem i kundrådet eller står i kö", "the person is already a member of the panel or on its waiting list"},
	"reason:no-term":            {"raadilla ei ole tälle päivälle toimikautta", "kundrådet har ingen mandatperiod för denna dag", "the panel has no term that covers this day"},
	"reason:appointed-panel":    {"raadin jäsenet nimetään, eikä siihen voi ilmoittautua", "kundrådets medlemmar utses och man kan inte anmäla sig", "the members of this panel are appointed; no one can join it"},
	"reason:open-panel":         {"raatiin ilmoittaudutaan, eikä siihen nimetä jäseniä", "man anmäler sig till kundrådet och inga medlemmar utses", "this panel is open to join; its members are not appointed"},
	"reason:audience":           {"raati on tarkoitettu toiselle ikäryhmälle", "kundrådet är avsett för en annan åldersgrupp", "the panel is meant for another age group"},
	"reason:ineligible":         {"henkilö ei täytä raadin jäsenyyden edellytyksiä", "personen uppfyller inte villkoren för medlemskap i kundrådet", "the person does not meet the conditions for membership"},
	"reason:no-assent":          {"lapsen omaa tahtoa osallistua ei ole kirjattu", "barnets egen vilja att delta har inte antecknats", "the child's own wish to take part has not been recorded"},
	"reason:max-terms":          {"henkilö on jo ollut jäsenenä enimmäismäärän toimikausia", "personen har redan suttit det högsta antalet mandatperioder", "the person has already served the maximum number of terms"},
	"reason:quota-max":          {"tämän ryhmän paikat ovat täynnä", "platserna för denna grupp är fulla", "the places for this group are full"},
	"reason:reserved-for-quota": {"jäljellä olevat paikat on varattu muille ryhmille", "de återstående platserna är reserverade för andra grupper", "the remaining places are reserved for other groups"},
	"reason:deputy":             {"henkilö on varajäsen", "personen är ersättare", "the person is a deputy member"},
	"reason:deputy-exists":      {"jäsenellä on jo varajäsen", "medlemmen har redan en ersättare", "the member already has a deputy"},
	"reason:no-deputies":        {"raadissa ei ole varajäseniä", "kundrådet har inga ersättare", "this panel has no deputy members"},
	"reason:chair-taken":        {"raadilla on jo puheenjohtaja", "kundrådet har redan en ordförande", "the panel already has a chair"},
	"reason:vice-chairs-full":   {"raadilla on jo enimmäismäärä varapuheenjohtajia", "kundrådet har redan det högsta antalet vice ordförande", "the panel already has the maximum number of vice-chairs"},
	"reason:chair-from":         {"puheenjohtajaa ei valita tältä paikalta", "ordföranden väljs inte från denna plats", "the chair cannot come from this seat"},
	"reason:already-renewed":    {"jäsenyyttä on jo jatkettu", "medlemskapet har redan förlängts", "the membership has already been renewed"},
	"reason:no-next-term":       {"raadilla ei ole seuraavaa toimikautta", "kundrådet har ingen följande mandatperiod", "the panel has no next term"},
	"reason:not-chair":          {"vain puheenjohtaja tai varapuheenjohtaja voi hyväksyä pöytäkirjan", "endast ordföranden eller vice ordföranden kan justera protokollet", "only the chair or a vice-chair can approve the minutes"},
	"reason:no-minutes":         {"pöytäkirjaa ei ole vielä laadittu", "protokollet har inte upprättats ännu", "no minutes have been written yet"},
	"reason:approved":           {"pöytäkirja on jo hyväksytty", "protokollet har redan justerats", "the minutes are already approved"},
	"reason:not-adopted":        {"raati ei ole hyväksynyt aloitetta päätösvaltaisessa kokouksessa", "kundrådet har inte antagit förslaget vid ett beslutfört möte", "the panel has not adopted the proposal at a quorate meeting"},
	"reason:not-open":           {"haku ei ole vielä alkanut", "ansökningstiden har inte börjat ännu", "the call has not opened yet"},
	"reason:not-screened":       {"kaikkia hakemuksia ei ole vielä käsitelty", "alla ansökningar har inte granskats ännu", "not every application has been screened yet"},
	// Panel states used as conflict reasons: panel (draft, active, closed), membership
	// (waitlisted, offered, active, suspended, ended and its end reasons), call (draft, open,
	// closed, selected, cancelled), application, meeting, minutes and proposal states.
	"reason:active":          {"raati tai jäsenyys on jo aktiivinen", "kundrådet eller medlemskapet är redan aktivt", "the panel or the membership is already active"},
	"reason:closed":          {"raati on suljettu tai haku on päättynyt", "kundrådet är stängt eller ansökningstiden har gått ut", "the panel is closed or the call has closed"},
	"reason:offered":         {"paikkaa on tarjottu ja vastausta odotetaan", "en plats har erbjudits och svar väntas", "a place has been offered and awaits an answer"},
	"reason:suspended":       {"jäsenyys on keskeytetty", "medlemskapet är tillfälligt avbrutet", "the membership is suspended"},
	"reason:left":            {"henkilö on eronnut raadista", "personen har lämnat kundrådet", "the person has left the panel"},
	"reason:removed":         {"henkilö on erotettu raadista", "personen har avlägsnats från kundrådet", "the person was removed from the panel"},
	"reason:term-ended":      {"jäsenyyden toimikausi on päättynyt", "mandatperioden för medlemskapet har löpt ut", "the term of membership has ended"},
	"reason:panel-closed":    {"raati on suljettu", "kundrådet har stängts", "the panel was closed"},
	"reason:principal-ended": {"varsinaisen jäsenen jäsenyys on päättynyt", "den ordinarie medlemmens medlemskap har upphört", "the principal member's membership has ended"},
	"reason:open":            {"haku on vielä auki", "ansökningstiden pågår ännu", "the call is still open"},
	"reason:selected":        {"valinta on jo tehty", "urvalet har redan gjorts", "the selection has already been made"},
	"reason:submitted":       {"aloite tai hakemus on jo jätetty", "förslaget eller ansökan har redan lämnats in", "the proposal or the application has already been submitted"},
	"reason:screened":        {"hakemus on jo käsitelty", "ansökan har redan granskats", "the application has already been screened"},
	"reason:reserve":         {"hakija on varasijalla", "sökanden står på reservplats", "the applicant is on the reserve list"},
	"reason:not-selected":    {"hakijaa ei valittu", "sökanden valdes inte", "the applicant was not selected"},
	"reason:planned":         {"tapaamista ei ole vielä pidetty", "mötet har inte hållits ännu", "the meeting has not been held yet"},
	"reason:held":            {"tapaaminen on jo pidetty", "mötet har redan hållits", "the meeting has already been held"},
	"reason:in-review":       {"aloite on jo käsittelyssä", "förslaget behandlas redan", "the proposal is already being reviewed"},
	"reason:answered":        {"aloitteeseen on jo vastattu", "förslaget har redan besvarats", "the proposal has already been answered"},
	"reason:implemented":     {"aloite on jo toteutettu", "förslaget har redan genomförts", "the proposal has already been implemented"},

	// Experts by experience (spec/expert.md): assignment, payout and expert refusals.
	"reason:request-not-open":     {"pyyntö ei ole avoinna", "begäran är inte öppen", "the request is not open"},
	"reason:not-offered":          {"tehtävää ei ole tarjolla", "uppdraget erbjuds inte", "the task is not on offer"},
	"reason:exceeds":              {"tehtävä- tai palkkioraja ylittyisi", "uppdrags- eller arvodesgränsen skulle överskridas", "an assignment or earnings cap would be exceeded"},
	"reason:not-expert-choice":    {"vain kokemusasiantuntija itse tai hänen edustajansa voi päättää tästä", "endast erfarenhetsexperten själv eller hans eller hennes företrädare kan besluta om detta", "only the expert by experience or their representative can decide this"},
	"reason:not-accepted":         {"tehtävää ei ole otettu vastaan", "uppdraget har inte tagits emot", "the task has not been accepted"},
	"reason:not-done":             {"tehtävää ei ole merkitty tehdyksi", "uppdraget har inte markerats som utfört", "the task has not been marked done"},
	"reason:assignment-not-found": {"tehtävää ei löydy", "uppdraget hittades inte", "the assignment was not found"},
	"reason:not-draft":            {"palkkion maksatus ei ole enää luonnos", "arvodesutbetalningen är inte längre ett utkast", "the payout is no longer a draft"},
	"reason:not-approved":         {"palkkion maksatusta ei ole hyväksytty", "arvodesutbetalningen har inte godkänts", "the payout has not been approved"},
	"reason:cap-decision-needed":  {"kokemusasiantuntijan on ensin päätettävä, miten rajan ylittävä palkkio käsitellään", "erfarenhetsexperten ska först besluta hur arvodet över gränsen hanteras", "the expert by experience must first decide how to handle the fee over the cap"},
	"reason:cannot-void":          {"maksettua tai jo mitätöityä maksatusta ei voi mitätöidä", "en betald eller redan annullerad utbetalning kan inte annulleras", "a paid or already voided payout cannot be voided"},
	"reason:checks-missing":       {"voimassa olevia edellytyksiä puuttuu", "giltiga förutsättningar saknas", "required checks are missing or have lapsed"},
	"reason:not-coordinator":      {"vain koordinaattori voi tehdä tämän", "endast koordinatorn kan göra detta", "only a coordinator can do this"},
	// Expert matching: hard filters H1–H11 and warnings (expert.md step 1, 2).
	"reason:not-active":           {"kokemusasiantuntija ei ole aktiivinen tehtävän aikana", "erfarenhetsexperten är inte aktiv under uppdraget", "the expert by experience is not active at the time of the task"},
	"reason:experience-mismatch":  {"kokemusalue ei vastaa pyyntöä", "erfarenhetsområdet motsvarar inte begäran", "the experience does not match the request"},
	"reason:area-mismatch":        {"ei toimi tehtävän alueella", "arbetar inte på uppdragets område", "does not work in the task's area"},
	"reason:language-mismatch":    {"ei puhu tehtävän kieltä", "talar inte uppdragets språk", "does not speak the task's language"},
	"reason:unavailable":          {"ei ole käytettävissä tehtävän aikaan", "är inte tillgänglig vid uppdragets tid", "not available at the task's time"},
	"reason:double-booked":        {"on jo sitoutunut päällekkäiseen tehtävään", "har redan åtagit sig ett överlappande uppdrag", "already committed to an overlapping task"},
	"reason:task-type-excluded":   {"ei ota tämäntyyppisiä tehtäviä", "tar inte uppdrag av denna typ", "does not take this type of task"},
	"reason:conflict-of-interest": {"esteellisyys estää tehtävän", "jäv hindrar uppdraget", "a conflict of interest prevents the task"},
	"reason:assignment-cap":       {"kuukauden tehtäväraja ylittyisi", "månadens uppdragsgräns skulle överskridas", "the monthly assignment cap would be exceeded"},
	"reason:earnings-cap":         {"palkkioraja ylittyisi", "arvodesgränsen skulle överskridas", "an earnings cap would be exceeded"},
	"reason:already-in-request":   {"on jo mukana tässä pyynnössä", "är redan med i denna begäran", "already part of this request"},
	"reason:approaching-cap":      {"lähestyy omaa rajaansa", "närmar sig sin egen gräns", "approaching their own cap"},
	"reason:over-cap":             {"ylittäisi oman rajansa", "skulle överskrida sin egen gräns", "over their own cap"},
	"reason:check-expiring":       {"edellytys päättyy pian tehtävän jälkeen", "en förutsättning upphör snart efter uppdraget", "a check ends soon after the task"},

	// Feedback and surveys (spec/feedback.md).
	"reason:role-not-allowed": {"tällä roolilla ei voi tehdä tätä", "denna roll får inte göra detta", "this role may not take this step"},
	"reason:not-sender":       {"vain palautteen antaja voi tehdä tämän", "endast den som gav responsen kan göra detta", "only the sender of the feedback can do this"},
	"reason:needs-answer":     {"palautteeseen on vastattava ennen kuin sen voi sulkea", "responsen ska besvaras innan den kan stängas", "the feedback must be answered before it is closed"},
	"reason:personal-data":    {"tekstissä on henkilötietoja, joten sitä ei voi julkaista", "texten innehåller personuppgifter och kan därför inte publiceras", "the text contains personal data and cannot be published"},
	"reason:published":        {"kysely on jo julkaistu, eikä sitä voi muuttaa", "enkäten har redan publicerats och kan inte ändras", "the questionnaire is already published and cannot be changed"},
	"reason:not-published":    {"kyselyä ei ole vielä julkaistu", "enkäten har inte publicerats ännu", "the questionnaire has not been published yet"},
	"reason:already-answered": {"kyselyyn on jo vastattu tällä tunnuksella", "enkäten har redan besvarats med denna kod", "the survey has already been answered with this code"},
	"reason:draft-exists":     {"kyselystä on jo luonnos; muokkaa sitä", "det finns redan ett utkast av enkäten; ändra det", "a draft of the questionnaire already exists; edit it instead"},

	// Activities (spec/activities.md): the state of the person's latest record.
	"reason:registered": {"henkilö on jo ilmoittautunut", "personen har redan anmält sig", "the person is already registered"},
	"reason:attended":   {"henkilö on jo merkitty osallistuneeksi", "personen har redan antecknats som deltagare", "the person is already recorded as having taken part"},
	"reason:absent":     {"henkilö on merkitty poissaolevaksi", "personen har antecknats som frånvarande", "the person is recorded as absent"},

	// Conflict texts: a code whose meaning differs when it names the state a step conflicts
	// with (kind ErrConflict); Localize prefers them for conflicts.
	"conflict:withdrawn": {"aloite tai hakemus on peruttu", "förslaget eller ansökan har dragits tillbaka", "the proposal or the application was withdrawn"},

	"reason:": {"sääntö estää toiminnon", "en regel förhindrar åtgärden", "a rule refuses the step"},
}

// Localize renders err for a person in Finnish, Swedish or English (other tags fall back
// to English). A [*ValidationError] gives one line per problem; a [*RuleError] its kind
// and reasons (for a conflict, a reason that names a state reads as that state, e.g.
// "withdrawn" as a withdrawn proposal or application, not withdrawn consent); other
// errors their kind, or the generic text of their kind when they match none. Messages
// come from an explicit x/text catalog keyed by code, never by English text.
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
		conflict := errors.Is(re.kind(), ErrConflict)
		parts := make([]string, 0, len(re.Reasons))
		for _, r := range re.Reasons {
			key := catalogKey("reason:", string(r))
			if _, ok := messageTexts["conflict:"+string(r)]; ok && conflict {
				key = "conflict:" + string(r)
			}
			parts = append(parts, p.Sprintf(key))
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
