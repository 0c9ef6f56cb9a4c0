package feedback

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/osallisuus/osallisuus"
)

// QuestionnaireID identifies a questionnaire (kysely) across its versions. The zero
// value means "not set".
type QuestionnaireID struct{ uuid.UUID }

// NewQuestionnaireID returns a new time-ordered (version 7) questionnaire ID.
func NewQuestionnaireID() (QuestionnaireID, error) {
	u, err := osallisuus.NewUUID()
	return QuestionnaireID{u}, err
}

// IsZero reports whether id is unset.
func (id QuestionnaireID) IsZero() bool { return id.UUID == uuid.Nil }

// ResponseID identifies one survey response (kyselyvastaus). The zero value means "not set".
type ResponseID struct{ uuid.UUID }

// NewResponseID returns a new time-ordered (version 7) response ID.
func NewResponseID() (ResponseID, error) {
	u, err := osallisuus.NewUUID()
	return ResponseID{u}, err
}

// IsZero reports whether id is unset.
func (id ResponseID) IsZero() bool { return id.UUID == uuid.Nil }

// QuestionType is the type of a questionnaire question (spec/activities.md Q1).
type QuestionType string

// The question types of Q1.
const (
	TypeNPS      QuestionType = "nps"      // 0–10 recommendation; measured on scale nps
	TypeScale    QuestionType = "scale"    // 1–5 statement with five labels; measured as csat
	TypeSmiley   QuestionType = "smiley"   // 4 or 5 faces (Faces); measured as smiley4 / smiley5
	TypeSingle   QuestionType = "single"   // one of the choices
	TypeMultiple QuestionType = "multiple" // one or more of the choices
	TypeText     QuestionType = "text"     // free text: redacted and classified (Q4)
	TypeYesNo    QuestionType = "yes-no"   // "yes" or "no"
)

// Valid reports whether t is one of the seven types.
func (t QuestionType) Valid() bool {
	switch t {
	case TypeNPS, TypeScale, TypeSmiley, TypeSingle, TypeMultiple, TypeText, TypeYesNo:
		return true
	}
	return false
}

// numeric reports whether answers of t are numbers on a metrics scale.
func (t QuestionType) numeric() bool { return t == TypeNPS || t == TypeScale || t == TypeSmiley }

// The answers of a yes-no question.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
)

// Choice is one option of a single or multiple question: a stable value that answers and
// conditions use, and its text.
type Choice struct {
	Value string          `json:"value"`
	Text  osallisuus.Text `json:"text"`
}

// SurveyQuestion is one question of a questionnaire (kysymys; Q1).
type SurveyQuestion struct {
	// ID is unique in the questionnaire and keeps its meaning across versions, so that
	// metrics combine versions by ID. It matches [A-Za-z0-9._-]+.
	ID   string          `json:"id"`
	Type QuestionType    `json:"type"`
	Text osallisuus.Text `json:"text"`
	// Required: a shown required question must be answered ("don't know" answers it).
	Required bool `json:"required,omitzero"`
	// Faces is 4 or 5 for a smiley question, and 0 otherwise.
	Faces int `json:"faces,omitzero"`
	// Labels are the five labels of a scale question, for the values 1 to 5; other types
	// have none.
	Labels []osallisuus.Text `json:"labels,omitzero"`
	// Choices of a single or multiple question: at least two, distinct values matching
	// [A-Za-z0-9._-]+. Other types have none.
	Choices []Choice `json:"choices,omitzero"`
	// DontKnow offers "en osaa sanoa / vet inte / don't know" on nps, scale and smiley
	// questions.
	DontKnow bool `json:"dontKnow,omitzero"`
	// ShowIf, when set, shows the question only when the condition holds on an earlier
	// question's answer.
	ShowIf *Condition `json:"showIf,omitzero"`
}

