package osallisuus

import "golang.org/x/text/language"

// Text is a localized text for names and descriptions, in Finnish, Swedish and English.
// Its JSON form is {"fi": "...", "sv": "...", "en": "..."} with empty languages left out.
type Text struct {
	FI string `json:"fi,omitzero"`
	SV string `json:"sv,omitzero"`
	EN string `json:"en,omitzero"`
}

// In returns the text in the language of tag (matched by base language), falling back to
// Finnish, then Swedish, then English, so a person always sees something.
func (t Text) In(tag language.Tag) string {
	base, _ := tag.Base()
	var first string
	switch base.String() {
	case "sv":
		first = t.SV
	case "en":
		first = t.EN
	default:
		first = t.FI
	}
	for _, s := range []string{first, t.FI, t.SV, t.EN} {
		if s != "" {
			return s
		}
	}
	return ""
}

// IsZero reports whether no language has text.
func (t Text) IsZero() bool { return t == Text{} }

// Missing returns the languages among tags that have no text, for publication checks
// that refuse a missing language.
func (t Text) Missing(tags ...language.Tag) []language.Tag {
	var out []language.Tag
	for _, tag := range tags {
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
		if s == "" {
			out = append(out, tag)
		}
	}
	return out
}
