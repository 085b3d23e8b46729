package connect

import (
	"testing"

	"github.com/passbookhq/passbook"
)

func TestFoldName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"FlinksCapital", "flinkscapital", true},
		{"FlinksCapital", "Flinks Capital", true},
		{"Banque Élan", "banque elan", true},
		{"Caisse Populaire Œuvre", "caisse populaire oeuvre", true},
		{"Desjardins", "De\u0301sjardins", true}, // a decomposed accent
		{"FlinksCapital", "FlinksCapitol", false},
		{"Maple", "", false},
	} {
		if got := foldName(tc.a) == foldName(tc.b); got != tc.same {
			t.Errorf("foldName(%q) == foldName(%q): %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

func TestUploadModePrecedence(t *testing.T) {
	cust := func(mode string) *passbook.Customer {
		return &passbook.Customer{Settings: passbook.CustomerSettings{UploadMode: mode}}
	}
	sess := func(mode string) *Session { return &Session{Opts: Options{UploadMode: mode}} }
	for _, tc := range []struct{ customer, url, want string }{
		{"", "", "fallback"},
		{"primary", "", "primary"},
		{"", "primary", "primary"},
		{"primary", "off", "off"},
		{"fallback", "primary", "primary"},
		{"off", "primary", "off"}, // the customer's off wins
	} {
		if got := uploadMode(sess(tc.url), cust(tc.customer)); got != tc.want {
			t.Errorf("customer %q, uploadMode=%q: %q, want %q", tc.customer, tc.url, got, tc.want)
		}
	}
}