// Scale returns the metrics scale of a numeric question (nps, scale, smiley) and true,
// or "" and false for the other types.
func (q SurveyQuestion) Scale() (Scale, bool) {
	switch {
	case q.Type == TypeNPS:
		return ScaleNPS, true
	case q.Type == TypeScale:
		return ScaleCSAT, true
	case q.Type == TypeSmiley && q.Faces == 4:
		return ScaleSmiley4, true
	case q.Type == TypeSmiley && q.Faces == 5:
		return ScaleSmiley5, true
	}
	return "", false
}

func (q SurveyQuestion) clone() SurveyQuestion {
	q.Labels = slices.Clone(q.Labels)
	q.Choices = slices.Clone(q.Choices)
	if q.ShowIf != nil {
		c := *q.ShowIf
		q.ShowIf = &c
	}
	return q
}

// DoubleAnswerPrevention says how a questionnaire keeps one respondent from answering
// twice (Q3).
type DoubleAnswerPrevention string

// The double-answer preventions.
const (
	// PreventNone: any number of answers; the default.
	PreventNone DoubleAnswerPrevention = ""
	// PreventToken: each response carries a one-time token the host handed out (see
	// [IssueSurveyToken]); a forged token is invalid and a used one is refused.
	PreventToken DoubleAnswerPrevention = "token"
	// PreventKey: each response carries a host-given respondent key (a customer number,
	// for example); only its salted hash is stored, and a second response with the same
	// key is refused.
	PreventKey DoubleAnswerPrevention = "key"
)

// Valid reports whether p is one of the three preventions.
func (p DoubleAnswerPrevention) Valid() bool {
	return p == PreventNone || p == PreventToken || p == PreventKey
}

// Questionnaire is one version of a questionnaire (kysely, enkät; Q1–Q3). A draft may
// change; [PublishQuestionnaire] freezes it (Q2), and a change after that is a new version with the
// next Number.
type Questionnaire struct {
	ID QuestionnaireID `json:"id"`
	// Number is the questionnaire's version (versio), from 1. Responses name it.
	Number    int              `json:"number"`
	Title     osallisuus.Text  `json:"title"`
	Intro     osallisuus.Text  `json:"intro,omitzero"`
	Questions []SurveyQuestion `json:"questions"`
	// Prevent is the double-answer prevention (Q3).
	Prevent DoubleAnswerPrevention `json:"prevent,omitzero"`
	// IdentifiedPurpose, when set, lets respondents answer under their participant ID
	// with an allowed consent decision for this purpose (Q3); responses are otherwise
	// anonymous and no participant ID is stored.
	IdentifiedPurpose string `json:"identifiedPurpose,omitzero"`
	// PublishedAt is when the version was published; zero for a draft.
	PublishedAt time.Time `json:"publishedAt,omitzero"`
	CreatedAt   time.Time `json:"createdAt,omitzero"`
	// Version is the store revision (not the questionnaire version): 1 when created,
	// +1 per save.
	Version int64 `json:"version"`
}

// Published reports whether q is published (frozen).
func (q Questionnaire) Published() bool { return !q.PublishedAt.IsZero() }

// Clone returns a deep copy of q.
func (q Questionnaire) Clone() Questionnaire {
	qs := make([]SurveyQuestion, len(q.Questions))
	for i, x := range q.Questions {
		qs[i] = x.clone()
	}
	if q.Questions == nil {
		qs = nil
	}
	q.Questions = qs
	return q
}

// Question returns the index of the question with id, or −1.
func (q Questionnaire) Question(id string) int {
	return slices.IndexFunc(q.Questions, func(x SurveyQuestion) bool { return x.ID == id })
}

