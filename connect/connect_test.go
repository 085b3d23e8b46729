package connect

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
)

func TestParseOptions(t *testing.T) {
	def, err := ParseOptions(url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	want := Options{Language: "en", Header: true, Back: true, Theme: "light", DaysOfTransactions: "Days90"}
	if def != want {
		t.Fatalf("defaults = %+v, want %+v", def, want)
	}
	for _, tc := range []struct {
		query string
		check func(Options) bool
		bad   bool
	}{
		{"language=fr", func(o Options) bool { return o.Language == "fr" }, false},
		{"language=de", func(o Options) bool { return o.Language == "en" }, false},
		{"headerEnable=false&backEnable=FALSE", func(o Options) bool { return !o.Header && !o.Back }, false},
		{"headerEnable=maybe", func(o Options) bool { return o.Header }, false},
		{"consentEnable=true&accountSelectorEnable=true&showAllAccounts=true&closeEnable=true&institutionFilterEnable=true&innerRedirect=true&demo=true",
			func(o Options) bool {
				return o.Consent && o.AccountSelector && o.ShowAllAccounts && o.Close && o.InstitutionFilter && o.InnerRedirect && o.Demo
			}, false},
		{"backgroundColor=f7f7f7&foregroundColor1=%23000", func(o Options) bool { return o.BackgroundColor == "#f7f7f7" && o.ForegroundColor1 == "#000" }, false},
		{"backgroundColor=red;}body{x:y", func(o Options) bool { return o.BackgroundColor == "" }, false},
		{"theme=dark&daysOfTransactions=Days365", func(o Options) bool { return o.Theme == "dark" && o.DaysOfTransactions == "Days365" }, false},
		{"maximumRetry=3", func(o Options) bool { return o.MaximumRetry == 3 }, false},
		{"maximumRetry=-1", func(o Options) bool { return o.MaximumRetry == 0 }, false},
		{"maximumRetry=abc", func(o Options) bool { return o.MaximumRetry == 0 }, false},
		{"redirectUrl=https%3A%2F%2Flender.example%2Fdone%3Fa%3D1", func(o Options) bool { return o.RedirectURL == "https://lender.example/done?a=1" }, false},
		{"redirectUrl=javascript:alert(1)", nil, true},
		{"redirectUrl=%2Fdone", nil, true},
		{"redirectUrl=https%3A%2F%2Fuser%3Apw%40lender.example%2F", nil, true},
		{"customerName=" + strings.Repeat("x", 500), func(o Options) bool { return len(o.CustomerName) == 80 }, false},
		{"tag=abc", func(o Options) bool { return o.Tag == "abc" }, false},
	} {
		q, _ := url.ParseQuery(tc.query)
		o, err := ParseOptions(q)
		if tc.bad {
			if passbook.ErrorCode(err) != passbook.InvalidRequest {
				t.Errorf("%s: err = %v, want INVALID_REQUEST", tc.query, err)
			}
			continue
		}
		if err != nil || !tc.check(o) {
			t.Errorf("%s: %+v, %v", tc.query, o, err)
		}
	}
}

func FuzzParseOptions(f *testing.F) {
	f.Add("redirectUrl=https://x.example/&language=fr&maximumRetry=2")
	f.Add("backgroundColor=%23fff&theme=dark")
	f.Add("redirectUrl=%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		o, err := ParseOptions(q)
		if err != nil {
			return
		}
		if o.BackgroundColor != "" && !hexColor.MatchString(o.BackgroundColor) {
			t.Fatalf("unsafe colour %q", o.BackgroundColor)
		}
		if o.RedirectURL != "" && !strings.HasPrefix(o.RedirectURL, "http://") && !strings.HasPrefix(o.RedirectURL, "https://") {
			t.Fatalf("unsafe redirect %q", o.RedirectURL)
		}
		if o.Language != "en" && o.Language != "fr" {
			t.Fatalf("language %q", o.Language)
		}
	})
}

func BenchmarkParseOptions(b *testing.B) {
	q, _ := url.ParseQuery("demo=true&redirectUrl=https%3A%2F%2Flender.example%2Fdone&language=fr&consentEnable=true&backgroundColor=f7f7f7&maximumRetry=3&tag=abc")
	for b.Loop() {
		if _, err := ParseOptions(q); err != nil {
			b.Fatal(err)
		}
	}
}

