package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestCustomerCommands adds a second lender with `passbook customer`, and checks against a running
// server that its keys work for it alone, that rotating them retires the old ones, and that a
// disabled customer is refused.
func TestCustomerCommands(t *testing.T) {
	dir := t.TempDir()
	customer := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(context.Background(), append(append([]string{"customer"}, args...), "--data", dir), &out, &errb); err != nil {
			t.Fatalf("customer %v: %v %s", args, err, errb.String())
		}
		return out.String()
	}
	second := keysFrom(t, customer("create", "--name", "Second Lender"))
	if l := customer("list"); !strings.Contains(l, second.CustomerID) || !strings.Contains(l, "Second Lender") || !strings.Contains(l, "active") {
		t.Fatalf("list:\n%s", l)
	}
	base, out := startServer(t, "--data", dir)
	first := keysFrom(t, out.String())
	token := func(cid, secret string) int {
		var v map[string]any
		return postJSON(t, base+"/v3/"+cid+"/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": secret}, "", &v)
	}
	if st := token(second.CustomerID, second.AuthKey); st != 200 {
		t.Fatalf("second customer's own secret: %d", st)
	}
	if st := token(first.CustomerID, second.AuthKey); st != 401 {
		t.Fatalf("second customer's secret on the first customer: %d", st)
	}
	rotated := keysFrom(t, customer("rotate-keys", second.CustomerID))
	if st := token(second.CustomerID, second.AuthKey); st != 401 {
		t.Fatalf("old secret after rotation: %d", st)
	}
	if st := token(second.CustomerID, rotated.AuthKey); st != 200 {
		t.Fatalf("new secret after rotation: %d", st)
	}
	customer("disable", second.CustomerID)
	if st := token(second.CustomerID, rotated.AuthKey); st != 401 {
		t.Fatalf("disabled customer: %d", st)
	}
	if l := customer("list"); !strings.Contains(l, "disabled") {
		t.Fatalf("list after disable:\n%s", l)
	}
	var out2, errb bytes.Buffer
	if err := run(context.Background(), []string{"customer", "disable", "nobody", "--data", dir}, &out2, &errb); err == nil {
		t.Fatal("disabling an unknown customer succeeded")
	}
	// A lost key of the first-start customer: reset-key with no id.
	reset := keysFrom(t, customer("reset-key"))
	if reset.CustomerID != first.CustomerID || token(first.CustomerID, first.AuthKey) != 401 || token(first.CustomerID, reset.AuthKey) != 200 {
		t.Fatalf("reset-key: %+v", reset)
	}
	// A one-time link that makes a Dashboard admin, on the running server.
	m := regexp.MustCompile(`(/dashboard/setup/\S+)`).FindStringSubmatch(customer("admin-link", "--url", base))
	if m == nil {
		t.Fatal("admin-link printed no link")
	}
	resp, err := http.Get(base + m[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("admin link: %d", resp.StatusCode)
	}
}