// validKey reports whether s matches [A-Za-z0-9._-]+.
func validKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Validate checks the structure of q (Q1), as a draft may hold it: the ID and Number,
// question IDs (well formed, distinct), types, faces, labels, choices, and conditions
// that refer to an earlier question with a value that question can give. Missing
// translations are not checked here: [PublishQuestionnaire] refuses them. The error is a
// *osallisuus.ValidationError naming every problem.
func (q Questionnaire) Validate() error {
	ve := &osallisuus.ValidationError{Op: "questionnaire"}
	if q.ID.IsZero() {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if q.Number < 1 {
		ve.Add("number", osallisuus.CodeOutOfRange)
	}
	if !q.Prevent.Valid() {
		ve.Add("prevent", osallisuus.CodeUnknown)
	}
	if len(q.Questions) == 0 {
		ve.Add("questions", osallisuus.CodeRequired)
	}
	seen := map[string]int{}
	for i, x := range q.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		switch _, dup := seen[x.ID]; {
		case !validKey(x.ID):
			ve.Add(f+".id", osallisuus.CodeFormat)
		case dup:
			ve.Add(f+".id", osallisuus.CodeDuplicate)
		}
		if !x.Type.Valid() {
			ve.Add(f+".type", osallisuus.CodeUnknown)
		}
		if (x.Type == TypeSmiley) != (x.Faces != 0) || x.Type == TypeSmiley && x.Faces != 4 && x.Faces != 5 {
			ve.Add(f+".faces", osallisuus.CodeOutOfRange)
		}
		if (x.Type == TypeScale && len(x.Labels) != 5) || (x.Type != TypeScale && len(x.Labels) != 0) {
			ve.AddParams(f+".labels", osallisuus.CodeOutOfRange, map[string]any{"want": labelCount(x.Type)})
		}
		choice := x.Type == TypeSingle || x.Type == TypeMultiple
		switch {
		case choice && len(x.Choices) < 2:
			ve.AddParams(f+".choices", osallisuus.CodeOutOfRange, map[string]any{"min": 2})
		case !choice && len(x.Choices) > 0:
			ve.Add(f+".choices", osallisuus.CodeNotAllowed)
		}
		values := map[string]bool{}
		for j, c := range x.Choices {
			cf := fmt.Sprintf("%s.choices[%d].value", f, j)
			if !validKey(c.Value) {
				ve.Add(cf, osallisuus.CodeFormat)
			} else if values[c.Value] {
				ve.Add(cf, osallisuus.CodeDuplicate)
			}
			values[c.Value] = true
		}
		if x.DontKnow && !x.Type.numeric() {
			ve.Add(f+".dontKnow", osallisuus.CodeNotAllowed)
		}
		if x.ShowIf != nil {
			if err := checkCondition(*x.ShowIf, q.Questions, seen); err != nil {
				ve.Merge(f+".showIf", err)
			}
		}
		if _, dup := seen[x.ID]; !dup {
			seen[x.ID] = i
		}
	}
	return ve.Err()
}

func labelCount(t QuestionType) int {
	if t == TypeScale {
		return 5
	}
	return 0
}

// checkCondition checks c against the questions before it (earlier holds their indexes).
func checkCondition(c Condition, qs []SurveyQuestion, earlier map[string]int) *osallisuus.ValidationError {
	if err := c.Validate(); err != nil {
		return err.(*osallisuus.ValidationError)
	}
	i, ok := earlier[c.Question]
	if !ok {
		return osallisuus.Invalid("question", osallisuus.CodeUnknown)
	}
	if c.Op == OpAnswered {
		return nil
	}
	if !qs[i].canGive(c.Value) {
		return osallisuus.Invalid("value", osallisuus.CodeOutOfRange)
	}
	return nil
}

// canGive reports whether v is a value an answer to q can have in a condition: a number
// on its scale or "dk" when offered (numeric types), a choice value, "yes" or "no".
// Text answers are never compared.
func (q SurveyQuestion) canGive(v string) bool {
	switch q.Type {
	case TypeNPS, TypeScale, TypeSmiley:
		if v == "dk" {
			return q.DontKnow
		}
		n, err := strconv.Atoi(v)
		if err != nil || strconv.Itoa(n) != v {
			return false
		}
		lo, hi := q.numRange()
		return n >= lo && n <= hi
	case TypeSingle, TypeMultiple:
		return slices.ContainsFunc(q.Choices, func(c Choice) bool { return c.Value == v })
	case TypeYesNo:
		return v == AnswerYes || v == AnswerNo
	}
	return false
}