var verb = regexp.MustCompile(`%[a-z]`)

func TestMessagesComplete(t *testing.T) {
	en, fr := messages["en"], messages["fr"]
	for k, v := range en {
		w, ok := fr[k]
		if !ok {
			t.Errorf("%q has no French", k)
			continue
		}
		if fmt.Sprint(verb.FindAllString(v, -1)) != fmt.Sprint(verb.FindAllString(w, -1)) {
			t.Errorf("%q: format verbs differ: %q vs %q", k, v, w)
		}
	}
	for k := range fr {
		if _, ok := en[k]; !ok {
			t.Errorf("%q has no English", k)
		}
	}
	for _, info := range passbook.LoginErrors() {
		if info.MessageEN == "" || info.MessageFR == "" {
			t.Errorf("%s lacks a customer message", info.Code)
		}
	}
}

func TestSessionSeal(t *testing.T) {
	k, err := newSealer(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	s := &Session{CustomerID: "c1", Institution: "FlinksCapital", RequestID: "r1",
		Challenges: []passbook.SecurityChallenge{{Type: "MultipleChoice", Prompt: "Shape?", Iterables: []string{"Triangle", "Circle"}}}}
	tok, err := k.seal(s, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.open(tok, now.Add(29*time.Minute))
	if err != nil || got.CustomerID != "c1" || got.Challenges[0].Iterables[1] != "Circle" {
		t.Fatalf("open: %+v %v", got, err)
	}
	if _, err := k.open(tok, now.Add(31*time.Minute)); passbook.ErrorCode(err) != passbook.SessionExpired {
		t.Errorf("expired session: %v", err)
	}
	other, _ := newSealer(nil)
	if _, err := other.open(tok, now); passbook.ErrorCode(err) != passbook.SessionExpired {
		t.Errorf("another key opened the session: %v", err)
	}
	b := []byte(tok)
	b[len(b)/2] ^= 1
	for _, bad := range []string{"", "!!!", string(b), tok[:20], strings.Repeat("A", 70000)} {
		if _, err := k.open(bad, now); passbook.ErrorCode(err) != passbook.SessionExpired {
			t.Errorf("open(%.20q) = %v", bad, err)
		}
	}
	if _, err := newSealer([]byte("short")); err == nil {
		t.Error("short key accepted")
	}
}

func TestNormalizeOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Lender.example":      "https://lender.example",
		"https://lender.example/":     "https://lender.example",
		"http://localhost:3000":       "http://localhost:3000",
		"https://lender.example/path": "",
		"javascript:alert(1)":         "",
		"https://a.example; script":   "",
		"*":                           "",
		"https://u:p@lender.example":  "",
	} {
		got, ok := normalizeOrigin(in)
		if got != want || ok != (want != "") {
			t.Errorf("normalizeOrigin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestListenerSnippetIsTheSeeds checks, when the source documents are present, that the embedded
// listener is the one of Flinks' documentation, byte for byte.
func TestListenerSnippetIsTheSeeds(t *testing.T) {
	seed, err := os.ReadFile("/work/shared/seeds/000_e14d5592085f96cc.txt")
	if err != nil {
		t.Skip("source documents not present:", err)
	}
	if !strings.Contains(string(seed), ListenerSnippet()) || !strings.HasPrefix(ListenerSnippet(), "<script>") {
		t.Fatal("assets/listener.html is not the seed's listener snippet verbatim")
	}
}

// TestTemplateKeysExist checks that every message key the templates and the code ask for exists,
// so no screen shows a raw key in either language.
func TestTemplateKeysExist(t *testing.T) {
	key := regexp.MustCompile(`(?:\.T|translate\([a-zA-Z.]+,) "([a-z_]+)"`)
	var sources []string
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := templateFS.ReadFile("templates/" + e.Name())
		sources = append(sources, string(b))
	}
	for _, f := range []string{"steps.go", "connect.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	n := 0
	for _, src := range sources {
		for _, m := range key.FindAllStringSubmatch(src, -1) {
			n++
			for _, lang := range []string{"en", "fr"} {
				if _, ok := messages[lang][m[1]]; !ok {
					t.Errorf("key %q is used but has no %s message", m[1], lang)
				}
			}
		}
	}
	if n < 30 {
		t.Fatalf("found only %d message keys in use; the pattern is wrong", n)
	}
}
