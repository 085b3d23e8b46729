package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/flinksclient"
	"github.com/passbookhq/passbook/internal/openapicheck"
	"github.com/passbookhq/passbook/internal/pdfgen"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// TestFlinksConformance runs an integrator's whole path against the real binary with a client
// written from Flinks' documentation (internal/flinksclient): Token and Bearer, GenerateAuthorizeToken,
// Authorize with MFA, GetAccountsDetail(+Async), GetAccountsSummary(+Async), GetStatements read
// back by `passbook parse`, a pending login polled to 200, DeleteCard (CARD_IN_USE, then deleted),
// an upload with its FraudAnalysis and its original file from GetStatements, the webhooks
// verified with the flinks-authenticity-key, and the documented error codes.
func TestFlinksConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var mu sync.Mutex
	var secret string
	var events []map[string]any
	unverified := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !flinksclient.VerifyWebhook(secret, r.Header, b) {
			unverified++
			w.WriteHeader(401)
			return
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		events = append(events, m)
	}))
	defer rcv.Close()
	event := func(typ, login string) map[string]any {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			for _, m := range events {
				id, _ := m["LoginId"].(string)
				if l, ok := m["Login"].(map[string]any); ok {
					id, _ = l["Id"].(string)
				}
				if m["EventType"] == typ && id == login {
					mu.Unlock()
					return m
				}
			}
			mu.Unlock()
			time.Sleep(25 * time.Millisecond)
		}
		mu.Lock()
		var seen []string
		for _, m := range events {
			seen = append(seen, fmt.Sprint(m["EventType"], m["LoginId"], m["ResponseType"]))
		}
		mu.Unlock()
		t.Fatalf("no %s webhook for %s; got %v", typ, login, seen)
		return nil
	}

	p := startBinary(t, bin, "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--log-level", "warn",
		"--allow-private-webhooks", "--webhook-url", rcv.URL+"/flinks", "--demo-receiver=false")
	base, cid, apiKey, authKey := p.find(t, reListening), p.find(t, reCustomerID), p.find(t, reAPIKey), p.find(t, reAuthKey)
	mu.Lock()
	secret = p.find(t, reSecret)
	mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := &flinksclient.Client{BaseURL: base, CustomerID: cid}
	key := flinksclient.APIKey(apiKey)
	var fe *flinksclient.Error
	code := func(err error) string {
		var fe *flinksclient.Error
		if errors.As(err, &fe) {
			return fe.FlinksCode
		}
		return fmt.Sprint(err)
	}

	// Token, then Authorize with Authorization: Bearer and answers to the security questions.
	access, err := c.Token(ctx, authKey)
	if err != nil || access == "" {
		t.Fatalf("Token: %v", err)
	}
	bearer := flinksclient.Bearer(access)
	res, err := c.Authorize(ctx, bearer, flinksclient.AuthorizeRequest{Institution: "FlinksCapital", Username: "Greatday", Password: "Everyday", Save: true, Tag: "conformance"})
	answers := map[string]string{"What city were you born in?": "Montreal", "What is the best country on earth?": "Canada", "What shape do people like most?": "Triangle"}
	for err == nil && res.HttpStatusCode == 203 {
		resp := map[string][]string{}
		for _, ch := range res.SecurityChallenges {
			resp[ch.Prompt] = []string{answers[ch.Prompt]}
		}
		res, err = c.Authorize(ctx, bearer, flinksclient.AuthorizeRequest{RequestId: res.RequestId, SecurityResponses: resp})
	}
	if err != nil || res.HttpStatusCode != 200 || res.Login == nil {
		t.Fatalf("Authorize Greatday: %v %+v", err, res)
	}
	loginID, rid := res.Login.Id, res.RequestId
	rels := map[string]bool{}
	for _, l := range res.Links {
		rels[l.Rel] = true
	}
	if !rels["AccountsDetail"] || !rels["AccountsSummary"] || !rels["Statements"] {
		t.Fatalf("Authorize Links: %+v", res.Links)
	}

	// GetAccountsDetail with the x-api-key; its Async (POST, as published clients send it) with Bearer.
	var detail flinksclient.AccountsResponse
	if _, err := c.Do(ctx, "POST", "BankingServices/GetAccountsDetail", key, flinksclient.AccountsRequest{RequestId: rid, DaysOfTransactions: "Days365"}, &detail); err != nil {
		t.Fatalf("GetAccountsDetail: %v", err)
	}
	if len(detail.Accounts) != 6 || detail.InstitutionName != "FlinksCapital" || detail.InstitutionId == nil || detail.Tag == nil || *detail.Tag != "conformance" {
		t.Fatalf("GetAccountsDetail: %d accounts, %+v", len(detail.Accounts), detail)
	}
	for _, a := range detail.Accounts {
		if a.AccountType == "" || a.Holder == nil || a.Holder.Address.POBox != nil || len(a.Transactions) == 0 {
			t.Fatalf("account %+v", a)
		}
	}
	var again flinksclient.AccountsResponse
	if _, err := c.Do(ctx, "POST", "BankingServices/GetAccountsDetailAsync/"+rid, bearer, nil, &again); err != nil || len(again.Accounts) != 6 {
		t.Fatalf("GetAccountsDetailAsync: %v", err)
	}
	var sum flinksclient.AccountsResponse
	if _, err := c.Do(ctx, "POST", "BankingServices/GetAccountsSummary", key, map[string]string{"RequestId": rid}, &sum); err != nil || len(sum.Accounts) != 6 || len(sum.Links) == 0 {
		t.Fatalf("GetAccountsSummary: %v %+v", err, sum)
	}
	for _, a := range sum.Accounts {
		if a.EftEligibleRatio == nil || a.ETransferEligibleRatio == nil || len(a.Transactions) != 0 {
			t.Fatalf("summary account %+v", a)
		}
	}
	if err := c.Poll(ctx, "GetAccountsSummaryAsync", rid, key, time.Second, &sum); err != nil || len(sum.Accounts) != 6 {
		t.Fatalf("GetAccountsSummaryAsync: %v", err)
	}

	// The linked login's webhook carries its accounts.
	ev := event("LOGIN_COMPLETED", loginID)
	if ev["ResponseType"] != "GetAccountsDetail" || len(ev["Accounts"].([]any)) != 6 {
		t.Fatalf("LOGIN_COMPLETED: %v", ev)
	}

	// GetStatements: twelve months of PDFs that `passbook parse` reads back to the transactions
	// GetAccountsDetail returned for those months (deposit accounts).
	var sts flinksclient.StatementsResponse
	if _, err := c.Do(ctx, "POST", "BankingServices/GetStatements", key, map[string]any{"RequestId": rid, "NumberOfStatements": "Months12"}, &sts); err != nil {
		t.Fatalf("GetStatements: %v", err)
	}
	if len(sts.StatementsByAccount) != 6 {
		t.Fatalf("GetStatements: %d accounts", len(sts.StatementsByAccount))
	}
	for i, g := range sts.StatementsByAccount {
		a := detail.Accounts[i]
		if g.AccountNumber != a.AccountNumber || len(g.Statements) < 11 {
			t.Fatalf("statements of %s: %s, %d", a.AccountNumber, g.AccountNumber, len(g.Statements))
		}
		if a.Category != "Operations" {
			continue // credit-card statements: see TestSandboxStatementsReadBack
		}
		var files []string
		for j, s := range g.Statements {
			b, err := s.Bytes()
			if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || s.FileType != "PDF" {
				t.Fatalf("statement %s: %v", s.UniqueId, err)
			}
			f := filepath.Join(dir, fmt.Sprintf("st-%d-%02d.pdf", i, j))
			os.WriteFile(f, b, 0o600)
			files = append(files, f)
		}
		out, err := exec.Command(bin, append([]string{"parse"}, files...)...).Output()
		if err != nil {
			t.Fatalf("passbook parse: %v", err)
		}
		var parsed struct {
			Accounts []flinksclient.Account
		}
		if err := json.Unmarshal(out, &parsed); err != nil || len(parsed.Accounts) != 1 {
			t.Fatalf("parse of %s: %v, %d accounts", a.Title, err, len(parsed.Accounts))
		}
		row := func(x flinksclient.Transaction) string {
			f := func(p *float64) string {
				if p == nil || *p == 0 {
					return "-"
				}
				return fmt.Sprintf("%.2f", *p)
			}
			return x.Date + "|" + x.Description + "|" + f(x.Debit) + "|" + f(x.Credit) + "|" + f(x.Balance)
		}
		from, to := "9999", ""
		var have []string
		for _, x := range parsed.Accounts[0].Transactions {
			have = append(have, row(x))
		}
		// The months covered: from the first of the oldest statement's month to the end of the newest.
		for _, x := range parsed.Accounts[0].Transactions {
			from, to = min(from, x.Date[:7]), max(to, x.Date[:7])
		}
		var want []string
		for _, x := range a.Transactions {
			if m := x.Date[:7]; m >= from && m <= to {
				want = append(want, row(x))
			}
		}
		sort.Strings(have)
		sort.Strings(want)
		if strings.Join(have, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: parse read %d transactions, GetAccountsDetail has %d for %s..%s", a.Title, len(have), len(want), from, to)
		}
	}

	// A pending login: 202, Async polled to 200; DeleteCard meanwhile is CARD_IN_USE.
	tok, err := c.GenerateAuthorizeToken(ctx, authKey)
	if err != nil {
		t.Fatal(err)
	}
	pend, err := c.Authorize(ctx, flinksclient.AuthKey(tok), flinksclient.AuthorizeRequest{Institution: "FlinksCapital", Username: "test_pending", Password: "Everyday"})
	if err != nil || pend.HttpStatusCode != 202 || pend.FlinksCode != "OPERATION_PENDING" {
		t.Fatalf("test_pending: %v %+v", err, pend)
	}
	if _, err := c.Do(ctx, "DELETE", "BankingServices/DeleteCard/"+pend.Login.Id, key, nil, nil); code(err) != "CARD_IN_USE" {
		t.Fatalf("DeleteCard while pending: %v", err)
	}
	var pd flinksclient.AccountsResponse
	if st, err := c.Do(ctx, "POST", "BankingServices/GetAccountsDetail", key, flinksclient.AccountsRequest{RequestId: pend.RequestId}, &pd); err != nil || st != 202 {
		t.Fatalf("GetAccountsDetail while pending: %d %v", st, err)
	}
	if err := c.Poll(ctx, "GetAccountsDetailAsync", pend.RequestId, key, 500*time.Millisecond, &pd); err != nil || len(pd.Accounts) == 0 {
		t.Fatalf("GetAccountsDetailAsync: %v", err)
	}
	if _, err := c.Do(ctx, "DELETE", "BankingServices/DeleteCard/"+pend.Login.Id, key, nil, nil); err != nil {
		t.Fatalf("DeleteCard once ready: %v", err)
	}

	// An upload: its webhook, its FraudAnalysis (Bearer with the secret, as documented) and its
	// original file from GetStatements.
	pdf := uploadtest.New("00417-55501", 2, 30).PDF(45)
	rc := struct{ LoginId string }{postUpload(t, base, cid, apiKey, namedFile{"march.pdf", pdf})}
	if up := event("UPLOAD_COMPLETED", rc.LoginId); up["ResponseType"] != "GetAccountsDetail" {
		t.Fatalf("UPLOAD_COMPLETED: %v", up)
	}
	var fa flinksclient.FraudAnalysis
	if _, err := c.Do(ctx, "GET", "upload/fraudanalysis/"+rc.LoginId, flinksclient.Bearer(authKey), nil, &fa); err != nil {
		t.Fatalf("FraudAnalysis: %v", err)
	}
	if fa.HttpStatusCode != 200 || fa.Message == "" || fa.Login.LoginId != rc.LoginId || fa.Login.RequestId == "" || len(fa.DocumentAnalysis) != 1 || fa.DocumentAnalysis[0].Status == "" {
		t.Fatalf("FraudAnalysis: %+v", fa)
	}
	ur, err := c.Authorize(ctx, flinksclient.AuthKey(authKey), flinksclient.AuthorizeRequest{LoginId: rc.LoginId, MostRecentCached: true})
	if err != nil {
		t.Fatalf("Authorize upload login: %v", err)
	}
	if _, err := c.Do(ctx, "POST", "BankingServices/GetStatements", key, map[string]string{"RequestId": ur.RequestId}, &sts); err != nil {
		t.Fatalf("GetStatements of the upload: %v", err)
	}
	if len(sts.StatementsByAccount) != 1 || len(sts.StatementsByAccount[0].Statements) != 1 {
		t.Fatalf("GetStatements of the upload: %+v", sts)
	}
	if got, _ := sts.StatementsByAccount[0].Statements[0].Bytes(); !bytes.Equal(got, pdf) {
		t.Fatal("GetStatements did not return the uploaded file as received")
	}

	// A failed upload: its webhook's HttpStatusCode is what GetAccountsDetail answers for the login.
	// A page of 250,000 rectangles in two content streams passes the intake's checks and fails
	// reading (over the objects a page may hold).
	bad := struct{ LoginId string }{postUpload(t, base, cid, apiKey, namedFile{"crowded.pdf", pdfgen.Bomb(pdfgen.Flate, pdfgen.TwoStreams, pdfgen.Rects(125_000))})}
	failed := event("UPLOAD_FAILED", bad.LoginId)
	br, err := c.Authorize(ctx, flinksclient.AuthKey(authKey), flinksclient.AuthorizeRequest{LoginId: bad.LoginId, MostRecentCached: true})
	if err != nil {
		t.Fatalf("Authorize failed upload login: %v", err)
	}
	_, err = c.Do(ctx, "POST", "BankingServices/GetAccountsDetail", key, flinksclient.AccountsRequest{RequestId: br.RequestId}, nil)
	if !errors.As(err, &fe) || float64(fe.HttpStatusCode) != failed["HttpStatusCode"] || fe.FlinksCode != failed["FlinksCode"] {
		t.Fatalf("GetAccountsDetail of the failed upload: %v; its webhook said %v %v", err, failed["HttpStatusCode"], failed["FlinksCode"])
	}

	// Documented errors.
	if _, err := c.Authorize(ctx, flinksclient.AuthKey("not-a-key"), flinksclient.AuthorizeRequest{LoginId: loginID, MostRecentCached: true}); code(err) != "ACCESS_DENIED" {
		t.Fatalf("wrong flinks-auth-key: %v", err)
	}
	if _, err := c.Do(ctx, "GET", "BankingServices/GetAccountsDetail", key, nil, nil); !errors.As(err, &fe) || fe.Status != 405 || fe.Allow != "POST" {
		t.Fatalf("GET GetAccountsDetail: %v", err)
	}
	lower := &flinksclient.Client{BaseURL: base, CustomerID: strings.ToUpper(cid)}
	if _, err := lower.Do(ctx, "POST", "bankingservices/getaccountssummary", key, map[string]string{"RequestId": rid}, &sum); err != nil {
		t.Fatalf("case-insensitive path: %v", err)
	}

	// The routes outside BankingServices answer as /openapi.json describes them (the API's own
	// test checks BankingServices): every response below is validated against the document.
	var doc map[string]any
	if resp, err := http.Get(base + "/openapi.json"); err != nil {
		t.Fatal(err)
	} else {
		json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
	}
	check := func(method, route, path string, headers map[string]string, body string, want int) map[string]any {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
		}
		if want == 204 {
			return nil
		}
		schema, err := openapicheck.Response(doc, method, route, resp.StatusCode)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, path, raw)
		}
		if err := openapicheck.Validate(doc, schema, v, method+" "+route); err != nil {
			t.Fatal(err)
		}
		m, _ := v.(map[string]any)
		return m
	}
	api := map[string]string{"x-api-key": apiKey}
	v3 := "/v3/" + cid
	check("GET", "/v3/{customerId}/upload/fraudanalysis/{loginId}", v3+"/upload/fraudanalysis/"+rc.LoginId, map[string]string{"Authorization": "Bearer " + access}, "", 200)
	check("GET", "/v3/{customerId}/upload/fraudanalysis/{loginId}", strings.ToUpper(v3)+"/UPLOAD/FraudAnalysis/"+rc.LoginId, api, "", 200)
	check("GET", "/v3/{customerId}/upload/fraudanalysis/{loginId}", v3+"/upload/fraudanalysis/"+loginID, api, "", 400)
	check("POST", "/v3/{customerId}/upload/fraudanalysis/{loginId}", v3+"/upload/fraudanalysis/"+rc.LoginId, api, "", 405)
	ep := check("POST", "/v3/{customerId}/webhooks", v3+"/webhooks", api, `{"Url":"`+rcv.URL+`/second","EventTypes":["KYC"]}`, 201)
	list := check("GET", "/v3/{customerId}/webhooks", v3+"/webhooks", map[string]string{"Authorization": "Bearer " + authKey}, "", 200)
	if n := len(list["Endpoints"].([]any)); n != 2 {
		t.Fatalf("%d endpoints", n)
	}
	first := list["Endpoints"].([]any)[0].(map[string]any)["Id"].(string)
	dl := check("GET", "/v3/{customerId}/webhooks/{endpointId}/deliveries", v3+"/webhooks/"+first+"/deliveries", api, "", 200)
	if len(dl["Deliveries"].([]any)) == 0 {
		t.Fatal("no deliveries logged")
	}
	id := fmt.Sprint(int64(dl["Deliveries"].([]any)[0].(map[string]any)["Id"].(float64)))
	check("POST", "/v3/{customerId}/webhooks/deliveries/{deliveryId}/redeliver", v3+"/webhooks/deliveries/"+id+"/redeliver", api, "", 202)
	check("PUT", "/v3/{customerId}/webhooks", v3+"/webhooks", api, "", 405)
	check("DELETE", "/v3/{customerId}/webhooks/{endpointId}", v3+"/webhooks/"+ep["Id"].(string), api, "", 204)

	mu.Lock()
	defer mu.Unlock()
	if unverified != 0 {
		t.Fatalf("%d webhooks failed the flinks-authenticity-key check", unverified)
	}
}
