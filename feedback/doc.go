// Package feedback is customer feedback (asiakaspalaute, kundrespons) for Finnish social
// and health care: intake, classification in Finnish, Swedish and English, redaction of
// personal data, deadlines in Finnish business days, a recorded workflow, survey metrics
// and "you said, we did" summaries. It follows spec/feedback.md.
//
// # Rules and service
//
// Every rule is a pure function of its inputs: [Classify] and [Lexicon.Classify] (§3),
// [Redact] (§4), [Holidays], [AddBusinessDays] and [DueDate] (§5), [Receive], [Apply] and
// [Merge] for the workflow (§6), [Metrics] for surveys (§7) and [Publish] for loop
// summaries. [Service] loads from a [Store], applies them and saves atomically; contact
// details ([Contact]) are kept apart from the text and stored only with an allowed
// consent decision from a participation.ConsentChecker.
//
// # Classification
//
// The classifier tokenises the NFC text with byte offsets, matches the cues of a
// versioned [Lexicon] (prefixes for inflection, compound parts, phrases, ASCII twins of
// ä, ö and å), votes the language from the words, and applies the decision rules of §3.2
// to §3.4 in order: negation flips sentiment cues and cancels flag cues, conditions block
// formalComplaint, a risk placed in the past or in professional hands is not urgent.
// Every label set is explained by a [Match]. The default lexicon is embedded; a host
// may load its own with [ParseLexicon].
//
// Choices where the spec leaves room (documented here and on the functions):
//   - Kind: a negated statement about the service ("tulkkia ei ollut paikalla") is a
//     complaint; a long wait (a waiting word and a duration in one sentence), a
//     rhetorical question and a reported risk (theme safety) are complaints too. A
//     statement of four or more words with no cue at all and no question mark is a
//     complaint (rule "declarative-default"); the spec's default, question, is kept
//     for short or interrogative text.
//   - Urgent: besides the urgent cues, a reported acute risk is urgent unless the
//     message places it in the past or in professional hands ("when it is unclear
//     whether a risk is over, set it"); errors in the care process (hygiene, a wrong or
//     missed dose) are safety complaints but urgent only through an urgent cue.
//   - Themes: when two theme cues cover the same words the longer wins ("waiting
//     room" is facilities, not a wait); a letter in the wrong language is language,
//     not information; a negated danger word ("ei mitään hätää") gives no safety.
//   - Language: words known to several languages, names (capitalised inside a sentence)
//     and numbers do not count; unknown words are guessed from their spelling.
//   - ASCII twins are added only when at least four letters long ("ko*" for "kö*" would
//     match far too much).
//
// # Redaction
//
// [Redact] scans once, left to right, trying identity codes (henkilötunnus), business
// IDs (Y-tunnus), IBANs and phone numbers at each word start in that precedence, then
// e-mail addresses from each "@", "(at)" or "[at]", then the host's name list. Choices:
// a number that follows a redacted number (separated by one space, hyphen, dot, comma
// or slash) is not redacted, so that Redact stays idempotent; a hyphenated DD-MM-YYYY date
// is never a phone number.
//
// # Calendar
//
// Public holidays and the non-working Midsummer Eve and Christmas Eve are computed for
// 1991–2199 (Easter by the Gregorian computus). Urgent due dates count calendar days and
// are not moved off days off (§6.1).
//
// # Metrics
//
// [Metrics] counts in one pass and computes NPS, CSAT and positive shares with exact
// integer rounding (§7.3), Wilson and NPS intervals, means, sd and mean grades, and
// small-number suppression. Choices: an answer written 7.0 counts as 7; the CLI ignores a
// config period entirely when the breakdown has no period dimension.
//
// # Surveys and the service promise
//
// Questionnaires (kyselyt) have numbered versions with texts in Finnish, Swedish and
// English: [PublishQuestionnaire] refuses a missing language and freezes the version, and
// [StandardQuestionnaire] is a template shaped like the national customer-experience
// survey, in our own words. Questions have types and display conditions
// ([ParseCondition]); responses are anonymous unless the questionnaire names a consent
// purpose for identified answers, and double answers can be refused with salted
// respondent guards or signed one-time tokens. Free text is redacted and classified by the
// same code as feedback, and [SurveyMetrics] computes figures with [Metrics].
// [SurveyService] runs them over a [SurveyStore]. The service promise (palvelulupaus) is
// a list of items with indicators and targets; [ReportPromise] reports each as met, not
// met or not enough data for a period (spec/activities.md Q1–Q6, V1–V3).
//
// # Concurrency
//
// Rules and a compiled [Lexicon] are safe for concurrent use. Stores must be; memstore
// is the reference and feedbacktest.Run the conformance suite.
//
// # Personal data: export, erasure, retention
//
// [Service.ExportPersonalData] returns what the package holds about one person
// ([PersonalData]: their contacts, the feedback they sent or that a contact of theirs
// belongs to, and their identified survey responses). [Service.ErasePersonalData] deletes
// the contacts, cuts the sender and respondent links, blanks their notes and free-text
// answers, and keeps the redacted feedback texts and the answers metrics count, so every
// figure stays the same. [Service.ApplyRetention] deletes contacts after their retention
// date (Config.ContactRetentionDays, default 365).
package feedback
