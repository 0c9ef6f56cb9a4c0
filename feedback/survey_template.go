package feedback

import "github.com/osallisuus/osallisuus"

// The question IDs of [StandardQuestionnaire].
const (
	StdRecommend   = "recommend"   // nps: would you recommend the service
	StdHeard       = "heard"       // scale: I was heard
	StdTreatedWell = "treated"     // scale: I was treated well
	StdInformation = "information" // scale: I got the information I needed
	StdHelp        = "help"        // scale: I got help
	StdComment     = "comment"     // text: what should we do differently
)

// agreeLabels are the five labels of the statements, from 1 (disagree) to 5 (agree).
func agreeLabels() []osallisuus.Text {
	return []osallisuus.Text{
		{FI: "Täysin eri mieltä", SV: "Helt av annan åsikt", EN: "Strongly disagree"},
		{FI: "Jokseenkin eri mieltä", SV: "Delvis av annan åsikt", EN: "Somewhat disagree"},
		{FI: "Ei samaa eikä eri mieltä", SV: "Varken av samma eller annan åsikt", EN: "Neither agree nor disagree"},
		{FI: "Jokseenkin samaa mieltä", SV: "Delvis av samma åsikt", EN: "Somewhat agree"},
		{FI: "Täysin samaa mieltä", SV: "Helt av samma åsikt", EN: "Strongly agree"},
	}
}

// StandardQuestionnaire returns a draft shaped like the national customer-experience
// survey for social and health services (Q6), written in our own words in Finnish,
// Swedish and English: a 0–10 recommendation question, four 1–5 statements on being
// heard, being treated well, getting information and getting help (each with "don't
// know"), and an optional free-text question shown to everyone. Only the recommendation is
// required. It is version 1 of questionnaire id and passes [PublishQuestionnaire]; the host
// may change any of it before publishing. Pure.
func StandardQuestionnaire(id QuestionnaireID) Questionnaire {
	statement := func(key string, t osallisuus.Text) SurveyQuestion {
		return SurveyQuestion{ID: key, Type: TypeScale, Text: t, Labels: agreeLabels(), DontKnow: true}
	}
	return Questionnaire{
		ID:     id,
		Number: 1,
		Title: osallisuus.Text{FI: "Kokemuksesi palvelusta", SV: "Din upplevelse av tjänsten",
			EN: "Your experience of the service"},
		Intro: osallisuus.Text{
			FI: "Vastaaminen vie pari minuuttia. Vastauksesi käsitellään nimettömänä.",
			SV: "Det tar ett par minuter att svara. Ditt svar behandlas anonymt.",
			EN: "Answering takes a couple of minutes. Your answer is handled anonymously.",
		},
		Questions: []SurveyQuestion{
			{ID: StdRecommend, Type: TypeNPS, Required: true, Text: osallisuus.Text{
				FI: "Kuinka todennäköisesti suosittelisit saamaasi palvelua läheisellesi, jos hän tarvitsisi samanlaista apua? (0 = en lainkaan todennäköisesti, 10 = erittäin todennäköisesti)",
				SV: "Hur sannolikt är det att du skulle rekommendera tjänsten du fick till en närstående som behövde liknande hjälp? (0 = inte alls sannolikt, 10 = mycket sannolikt)",
				EN: "How likely would you be to recommend the service you received to someone close to you who needed similar help? (0 = not at all likely, 10 = very likely)",
			}},
			statement(StdHeard, osallisuus.Text{
				FI: "Minua kuunneltiin ja asiani otettiin vakavasti.",
				SV: "Jag blev lyssnad på och mitt ärende togs på allvar.",
				EN: "I was listened to and my matter was taken seriously.",
			}),
			statement(StdTreatedWell, osallisuus.Text{
				FI: "Minua kohdeltiin ystävällisesti ja kunnioittavasti.",
				SV: "Jag blev bemött vänligt och med respekt.",
				EN: "I was treated kindly and with respect.",
			}),
			statement(StdInformation, osallisuus.Text{
				FI: "Sain ymmärrettävää tietoa siitä, mitä seuraavaksi tapahtuu.",
				SV: "Jag fick begriplig information om vad som händer härnäst.",
				EN: "I got clear information about what happens next.",
			}),
			statement(StdHelp, osallisuus.Text{
				FI: "Sain apua siihen asiaan, jonka vuoksi otin yhteyttä.",
				SV: "Jag fick hjälp med det ärende jag kontaktade er om.",
				EN: "I got help with the matter I contacted you about.",
			}),
			{ID: StdComment, Type: TypeText, Text: osallisuus.Text{
				FI: "Mitä meidän pitäisi tehdä toisin? Älä kirjoita tähän henkilötietoja.",
				SV: "Vad borde vi göra annorlunda? Skriv inga personuppgifter här.",
				EN: "What should we do differently? Please do not write personal details here.",
			}},
		},
	}
}
