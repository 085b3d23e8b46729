package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook/webhook"
)

// receiver collects verified webhooks per endpoint secret.
type receiver struct {
	mu     sync.Mutex
	secret string
	got    []map[string]any
	types  []string
	bad    int
	srv    *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if webhook.Verify(r.secret, req.Header, b, time.Now(), webhook.DefaultTolerance) != nil {
			r.bad++
			w.WriteHeader(401)
			return
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		r.got = append(r.got, m)
		r.types = append(r.types, m["EventType"].(string))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// wait returns the first verified event of type typ about login (any login when "").
func (r *receiver) wait(t *testing.T, typ, login string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for _, m := range r.got {
			l, _ := m["Login"].(map[string]any)
			id, _ := m["LoginId"].(string)
			if l != nil {
				id, _ = l["Id"].(string)
			}
			if m["EventType"] == typ && (login == "" || id == login) {
				r.mu.Unlock()
				return m
			}
		}
		r.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s webhook for login %q; got %v", typ, login, r.types)
	return nil
}

// A linked login (Greatday, through its security questions) is announced to the customer's
// endpoints with its accounts, signed; endpoints choose their event types; a pending login is
// announced once ready; a failed attempt is announced with the status the API answered.
func TestLinkedLoginWebhooks(t *testing.T) {
	base, out := startServer(t, "--allow-private-webhooks", "--demo-receiver=false")
	k := keysFrom(t, out.String())
	hooks := base + "/v3/" + k.CustomerID + "/webhooks"
	all, dflt := newReceiver(t), newReceiver(t)
	for _, c := range []struct {
		r     *receiver
		types []string
	}{{all, []string{"LOGIN_COMPLETED", "login_failed", "KYC"}}, {dflt, nil}} {
		var ep struct {
			Secret     string
			EventTypes []string
		}
		body, _ := json.Marshal(map[string]any{"Url": c.r.srv.URL + "/hook", "EventTypes": c.types})
		if st := postJSON(t, hooks, map[string]string{"x-api-key": k.APIKey}, string(body), &ep); st != 201 || ep.Secret == "" {
			t.Fatalf("create endpoint: %d", st)
		}
		c.r.secret = ep.Secret
	}
	var bad map[string]any
	if st := postJSON(t, hooks, map[string]string{"x-api-key": k.APIKey}, `{"Url":"http://127.0.0.1:1/x","EventTypes":["EVERYTHING"]}`, &bad); st != 400 {
		t.Fatalf("unknown event type: %d %v", st, bad)
	}

	bs := base + "/v3/" + k.CustomerID + "/BankingServices/"
	auth := map[string]string{"flinks-auth-key": k.AuthKey}
	var m map[string]any
	st := postJSON(t, bs+"Authorize", auth, `{"Institution":"FlinksCapital","Username":"Greatday","Password":"Everyday","Tag":"user-7"}`, &m)
	answers := map[string]string{"What city were you born in?": "Montreal", "What is the best country on earth?": "Canada", "What shape do people like most?": "Triangle"}
	for st == 203 {
		resp := map[string][]string{}
		for _, c := range m["SecurityChallenges"].([]any) {
			p := c.(map[string]any)["Prompt"].(string)
			resp[p] = []string{answers[p]}
		}
		body, _ := json.Marshal(map[string]any{"RequestId": m["RequestId"], "SecurityResponses": resp})
		m = nil
		st = postJSON(t, bs+"Authorize", auth, string(body), &m)
	}
	if st != 200 {
		t.Fatalf("Greatday: %d %v", st, m)
	}
	loginID, rid := m["Login"].(map[string]any)["Id"].(string), m["RequestId"].(string)
	var detail map[string]any
	if st := postJSON(t, bs+"GetAccountsDetail", map[string]string{"x-api-key": k.APIKey}, `{"RequestId":"`+rid+`","DaysOfTransactions":"Days365"}`, &detail); st != 200 {
		t.Fatalf("GetAccountsDetail: %d", st)
	}

	ev := all.wait(t, "LOGIN_COMPLETED", loginID)
	accts, _ := ev["Accounts"].([]any)
	if ev["ResponseType"] != "GetAccountsDetail" || ev["HttpStatusCode"] != 200.0 || ev["Tag"] != "user-7" || ev["RequestId"] != rid ||
		ev["InstitutionId"] != 14.0 || len(accts) != len(detail["Accounts"].([]any)) || len(accts) == 0 {
		t.Fatalf("completed event: %v", ev)
	}
	for i, a := range accts {
		want := detail["Accounts"].([]any)[i].(map[string]any)
		if a.(map[string]any)["Id"] != want["Id"] || a.(map[string]any)["AccountNumber"] != want["AccountNumber"] {
			t.Fatalf("account %d: %v, GetAccountsDetail says %v", i, a, want)
		}
	}
	kyc := all.wait(t, "KYC", loginID)
	if kyc["ResponseType"] != "KYC" || len(kyc["Holders"].([]any)) == 0 {
		t.Fatalf("KYC event: %v", kyc)
	}
	dflt.wait(t, "LOGIN_COMPLETED", loginID)

	// A pending login is announced when its data turns ready.
	m = nil
	if st := postJSON(t, bs+"Authorize", auth, `{"Institution":"FlinksCapital","Username":"test_pending","Password":"Everyday"}`, &m); st != 202 {
		t.Fatalf("test_pending: %d %v", st, m)
	}
	pending := m["Login"].(map[string]any)["Id"].(string)
	all.wait(t, "LOGIN_COMPLETED", pending)

	// A failed attempt on the existing login: the event says what Authorize answered.
	m = nil
	st = postJSON(t, bs+"Authorize", auth, `{"Institution":"FlinksCapital","Username":"Greatday","Password":"nope"}`, &m)
	failed := all.wait(t, "LOGIN_FAILED", loginID)
	if failed["HttpStatusCode"] != float64(st) || failed["FlinksCode"] != m["FlinksCode"] || failed["Tag"] != "user-7" {
		t.Fatalf("failed event %v; Authorize answered %d %v", failed, st, m)
	}
	time.Sleep(300 * time.Millisecond)
	all.mu.Lock()
	dflt.mu.Lock()
	defer all.mu.Unlock()
	defer dflt.mu.Unlock()
	for _, typ := range dflt.types {
		if typ == "KYC" {
			t.Fatal("an endpoint without event types received the opt-in KYC")
		}
	}
	if all.bad != 0 || dflt.bad != 0 {
		t.Fatalf("%d+%d deliveries failed verification", all.bad, dflt.bad)
	}
}
