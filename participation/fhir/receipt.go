package fhir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// ReceiptConfig is what a host tells [NewReceipt] besides the grant itself: who the
// controller is, what the purposes mean and how to withdraw, in Finnish, Swedish and
// English.
type ReceiptConfig struct {
	// Controller is the controller's name (rekisterinpitäjä), required in fi, sv and en.
	Controller osallisuus.Text
	// Contact is how to reach the controller's data protection contact: an
	// organisation's address, e-mail or web page, never a person's. Optional.
	Contact string
	// Withdraw says how to withdraw the consent (GDPR Art 7(3): as easily as it was
	// given), required in fi, sv and en.
	Withdraw osallisuus.Text
	// Purposes describes purposes by name; a purpose without a description is shown by
	// its name.
	Purposes map[string]osallisuus.Text
	// Notice is the privacy notice text that was shown, optional. When given, the
	// receipt's hash is its SHA-256, and a grant that recorded a different hash is an
	// error (the receipt would prove the wrong notice).
	Notice []byte
	// Policy, when given, adds each purpose's expiry (the grant's validUntil or the
	// purpose's maxDuration, whichever ends first) to the receipt.
	Policy *participation.Policy
}

// Receipt is a consent receipt (suostumuskuitti): the proof a person gets of one act of
// consent, covering one or more purposes granted together (the same subject, actor,
// instant, method and notice). Its JSON form is stable; [Receipt.Text] renders it for
// people. It holds participant IDs, never names or contact details of people.
type Receipt struct {
	Controller osallisuus.Text          `json:"controller"`
	Contact    string                   `json:"contact,omitzero"`
	Subject    osallisuus.ParticipantID `json:"subject"`
	// By is who granted: the subject or a representative.
	By       osallisuus.ParticipantID `json:"by"`
	Purposes []ReceiptPurpose         `json:"purposes"`
	// NoticeVersion is the privacy notice version shown; NoticeHash its
	// "sha256:" + 64 hex digits, when known.
	NoticeVersion int                  `json:"noticeVersion"`
	NoticeHash    string               `json:"noticeHash,omitzero"`
	Method        participation.Method `json:"method"`
	// RecordedBy is the staff member who recorded an oral grant.
	RecordedBy osallisuus.ParticipantID `json:"recordedBy,omitzero"`
	At         time.Time                `json:"at"`
	Withdraw   osallisuus.Text          `json:"withdraw"`
	// Events are the ledger IDs of the grants, where they have been recorded.
	Events []participation.EventID `json:"events,omitzero"`
}

