package webhook

import (
	"bytes"
	"errors"
	"net/http"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The example of the Standard Webhooks specification (github.com/standard-webhooks).
func TestStandardSignatureSpecExample(t *testing.T) {
	got := StandardSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("signature = %s", got)
	}
}

// A receiver written independently (Python's standard library, as in Flinks' guide) must accept
// what Sign produces.
func TestFlinksSignatureMatchesPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	secret := NewSecret()
	body := []byte(`{"ResponseType":"GetAccountsDetail","HttpStatusCode":200,"Note":"é"}`)
	script := `import hmac,hashlib,base64,sys
s=sys.argv[1]; b=sys.stdin.buffer.read()
print(base64.b64encode(hmac.new(s.encode('utf-8'), b, hashlib.sha256).digest()).decode())`
	cmd := exec.Command(py, "-c", script, secret)
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != FlinksSignature(secret, body) {
		t.Fatalf("python %s, go %s", got, FlinksSignature(secret, body))
	}
}

func TestVerify(t *testing.T) {
	secret := NewSecret()
	body := []byte(`{"a":1}`)
	now := time.Unix(1_800_000_000, 0)
	h := http.Header{}
	Sign(h, secret, "evt_1", now, body)
	if err := Verify(secret, h, body, now.Add(time.Minute), DefaultTolerance); err != nil {
		t.Fatalf("valid delivery refused: %v", err)
	}
	multi := h.Clone()
	multi.Set(HeaderSignature, "v1,AAAA "+h.Get(HeaderSignature))
	if err := Verify(secret, multi, body, now, DefaultTolerance); err != nil {
		t.Fatalf("one of several signatures: %v", err)
	}
	cases := []struct {
		name string
		edit func(h http.Header, body []byte, secret string) (http.Header, []byte, string)
		want error
	}{
		{"tampered body", func(h http.Header, b []byte, s string) (http.Header, []byte, string) { return h, []byte(`{"a":2}`), s }, ErrBadSignature},
		{"other secret", func(h http.Header, b []byte, s string) (http.Header, []byte, string) { return h, b, NewSecret() }, ErrBadSignature},
		{"other id", func(h http.Header, b []byte, s string) (http.Header, []byte, string) {
			h.Set(HeaderID, "evt_2")
			return h, b, s
		}, ErrBadSignature},
		{"replayed later", func(h http.Header, b []byte, s string) (http.Header, []byte, string) {
			h.Set(HeaderTimestamp, "1799999000")
			return h, b, s
		}, ErrStale},
		{"bad flinks key", func(h http.Header, b []byte, s string) (http.Header, []byte, string) {
			h.Set(HeaderFlinks, FlinksSignature(s, []byte("x")))
			return h, b, s
		}, ErrBadSignature},
		{"no headers", func(h http.Header, b []byte, s string) (http.Header, []byte, string) { return http.Header{}, b, s }, ErrNoSignature},
		{"bad timestamp", func(h http.Header, b []byte, s string) (http.Header, []byte, string) {
			h.Set(HeaderTimestamp, "soon")
			return h, b, s
		}, ErrBadSignature},
	}
	for _, c := range cases {
		hh, b, s := c.edit(h.Clone(), body, secret)
		if err := Verify(s, hh, b, now, DefaultTolerance); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true, "151.101.1.69": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fc00::1": false, "0.0.0.0": false, "::": false,
		"100.64.0.1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "224.0.0.1": false,
	} {
		if got := PublicAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("PublicAddr(%s) = %v", s, got)
		}
	}
}

func TestGuardCheckURL(t *testing.T) {
	var g Guard
	for u, ok := range map[string]bool{
		"https://example.com/hook": true, "http://203.0.113.9:8080/x": true,
		"http://127.0.0.1/x": false, "http://localhost:9000/": false, "http://[::1]/": false,
		"http://169.254.169.254/latest/meta-data": false, "ftp://example.com/": false, "/relative": false,
		"https://user:pw@example.com/": false, "http://api.localhost/": false,
	} {
		if err := g.CheckURL(u); (err == nil) != ok {
			t.Errorf("CheckURL(%s) = %v", u, err)
		}
	}
	if err := (Guard{AllowPrivate: true}).CheckURL("http://127.0.0.1:9/x"); err != nil {
		t.Errorf("allowed private refused: %v", err)
	}
}

// The guard acts on the resolved address of every connection, whatever the URL looked like.
func TestGuardClientRefusesLoopbackConnection(t *testing.T) {
	srv := newCountingServer(t)
	name := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) // a name, not a literal
	for _, u := range []string{srv.URL, name} {
		resp, err := Guard{}.Client(5 * time.Second).Get(u)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%s: request reached a loopback server", u)
		}
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("%s: err = %v", u, err)
		}
	}
	if srv.hits.Load() != 0 {
		t.Fatal("the server was reached")
	}
	resp, err := Guard{AllowPrivate: true}.Client(5 * time.Second).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if srv.hits.Load() != 1 {
		t.Fatal("allowed request did not arrive")
	}
}