func (q SurveyQuestion) numRange() (lo, hi int) {
	switch q.Type {
	case TypeNPS:
		return 0, 10
	case TypeScale:
		return 1, 5
	case TypeSmiley:
		return 1, q.Faces
	}
	return 0, -1
}

// SurveyLanguages are the languages every published text must have (Q1).
var surveyLanguages = [...]language.Tag{language.Finnish, language.Swedish, language.English}

// missingTexts adds a problem for each language t lacks (blank counts as missing).
func missingTexts(ve *osallisuus.ValidationError, field string, t osallisuus.Text) {
	for _, tag := range surveyLanguages {
		base, _ := tag.Base()
		var s string
		switch base.String() {
		case "fi":
			s = t.FI
		case "sv":
			s = t.SV
		case "en":
			s = t.EN
		}
		if strings.TrimSpace(s) == "" {
			ve.Add(field+"."+base.String(), osallisuus.CodeRequired)
		}
	}
}

// ReasonPublished is the refusal reason for changing or publishing again a published
// questionnaire version (Q2).
const ReasonPublished osallisuus.Reason = "published"

// PublishQuestionnaire checks q and returns it published at now (Q1, Q2): it must be valid
// ([Questionnaire.Validate]) and every text it shows — title, intro when set, each
// question's text, labels and choices — must be written in Finnish, Swedish and English
// (not blank); a missing language is a *osallisuus.ValidationError naming the field and
// language, such as "questions[2].text.sv". A version already published is a
// *osallisuus.RuleError (ErrConflict, reason "published"). Pure.
func PublishQuestionnaire(q Questionnaire, now time.Time) (Questionnaire, error) {
	if q.Published() {
		return Questionnaire{}, &osallisuus.RuleError{Op: "publish questionnaire", Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{ReasonPublished}}
	}
	ve := &osallisuus.ValidationError{Op: "publish questionnaire"}
	if err := q.Validate(); err != nil {
		ve.Problems = append(ve.Problems, err.(*osallisuus.ValidationError).Problems...)
	}
	missingTexts(ve, "title", q.Title)
	if !q.Intro.IsZero() {
		missingTexts(ve, "intro", q.Intro)
	}
	for i, x := range q.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		missingTexts(ve, f+".text", x.Text)
		for j, l := range x.Labels {
			missingTexts(ve, fmt.Sprintf("%s.labels[%d]", f, j), l)
		}
		for j, c := range x.Choices {
			missingTexts(ve, fmt.Sprintf("%s.choices[%d].text", f, j), c.Text)
		}
	}
	if err := ve.Err(); err != nil {
		return Questionnaire{}, err
	}
	q = q.Clone()
	q.PublishedAt = now.UTC()
	return q, nil
}

// NextVersion returns a draft copy of q as version Number+1, for changing a published
// questionnaire (Q2). Pure.
func NextVersion(q Questionnaire, now time.Time) Questionnaire {
	q = q.Clone()
	q.Number++
	q.PublishedAt = time.Time{}
	q.CreatedAt = now.UTC()
	q.Version = 0
	return q
}

// SurveyAnswer is one answer of a survey response. Which fields are used depends on the
// question type:
//   - nps, scale, smiley: Number (see [NumberAnswer]), or DontKnow when the question
//     offers it; Number is a pointer so that an empty answer is not a 0;
//   - single: Choices with exactly one value; multiple: one or more distinct values;
//     yes-no: Choices with "yes" or "no";
//   - text: Text, non-blank. In a stored response it is the redacted NFC text, with its
//     Redactions and Classification (Q4).
//
// A question absent from the answers map is not answered.
type SurveyAnswer struct {
	Number   *int     `json:"number,omitempty"`
	DontKnow bool     `json:"dontKnow,omitzero"`
	Choices  []string `json:"choices,omitzero"`
	Text     string   `json:"text,omitzero"`
	// Redactions and Classification are set by the service for text answers.
	Redactions     []Redaction    `json:"redactions,omitzero"`
	Classification Classification `json:"classification,omitzero"`
}