// ReceiptPurpose is one purpose on a [Receipt].
type ReceiptPurpose struct {
	Name        string          `json:"name"`
	Description osallisuus.Text `json:"description,omitzero"`
	// Scope is "" (global) or "kind:id".
	Scope string `json:"scope,omitzero"`
	// ExpiresAt is when the grant ends (exclusive), zero when it has no end or no policy
	// was given.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// NewReceipt builds the receipt of grants, which must be grant events of one act: the
// same subject, actor, instant, method, recorder and notice, each purpose and scope once.
// It is pure. Errors are a *osallisuus.ValidationError naming the fields: "grants"
// (none), "grants[1].action" (not a grant), "grants[1].at" (another act),
// "controller.sv" and "withdraw.en" (a missing language), "notice" (not the notice the
// grant recorded).
func NewReceipt(cfg ReceiptConfig, grants ...participation.ConsentEvent) (Receipt, error) {
	ve := &osallisuus.ValidationError{Op: "consent receipt"}
	for _, tag := range cfg.Controller.Missing(osallisuus.Languages...) {
		ve.Add("controller."+tag.String(), osallisuus.CodeRequired)
	}
	for _, tag := range cfg.Withdraw.Missing(osallisuus.Languages...) {
		ve.Add("withdraw."+tag.String(), osallisuus.CodeRequired)
	}
	if len(grants) == 0 {
		ve.Add("grants", osallisuus.CodeRequired)
		return Receipt{}, ve
	}
	g := grants[0]
	r := Receipt{Controller: cfg.Controller, Contact: cfg.Contact, Subject: g.Subject, By: g.By,
		NoticeVersion: g.NoticeVersion, NoticeHash: g.NoticeHash, Method: g.Method,
		RecordedBy: g.RecordedBy, At: g.At, Withdraw: cfg.Withdraw}
	seen := make(map[[2]string]bool)
	for i, e := range grants {
		f := "grants[" + strconv.Itoa(i) + "]"
		if e.Action != participation.Grant {
			ve.Add(f+".action", osallisuus.CodeNotAllowed)
		}
		for _, same := range []struct {
			field string
			ok    bool
		}{
			{"subject", e.Subject == g.Subject}, {"by", e.By == g.By}, {"at", e.At.Equal(g.At)},
			{"method", e.Method == g.Method}, {"recordedBy", e.RecordedBy == g.RecordedBy},
			{"noticeVersion", e.NoticeVersion == g.NoticeVersion}, {"noticeHash", e.NoticeHash == g.NoticeHash},
		} {
			if !same.ok {
				ve.Add(f+"."+same.field, osallisuus.CodeNotAllowed)
			}
		}
		key := [2]string{e.Purpose, e.Scope}
		if seen[key] {
			ve.Add(f+".purpose", osallisuus.CodeDuplicate)
		}
		seen[key] = true
		p := ReceiptPurpose{Name: e.Purpose, Description: cfg.Purposes[e.Purpose], Scope: e.Scope}
		if cfg.Policy != nil {
			d, err := participation.Decide(cfg.Policy, []participation.ConsentEvent{e},
				participation.ConsentQuery{Subject: e.Subject, Purpose: e.Purpose, Scope: e.Scope, At: e.At})
			if err != nil {
				ve.Merge(f, asValidation(err))
			}
			p.ExpiresAt = d.ExpiresAt
		} else {
			p.ExpiresAt = e.ValidUntil
		}
		r.Purposes = append(r.Purposes, p)
		if !e.ID.IsZero() {
			r.Events = append(r.Events, e.ID)
		}
	}
	if cfg.Notice != nil {
		sum := sha256.Sum256(cfg.Notice)
		hash := "sha256:" + hex.EncodeToString(sum[:])
		if r.NoticeHash != "" && r.NoticeHash != hash {
			ve.Add("notice", osallisuus.CodeNotAllowed)
		}
		r.NoticeHash = hash
	}
	if err := ve.Err(); err != nil {
		return Receipt{}, err
	}
	return r, nil
}

// receiptText returns a fixed text of the receipt: [fi, sv, en].
func receiptText(key string) [3]string {
	switch key {
	case "title":
		return [3]string{"Suostumuskuitti", "Samtyckeskvitto", "Consent receipt"}
	case "controller":
		return [3]string{"Rekisterinpitäjä", "Personuppgiftsansvarig", "Controller"}
	case "purposes":
		return [3]string{"Käyttötarkoitukset", "Ändamål", "Purposes"}
	case "scope":
		return [3]string{"koskee", "gäller", "for"}
	case "until":
		return [3]string{"voimassa ennen", "giltigt före", "valid until"}
	case "notice":
		return [3]string{"Tietosuojaseloste", "Dataskyddsbeskrivning", "Privacy notice"}
	case "version":
		return [3]string{"versio", "version", "version"}
	case "noHash":
		return [3]string{"tiivistettä ei tallennettu", "hashvärde inte sparat", "hash not recorded"}
	case "method":
		return [3]string{"Tapa", "Sätt", "Method"}
	case "time":
		return [3]string{"Aika", "Tid", "Time"}
	case "by":
		return [3]string{"Antaja", "Givet av", "Given by"}
	case "self":
		return [3]string{"henkilö itse", "personen själv", "the person themself"}
	case "rep":
		return [3]string{"edustaja", "företrädare", "a representative"}
	case "withdraw":
		return [3]string{"Suostumuksen voi peruuttaa milloin tahansa", "Samtycket kan återkallas när som helst", "You may withdraw this consent at any time"}
	case "events":
		return [3]string{"Tunnisteet", "Identifierare", "Reference"}
	case "written":
		return [3]string{"kirjallisesti", "skriftligt", "in writing"}
	case "electronic":
		return [3]string{"sähköisesti vahvalla tunnistautumisella", "elektroniskt med stark autentisering", "electronically with strong identification"}
	case "oral":
		return [3]string{"suullisesti, työntekijän kirjaamana", "muntligt, antecknat av personal", "orally, recorded by staff"}
	}
	return [3]string{}
}

// Text renders the receipt for a person in the language of tag (fi, sv or en; others
// get Finnish, the library's default language). Times are Helsinki local times.
func (r Receipt) Text(tag language.Tag) string {
	lang := 0
	switch base, _ := tag.Base(); base.String() {
	case "sv":
		lang = 1
	case "en":
		lang = 2
	}
	t := func(key string) string { return receiptText(key)[lang] }
	var b strings.Builder
	b.WriteString(t("title") + "\n")
	fmt.Fprintf(&b, "%s: %s", t("controller"), r.Controller.In(tag))
	if r.Contact != "" {
		fmt.Fprintf(&b, " (%s)", r.Contact)
	}
	b.WriteString("\n" + t("purposes") + ":\n")
	for _, p := range r.Purposes {
		desc := p.Description.In(tag)
		if desc == "" {
			desc = p.Name
		}
		fmt.Fprintf(&b, "- %s (%s)", desc, p.Name)
		if p.Scope != "" {
			fmt.Fprintf(&b, ", %s %s", t("scope"), p.Scope)
		}
		if !p.ExpiresAt.IsZero() {
			fmt.Fprintf(&b, ", %s %s", t("until"), localTime(p.ExpiresAt, lang))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s: %s %d, ", t("notice"), t("version"), r.NoticeVersion)
	if r.NoticeHash != "" {
		b.WriteString("SHA-256 " + strings.TrimPrefix(r.NoticeHash, "sha256:"))
	} else {
		b.WriteString(t("noHash"))
	}
	by := t("rep")
	if r.By == r.Subject {
		by = t("self")
	}
	fmt.Fprintf(&b, "\n%s: %s\n%s: %s\n%s: %s\n", t("by"), by, t("method"), t(string(r.Method)),
		t("time"), localTime(r.At, lang))
	if len(r.Events) > 0 {
		ids := make([]string, len(r.Events))
		for i, id := range r.Events {
			ids[i] = id.String()
		}
		fmt.Fprintf(&b, "%s: %s\n", t("events"), strings.Join(ids, ", "))
	}
	fmt.Fprintf(&b, "%s: %s\n", t("withdraw"), r.Withdraw.In(tag))
	return b.String()
}

// localTime formats t as a Helsinki local time in the conventions of the language.
func localTime(t time.Time, lang int) string {
	l := t.In(time.FixedZone("", osallisuus.HelsinkiOffset(t)))
	switch lang {
	case 0:
		return l.Format("2.1.2006 klo 15.04")
	case 1:
		return l.Format("2.1.2006 kl. 15.04")
	}
	return l.Format("2 January 2006 15:04") + " (Helsinki)"
}
