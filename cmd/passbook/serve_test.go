package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServer starts a real server on a free loopback port with a fresh data directory and
// returns its base URL; it stops when the test ends.
func startServer(t *testing.T, extra ...string) (baseURL string, stdout *bytes.Buffer) {
	t.Helper()
	cfg, err := parseConfig("serve", append([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "warn"}, extra...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout = new(bytes.Buffer)
	srv, err := newServer(ctx, cfg, stdout, cfg.logger(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shutdown: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("server did not shut down")
		}
	})
	return "http://" + ln.Addr().String(), stdout
}

// What the first start prints about the default customer.
var (
	reCustomerID = regexp.MustCompile(`CustomerId: (\S+)`)
	reAPIKey     = regexp.MustCompile(`x-api-key \(data endpoints\): (\S+)`)
	reAuthKey    = regexp.MustCompile(`flinks-auth-key \(GenerateAuthorizeToken\): (\S+)`)
)

// printedKeys are the default customer's id and keys, as a first start prints them.
type printedKeys struct{ CustomerID, APIKey, AuthKey string }

// keysFrom reads the printed keys from a server's output.
func keysFrom(t testing.TB, out string) printedKeys {
	t.Helper()
	var k printedKeys
	for _, f := range []struct {
		re  *regexp.Regexp
		dst *string
	}{{reCustomerID, &k.CustomerID}, {reAPIKey, &k.APIKey}, {reAuthKey, &k.AuthKey}} {
		m := f.re.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("the server did not print %s:\n%s", f.re, out)
		}
		*f.dst = m[1]
	}
	return k
}

// postJSON posts a JSON body with the given headers, decodes the answer into v and returns the
// status.
func postJSON(t testing.TB, url string, headers map[string]string, body string, v any) int {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, x := range headers {
		req.Header.Set(k, x)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("POST %s: the answer is not JSON: %v", url, err)
	}
	return resp.StatusCode
}

func TestServeStartsWithNoConfig(t *testing.T) {
	base, out := startServer(t)
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
	if !strings.Contains(out.String(), "x-api-key") {
		t.Fatalf("first start did not print the default customer's keys:\n%s", out)
	}
}

func TestCommandLine(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &out, &errb); err != nil || !strings.Contains(out.String(), "serve") {
		t.Fatalf("--help: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"nonsense"}, &out, &errb); err != errUsage {
		t.Fatalf("unknown command: %v", err)
	}
	t.Setenv("PASSBOOK_ADDR", "127.0.0.1:9999")
	cfg, err := parseConfig("serve", nil, io.Discard)
	if err != nil || cfg.Addr != "127.0.0.1:9999" {
		t.Fatalf("env: %+v %v", cfg, err)
	}
	cfg, err = parseConfig("serve", []string{"--addr", ":7"}, io.Discard)
	if err != nil || cfg.Addr != ":7" {
		t.Fatalf("flag over env: %+v %v", cfg, err)
	}
	if _, err := parseConfig("serve", []string{"--log-format", "xml"}, io.Discard); err == nil {
		t.Fatal("bad log format accepted")
	}
}