// NumberAnswer returns the answer n to an nps, scale or smiley question.
func NumberAnswer(n int) SurveyAnswer { return SurveyAnswer{Number: &n} }

func (a SurveyAnswer) clone() SurveyAnswer {
	if a.Number != nil {
		n := *a.Number
		a.Number = &n
	}
	a.Choices = slices.Clone(a.Choices)
	a.Redactions = slices.Clone(a.Redactions)
	a.Classification.Themes = slices.Clone(a.Classification.Themes)
	a.Classification.Matches = slices.Clone(a.Classification.Matches)
	return a
}

// SurveyResponse is one stored response to one version of a questionnaire (Q2, Q3).
// Responses are appended and never changed.
type SurveyResponse struct {
	ID            ResponseID      `json:"id"`
	Questionnaire QuestionnaireID `json:"questionnaire"`
	// Number is the questionnaire version answered (Q2).
	Number int       `json:"number"`
	At     time.Time `json:"at"`
	// Unit, Service, Channel and Lang are the metric dimensions (feedback.md §7.4).
	Unit    string `json:"unit,omitzero"`
	Service string `json:"service,omitzero"`
	Channel string `json:"channel,omitzero"`
	Lang    string `json:"lang,omitzero"`
	// Answers by question ID.
	Answers map[string]SurveyAnswer `json:"answers"`
	// Guard is the hex SHA-256 of the salted token or respondent key under a
	// double-answer prevention; "" otherwise. A store keeps one response per
	// (Questionnaire, Guard) over all versions.
	Guard string `json:"guard,omitzero"`
	// Respondent is the participant of an identified response; zero (and not stored)
	// for an anonymous one.
	Respondent osallisuus.ParticipantID `json:"respondent,omitzero"`
}

// Clone returns a deep copy of r.
func (r SurveyResponse) Clone() SurveyResponse {
	if r.Answers != nil {
		m := make(map[string]SurveyAnswer, len(r.Answers))
		for k, a := range r.Answers {
			m[k] = a.clone()
		}
		r.Answers = m
	}
	return r
}

// answerValue returns the values an answer gives to a condition: the number or "dk", the
// chosen values, or nothing for text.
func answerValues(q SurveyQuestion, a SurveyAnswer) []string {
	switch {
	case q.Type.numeric() && a.DontKnow:
		return []string{"dk"}
	case q.Type.numeric() && a.Number != nil:
		return []string{strconv.Itoa(*a.Number)}
	case q.Type.numeric():
		return nil
	case q.Type == TypeText:
		return nil
	}
	return a.Choices
}

// Shown reports whether question i of q is shown given the answers so far (Q1): it has
// no condition, or its condition holds. A condition on a question that is itself hidden
// does not hold, except "not equal", which holds on a missing answer. Pure.
func (q Questionnaire) Shown(i int, answers map[string]SurveyAnswer) bool {
	x := q.Questions[i]
	if x.ShowIf == nil {
		return true
	}
	c := *x.ShowIf
	j := q.Question(c.Question)
	if j < 0 || j >= i || !q.Shown(j, answers) {
		return c.Op == OpNotEquals
	}
	a, ok := answers[c.Question]
	return c.Holds(ok, answerValues(q.Questions[j], a))
}

