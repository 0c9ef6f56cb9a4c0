package osallisuus_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
)

func TestValidationErrorMatchesInvalidAndNamesFields(t *testing.T) {
	ve := &osallisuus.ValidationError{Op: "record consent event"}
	ve.Add("at", osallisuus.CodeFormat).AddParams("noticeVersion", osallisuus.CodeOutOfRange, map[string]any{"min": 1})
	err := fmt.Errorf("service: %w", ve.Err())
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.NotErrorIs(t, err, osallisuus.ErrForbidden)
	got, ok := errors.AsType[*osallisuus.ValidationError](err)
	require.True(t, ok)
	assert.True(t, got.Has("at"))
	assert.True(t, got.Has("noticeVersion"))
	assert.False(t, got.Has("subject"))
	assert.Equal(t, "record consent event: invalid: at format; noticeVersion out-of-range", ve.Error())
	assert.NoError(t, (&osallisuus.ValidationError{}).Err(), "an empty list is no error")
	var nilVE *osallisuus.ValidationError
	assert.NoError(t, nilVE.Err())
}

func TestMergePrefixesFieldPaths(t *testing.T) {
	inner := osallisuus.Invalid("name", osallisuus.CodeRequired).Add("[2]", osallisuus.CodeDuplicate)
	outer := (&osallisuus.ValidationError{}).Merge("purposes[0]", inner)
	assert.True(t, outer.Has("purposes[0].name"))
	assert.True(t, outer.Has("purposes[0][2]"))
	assert.Equal(t, "a.b", osallisuus.JoinField("a", "b"))
	assert.Equal(t, "b", osallisuus.JoinField("", "b"))
	assert.Equal(t, "a", osallisuus.JoinField("a", ""))
}

func TestRuleErrorMatchesItsKind(t *testing.T) {
	for _, kind := range []error{osallisuus.ErrForbidden, osallisuus.ErrCapacity, osallisuus.ErrConflict} {
		err := fmt.Errorf("join: %w", osallisuus.Refuse(kind, "full"))
		require.ErrorIs(t, err, kind)
		assert.Equal(t, kind, osallisuus.KindOf(err))
		re, ok := errors.AsType[*osallisuus.RuleError](err)
		require.True(t, ok)
		assert.True(t, re.Has("full"))
	}
	assert.ErrorIs(t, &osallisuus.RuleError{Reasons: []osallisuus.Reason{"x"}}, osallisuus.ErrForbidden, "no kind means forbidden")
	assert.Nil(t, osallisuus.KindOf(errors.New("other")))
	assert.Equal(t, "forbidden: granter-not-authorized", osallisuus.Refuse(osallisuus.ErrForbidden, "granter-not-authorized").Error())
}

func TestLocalizeSpeaksFinnishSwedishAndEnglish(t *testing.T) {
	ve := osallisuus.Invalid("events[1].at", osallisuus.CodeFormat)
	assert.Equal(t, "events[1].at: muoto on virheellinen", osallisuus.Localize(ve, language.Finnish))
	assert.Equal(t, "events[1].at: formatet är felaktigt", osallisuus.Localize(ve, language.Swedish))
	assert.Equal(t, "events[1].at: the value is not in the right form", osallisuus.Localize(ve, language.English))
	assert.Equal(t, "events[1].at: the value is not in the right form", osallisuus.Localize(ve, language.German), "other languages fall back to English")
	re := osallisuus.Refuse(osallisuus.ErrForbidden, "no-consent")
	assert.Equal(t, "Toiminto ei ole sallittu: suostumusta ei ole annettu", osallisuus.Localize(re, language.Finnish))
	assert.Equal(t, "Not allowed: a rule refuses the step", osallisuus.Localize(osallisuus.Refuse(osallisuus.ErrForbidden, "some-new-code"), language.English),
		"an unknown reason still renders a sentence")
	assert.Equal(t, "Tietoa ei löydy", osallisuus.Localize(fmt.Errorf("x: %w", osallisuus.ErrNotFound), language.Finnish))
	assert.Equal(t, "plain", osallisuus.Localize(errors.New("plain"), language.Finnish))
	assert.Empty(t, osallisuus.Localize(nil, language.Finnish))
}

func TestMatchLanguagePicksASupportedLanguage(t *testing.T) {
	assert.Equal(t, language.Swedish, osallisuus.MatchLanguage("sv-FI,sv;q=0.9,en;q=0.5"))
	assert.Equal(t, language.English, osallisuus.MatchLanguage("en-GB"))
	assert.Equal(t, language.Finnish, osallisuus.MatchLanguage("de-DE"), "Finnish when nothing matches")
	assert.Equal(t, language.Finnish, osallisuus.MatchLanguage())
}

func TestTextFallsBack(t *testing.T) {
	txt := osallisuus.Text{FI: "Perhekeskuksen asiakasraati", SV: "Familjecentrets kundråd"}
	assert.Equal(t, "Familjecentrets kundråd", txt.In(language.Swedish))
	assert.Equal(t, "Perhekeskuksen asiakasraati", txt.In(language.English), "a missing language falls back to Finnish")
	assert.Equal(t, []language.Tag{language.English}, txt.Missing(osallisuus.Languages...))
	assert.True(t, osallisuus.Text{}.IsZero())
}

func TestIDsAreVersion7AndParse(t *testing.T) {
	id, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	assert.EqualValues(t, 7, id.Version())
	back, err := osallisuus.ParseParticipantID(id.String())
	require.NoError(t, err)
	assert.Equal(t, id, back)
	_, err = osallisuus.ParseParticipantID("not-an-id")
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.True(t, osallisuus.ParticipantID{}.IsZero())
	b, err := id.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, id.String(), string(b), "the JSON form is the canonical string")
}

func ExampleLocalize() {
	err := fmt.Errorf("record consent event: %w",
		osallisuus.Invalid("noticeVersion", osallisuus.CodeOutOfRange))
	for _, tag := range osallisuus.Languages {
		fmt.Println(osallisuus.Localize(err, tag))
	}
	// Output:
	// noticeVersion: arvo on sallitun alueen ulkopuolella
	// noticeVersion: värdet ligger utanför det tillåtna intervallet
	// noticeVersion: the value is out of range
}

func ExampleDateOf() {
	at, _ := osallisuus.ParseInstant("2026-06-09T22:30:00Z")
	fmt.Println(osallisuus.DateOf(at)) // already 10 June in Helsinki
	p, _ := osallisuus.ParsePeriod("P1M")
	fmt.Println(p.LastDay(osallisuus.NewDate(2026, 1, 31)))
	// Output:
	// 2026-06-10
	// 2026-02-28
}

func TestEveryConsentReasonHasItsOwnText(t *testing.T) {
	generic := osallisuus.LocalizeReason("some-unknown-reason", language.English)
	for _, r := range []osallisuus.Reason{"granted", "not-required", "no-consent", "refused", "withdrawn",
		"expired", "notice-outdated", "not-explicit", "granter-not-authorized"} {
		for _, tag := range osallisuus.Languages {
			got := osallisuus.LocalizeReason(r, tag)
			assert.NotEmpty(t, got)
			assert.NotEqual(t, generic, got, "%s in %v falls back to the generic text", r, tag)
		}
	}
}
