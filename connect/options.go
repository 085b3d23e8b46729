package connect

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/passbookhq/passbook"
)

// Options are the widget's query parameters, with Flinks' names and defaults. Values that do not
// parse fall back to the default, as Flinks does, except a redirectUrl that is not an absolute
// http(s) URL: that is refused, since the widget sends the browser there.
type Options struct {
	RedirectURL        string `json:"r,omitempty"`  // redirectUrl: where the browser goes on success
	InnerRedirect      bool   `json:"ir,omitempty"` // innerRedirect: redirect the iframe itself (default: the top window)
	Demo               bool   `json:"d,omitempty"`  // demo: show the sandbox institutions and their test usernames
	Language           string `json:"l"`            // language: en (default) or fr
	CustomerName       string `json:"cn,omitempty"` // customerName: shown in the header and the consent text
	InstitutionFilter  bool   `json:"if,omitempty"` // institutionFilterEnable: a search box above the institutions
	Consent            bool   `json:"ce,omitempty"` // consentEnable: ask for consent before the credentials
	AccountSelector    bool   `json:"as,omitempty"` // accountSelectorEnable: choose one account after the login
	ShowAllAccounts    bool   `json:"sa,omitempty"` // showAllAccounts: the selector lists credit accounts too
	Close              bool   `json:"cl,omitempty"` // closeEnable: a close button (COMPONENT_CLOSE_SESSION)
	Header             bool   `json:"h,omitempty"`  // headerEnable (default true)
	Back               bool   `json:"b,omitempty"`  // backEnable (default true)
	Theme              string `json:"t"`            // theme: light (default) or dark
	BackgroundColor    string `json:"bg,omitempty"` // backgroundColor: hex colour, with or without '#'
	ForegroundColor1   string `json:"fg,omitempty"` // foregroundColor1: hex colour for buttons and links
	DaysOfTransactions string `json:"dt"`           // daysOfTransactions: Days90 (default) or Days365
	MaximumRetry       int    `json:"mr,omitempty"` // maximumRetry: failed attempts before MAXIMUM_RETRY_REACHED; 0: no limit
	Tag                string `json:"tg,omitempty"` // tag: passed to Authorize and the events
	// Statements is monthsOfStatements (MostRecent, Months3 (default), Months12) when
	// detailsAndStatementEnable=true; "" otherwise: GetStatements then refuses the login.
	Statements string `json:"st,omitempty"`
	// UploadMode (uploadMode: primary, fallback or off) overrides the customer's upload mode for
	// this visit; empty: the customer's. A customer whose mode is "off" stays off.
	UploadMode string `json:"um,omitempty"`
	// TermsURL (termsUrl) is the customer's privacy policy, linked from the consent screen.
	TermsURL string `json:"tu,omitempty"`
}

var hexColor = regexp.MustCompile(`^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)

// ParseOptions reads the widget's query parameters. Unknown parameters are ignored; the only
// error is an INVALID_REQUEST *passbook.Error for a redirectUrl that is not absolute http(s).
func ParseOptions(q url.Values) (Options, error) {
	o := Options{
		Language:           "en",
		Header:             true,
		Back:               true,
		Theme:              "light",
		DaysOfTransactions: "Days90",
	}
	boolean := func(name string, def bool) bool {
		switch strings.ToLower(strings.TrimSpace(q.Get(name))) {
		case "true", "1", "yes":
			return true
		case "false", "0", "no":
			return false
		}
		return def
	}
	if r := strings.TrimSpace(q.Get("redirectUrl")); r != "" {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return Options{}, passbook.Errorf(passbook.InvalidRequest, "redirectUrl must be an absolute http or https URL")
		}
		o.RedirectURL = u.String()
	}
	if t := strings.TrimSpace(q.Get("termsUrl")); t != "" {
		u, err := url.Parse(t)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil {
			o.TermsURL = clip(u.String(), 2000)
		}
	}
	o.InnerRedirect = boolean("innerRedirect", false)
	o.Demo = boolean("demo", false)
	if strings.EqualFold(q.Get("language"), "fr") {
		o.Language = "fr"
	}
	o.CustomerName = clip(strings.TrimSpace(q.Get("customerName")), 80)
	o.InstitutionFilter = boolean("institutionFilterEnable", false)
	o.Consent = boolean("consentEnable", false)
	o.AccountSelector = boolean("accountSelectorEnable", false)
	o.ShowAllAccounts = boolean("showAllAccounts", false)
	o.Close = boolean("closeEnable", false)
	o.Header = boolean("headerEnable", true)
	o.Back = boolean("backEnable", true)
	if strings.EqualFold(q.Get("theme"), "dark") {
		o.Theme = "dark"
	}
	o.BackgroundColor = color(q.Get("backgroundColor"))
	o.ForegroundColor1 = color(q.Get("foregroundColor1"))
	if strings.EqualFold(q.Get("daysOfTransactions"), "Days365") {
		o.DaysOfTransactions = "Days365"
	}
	if n, err := strconv.Atoi(strings.TrimSpace(q.Get("maximumRetry"))); err == nil && n > 0 && n <= 100 {
		o.MaximumRetry = n
	}
	o.Tag = clip(q.Get("tag"), 200)
	if boolean("detailsAndStatementEnable", false) {
		o.Statements = "Months3"
		switch m := strings.ToLower(strings.TrimSpace(q.Get("monthsOfStatements"))); m {
		case "mostrecent":
			o.Statements = "MostRecent"
		case "months12":
			o.Statements = "Months12"
		}
	}
	switch m := strings.ToLower(strings.TrimSpace(q.Get("uploadMode"))); m {
	case "primary", "fallback", "off":
		o.UploadMode = m
	}
	return o, nil
}

// statementPolicy is the statement policy Authorize gives the login (see passbook.AuthorizeRequest).
func (o Options) statementPolicy() string {
	if o.Statements == "" {
		return "off"
	}
	return o.Statements
}

// color returns s as "#rrggbb"-style CSS when it is a hex colour, else "".
func color(s string) string {
	s = strings.TrimSpace(s)
	if !hexColor.MatchString(s) {
		return ""
	}
	return "#" + strings.TrimPrefix(s, "#")
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