// CheckAnswers checks answers against q (Q1): every answer names a question of q that is
// shown, and fits its type (a number on the scale, "don't know" only where offered, one
// choice for single, distinct known choices for multiple, "yes" or "no", non-blank valid
// UTF-8 text of at most MaxTextBytes); every shown required question is answered. The
// error is a *osallisuus.ValidationError naming "answers.<id>" fields. Pure.
func CheckAnswers(q Questionnaire, answers map[string]SurveyAnswer) error {
	ve := &osallisuus.ValidationError{Op: "survey answers"}
	ids := make([]string, 0, len(answers))
	for id := range answers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if q.Question(id) < 0 {
			ve.Add("answers."+id, osallisuus.CodeUnknown)
		}
	}
	for i, x := range q.Questions {
		f := "answers." + x.ID
		a, ok := answers[x.ID]
		shown := q.Shown(i, answers)
		switch {
		case !ok && shown && x.Required:
			ve.Add(f, osallisuus.CodeRequired)
		case ok && !shown:
			ve.Add(f, osallisuus.CodeNotAllowed)
		case ok:
			if code, bad := checkAnswer(x, a); bad {
				ve.Add(f, code)
			}
		}
	}
	return ve.Err()
}

// checkAnswer returns the problem of a given answer to x, if any.
func checkAnswer(x SurveyQuestion, a SurveyAnswer) (osallisuus.Code, bool) {
	numeric := x.Type.numeric()
	if !numeric && (a.DontKnow || a.Number != nil) {
		return osallisuus.CodeType, true
	}
	if x.Type != TypeText && a.Text != "" {
		return osallisuus.CodeType, true
	}
	if (numeric || x.Type == TypeText) && len(a.Choices) > 0 {
		return osallisuus.CodeType, true
	}
	switch x.Type {
	case TypeNPS, TypeScale, TypeSmiley:
		if a.DontKnow {
			if !x.DontKnow || a.Number != nil {
				return osallisuus.CodeNotAllowed, true
			}
			return "", false
		}
		if a.Number == nil {
			return osallisuus.CodeRequired, true
		}
		if lo, hi := x.numRange(); *a.Number < lo || *a.Number > hi {
			return osallisuus.CodeOutOfRange, true
		}
	case TypeSingle, TypeYesNo:
		if len(a.Choices) != 1 || !x.canGive(a.Choices[0]) {
			return osallisuus.CodeOutOfRange, true
		}
	case TypeMultiple:
		if len(a.Choices) == 0 {
			return osallisuus.CodeRequired, true
		}
		for i, c := range a.Choices {
			if !x.canGive(c) || slices.Contains(a.Choices[:i], c) {
				return osallisuus.CodeOutOfRange, true
			}
		}
	case TypeText:
		switch {
		case !utf8.ValidString(a.Text):
			return osallisuus.CodeFormat, true
		case strings.TrimSpace(a.Text) == "":
			return osallisuus.CodeRequired, true
		case len(norm.NFC.String(strings.TrimSpace(a.Text))) > MaxTextBytes:
			return osallisuus.CodeTooLong, true
		}
	}
	return "", false
}

// RespondentGuard returns the stored guard of a token or respondent key under
// double-answer prevention (Q3): the hex SHA-256 of salt, the questionnaire ID and the
// secret, so that the secret itself is never stored and the same key gives different
// guards in different questionnaires. Pure.
func RespondentGuard(salt []byte, id QuestionnaireID, secret string) string {
	h := sha256.New()
	h.Write(salt)
	h.Write(id.UUID[:])
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil))
}

// IssueSurveyToken returns a one-time token for questionnaire id under PreventToken
// (Q3): a random nonce and its HMAC-SHA-256 under the host's salt, so that
// [VerifySurveyToken] recognises tokens the host issued without storing them. The host
// hands each token to one respondent; the response stores only its guard.
func IssueSurveyToken(salt []byte, id QuestionnaireID) (string, error) {
	var nonce [12]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", err
	}
	n := hex.EncodeToString(nonce[:])
	return n + "." + tokenMAC(salt, id, n), nil
}

// VerifySurveyToken reports whether token was issued by [IssueSurveyToken] with the
// same salt for questionnaire id. Pure.
func VerifySurveyToken(salt []byte, id QuestionnaireID, token string) bool {
	n, mac, ok := strings.Cut(token, ".")
	if !ok || len(n) != 24 || len(mac) != 32 {
		return false
	}
	if _, err := hex.DecodeString(n); err != nil {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(tokenMAC(salt, id, n)))
}

func tokenMAC(salt []byte, id QuestionnaireID, nonce string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte("survey-token\x00"))
	m.Write(id.UUID[:])
	m.Write([]byte(nonce))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// SurveyMetricsConfig says what [SurveyMetrics] computes. Questions empty means every
// numeric question of the latest version given, in its order.
type SurveyMetricsConfig struct {
	Questions []string
	Threshold int
	Breakdown []Dimension
	Period    PeriodUnit
	// Range, when set, keeps only the responses whose Helsinki date it contains.
	Range osallisuus.DateRange
}

// SurveyMetrics computes the metrics of a questionnaire's numeric questions with
// [Metrics], the very code of feedback metrics, and its suppression (Q5). versions are
// the questionnaire's published versions; the scale of a question comes from the latest
// of them (highest Number) that has it. Responses to versions not given are left out;
// an answer to a question whose scale differs in the response's own version is taken as
// no answer (choice: a reworded scale is not the same measure); "don't know" stays out of
// N. A requested question that is not a numeric question of any version given is a
// *osallisuus.ValidationError naming "questions[i]". Pure.
func SurveyMetrics(versions []Questionnaire, responses iter.Seq2[SurveyResponse, error], cfg SurveyMetricsConfig) (MetricsReport, error) {
	byNumber := map[int]Questionnaire{}
	latest := map[string]Scale{}
	order := []string{}
	sorted := slices.Clone(versions)
	slices.SortFunc(sorted, func(a, b Questionnaire) int { return b.Number - a.Number })
	for _, v := range sorted {
		byNumber[v.Number] = v
		for _, x := range v.Questions {
			if s, ok := x.Scale(); ok {
				if _, seen := latest[x.ID]; !seen {
					latest[x.ID] = s
					if v.Number == sorted[0].Number {
						order = append(order, x.ID)
					}
				}
			}
		}
	}
	ids := cfg.Questions
	if len(ids) == 0 {
		ids = order
	}
	mc := MetricsConfig{Threshold: cfg.Threshold, Breakdown: cfg.Breakdown, Period: cfg.Period}
	ve := &osallisuus.ValidationError{Op: "survey metrics"}
	for i, id := range ids {
		s, ok := latest[id]
		if !ok {
			ve.Add(fmt.Sprintf("questions[%d]", i), osallisuus.CodeUnknown)
		}
		mc.Questions = append(mc.Questions, Question{ID: id, Scale: s})
	}
	if err := ve.Err(); err != nil {
		return MetricsReport{}, err
	}
	seq := func(yield func(Response, error) bool) {
		for r, err := range responses {
			if err != nil {
				if !yield(Response{ID: r.ID.String()}, err) {
					return
				}
				continue
			}
			v, ok := byNumber[r.Number]
			if !ok || (cfg.Range != (osallisuus.DateRange{}) && !cfg.Range.Contains(r.At)) {
				continue
			}
			if !yield(metricsResponse(v, r, mc.Questions), nil) {
				return
			}
		}
	}
	return Metrics(mc, seq)
}

// metricsResponse converts a survey response for [Metrics].
func metricsResponse(v Questionnaire, r SurveyResponse, qs []Question) Response {
	out := Response{ID: r.ID.String(), At: r.At, Unit: r.Unit, Service: r.Service, Channel: r.Channel,
		Lang: r.Lang, Answers: make(map[string]Answer, len(qs))}
	for _, q := range qs {
		a, ok := r.Answers[q.ID]
		i := v.Question(q.ID)
		if !ok || i < 0 {
			continue
		}
		if s, _ := v.Questions[i].Scale(); s != q.Scale {
			continue
		}
		switch {
		case a.DontKnow:
			out.Answers[q.ID] = Answer{Kind: AnswerDontKnow}
		case a.Number != nil:
			out.Answers[q.ID] = Answer{Kind: AnswerCounted, Value: *a.Number}
		}
	}
	return out
}
