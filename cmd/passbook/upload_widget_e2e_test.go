package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/passbookhq/passbook/internal/browser"
	"github.com/passbookhq/passbook/webhook"
)

// TestWidgetUploadEndToEnd is the Fallback path of issue 5 on the real server, in real
// Chromium: a login fails with a fallback code, the customer uploads three statement PDFs from
// the upload screen, lands on redirectUrl with the LoginId, the lender's receiver gets the
// signed "completed" webhook (verified with package webhook), and GetAccountsDetail returns the
// statements' accounts and transactions.
func TestWidgetUploadEndToEnd(t *testing.T) {
	widgetUpload(t, filepath.Join("..", "..", "statement", "testdata"), []string{"atlas-00.pdf", "coop-00.pdf", "harbour-00.pdf"}, 60*time.Second)
}

// TestWidgetUploadScansEndToEnd is the same path for the people who cannot download a PDF
// (issue 12): a JPEG photo of a paper statement and an image-only scanned PDF, read by OCR
// (Tesseract), end in the verified webhook and GetAccountsDetail with their transactions.
func TestWidgetUploadScansEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract is not installed (Debian package tesseract-ocr)")
	}
	widgetUpload(t, filepath.Join("..", "..", "ocr", "testdata"), []string{"birch-00-photo.jpg", "quartz-01-scan.pdf"}, 5*time.Minute)
}

// widgetUpload uploads the named files of dir (each with its truth NAME.json beside it) through
// the widget's upload screen and checks the webhook and GetAccountsDetail against the truth;
// reading them may take up to readFor.
func widgetUpload(t *testing.T, dir string, names []string, readFor time.Duration) {
	b := browser.ForTest(t)
	// The lender: a landing page for redirectUrl and a webhook receiver that verifies signatures.
	var mu sync.Mutex
	var secret string
	var verified [][]byte
	bad := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/landing" {
			io.WriteString(w, `<!doctype html><title>Lender</title><p id="landed">back at the lender</p>`)
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/hook" { // the browser's favicon.ico, …
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if secret == "" || webhook.Verify(secret, r.Header, body, time.Now(), webhook.DefaultTolerance) != nil {
			bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		verified = append(verified, body)
	}))
	defer rcv.Close()

	base, out := startServer(t, "--allow-private-webhooks")
	keys := keysFrom(t, out.String())
	customerID, apiKey, authKey := keys.CustomerID, keys.APIKey, keys.AuthKey
	call := func(path string, header map[string]string, body string, v any) int {
		t.Helper()
		return postJSON(t, base+"/v3/"+customerID+path, header, body, v)
	}
	var ep struct{ Id, Secret string }
	if st := call("/webhooks", map[string]string{"x-api-key": apiKey}, `{"Url":"`+rcv.URL+`/hook"}`, &ep); st != http.StatusCreated || ep.Secret == "" {
		t.Fatalf("register the webhook endpoint: %d %+v", st, ep)
	}
	mu.Lock()
	secret = ep.Secret
	mu.Unlock()

	// The customer, in the widget: a failed login, then the upload offer.
	ctx, cancel := chromedp.NewContext(b)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second+readFor)
	defer cancel()
	// wait polls expr until it is truthy; evaluations that fail because the page is navigating
	// are tried again.
	wait := func(expr string) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); ; {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () { try { return document.readyState === "complete" && !!(`+expr+`); } catch (e) { return false; } })()`))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
				t.Fatalf("waiting for %s: %v\n%s", expr, err, page)
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	js := func(code string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {`+code+`; return true; })()`)); err != nil {
			t.Fatalf("%v\n%s", err, code)
		}
	}
	widget := base + "/v2/?demo=true&redirectUrl=" + url.QueryEscape(rcv.URL+"/landing")
	if err := chromedp.Do(ctx, chromedp.Navigate(widget)); err != nil {
		t.Fatal(err)
	}
	wait(`document.querySelector("button[name=institution][value=FlinksCapital]")`)
	js(`document.querySelector("button[name=institution][value=FlinksCapital]").click()`)
	wait(`document.getElementById("pb-credentials")`)
	js(`document.getElementById("pb-username").value = "test_invalid_password";
		document.getElementById("pb-password").value = "wrong";
		document.getElementById("pb-submit").click()`)
	wait(`document.querySelector("#pb-error[data-flinks-code=INVALID_PASSWORD]") && document.getElementById("pb-upload")`)
	js(`document.getElementById("pb-upload").click()`)
	wait(`document.getElementById("pb-upload-form")`)

	// Committed statement fixtures, given to the file input as a picker would.
	var files []string
	for _, name := range names {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b64, _ := json.Marshal(base64.StdEncoding.EncodeToString(raw))
		typ := mime.TypeByExtension(filepath.Ext(name))
		files = append(files, `new File([Uint8Array.from(atob(`+string(b64)+`), function (c) { return c.charCodeAt(0); })], "`+name+`", {type: "`+typ+`"})`)
	}
	js(`var dt = new DataTransfer(); [` + strings.Join(files, ",") + `].forEach(function (f) { dt.items.add(f); });
		var input = document.getElementById("pb-files"); input.files = dt.files; input.dispatchEvent(new Event("change"))`)
	wait(`document.querySelectorAll("#pb-upload-files li").length === ` + strconv.Itoa(len(names)) + ` && !document.getElementById("pb-upload-send").disabled`)
	js(`document.getElementById("pb-upload-send").click()`)
	wait(`document.getElementById("landed")`)
	landed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil {
		t.Fatal(err)
	}
	lu, _ := url.Parse(landed)
	loginID := lu.Query().Get("loginId")
	if loginID == "" || lu.Query().Get("institution") != "FlinksCapital" {
		t.Fatalf("landed on %s", landed)
	}

	// The lender's receiver gets the completed event, signed, with the accounts.
	var completed map[string]any
	for deadline := time.Now().Add(readFor); completed == nil; {
		mu.Lock()
		for _, body := range verified {
			var m map[string]any
			if json.Unmarshal(body, &m) == nil && m["ResponseType"] == "GetAccountsDetail" && strings.Contains(string(body), loginID) {
				completed = m
			}
		}
		mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no verified completed webhook for %s (%d verified, %d bad)", loginID, len(verified), bad)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	if bad != 0 {
		t.Errorf("%d deliveries failed verification", bad)
	}
	mu.Unlock()

	// The lender's server reads the same data through the API.
	var auth struct{ RequestId string }
	if st := call("/BankingServices/Authorize", map[string]string{"flinks-auth-key": authKey}, `{"LoginId":"`+loginID+`","MostRecentCached":true}`, &auth); st >= 400 || auth.RequestId == "" {
		t.Fatalf("Authorize: %d %+v", st, auth)
	}
	type account struct {
		AccountNumber string
		Transactions  []struct{ Description string }
	}
	var detail struct {
		HttpStatusCode int
		Accounts       []account
	}
	if st := call("/BankingServices/GetAccountsDetail", map[string]string{"x-api-key": apiKey}, `{"RequestId":"`+auth.RequestId+`"}`, &detail); st != 200 {
		t.Fatalf("GetAccountsDetail: %d", st)
	}
	// The truth committed beside each fixture: every account, by its last four digits, with
	// its transactions.
	wantTx := 0
	for _, name := range names {
		raw, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name))+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var truth struct {
			Accounts []struct {
				Number       string
				Transactions []json.RawMessage
			}
		}
		if err := json.Unmarshal(raw, &truth); err != nil {
			t.Fatal(err)
		}
		for _, ta := range truth.Accounts {
			wantTx += len(ta.Transactions)
			num := strings.ReplaceAll(ta.Number, " ", "")
			last4 := num[len(num)-4:]
			found := false
			for _, a := range detail.Accounts {
				if strings.HasSuffix(strings.ReplaceAll(a.AccountNumber, " ", ""), last4) && len(a.Transactions) == len(ta.Transactions) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no account ending in %s with %d transactions", name, last4, len(ta.Transactions))
			}
		}
	}
	gotTx := 0
	for _, a := range detail.Accounts {
		gotTx += len(a.Transactions)
	}
	if gotTx != wantTx {
		t.Errorf("GetAccountsDetail has %d transactions in %d accounts, the statements %d", gotTx, len(detail.Accounts), wantTx)
	}
	if accts, _ := completed["Accounts"].([]any); len(accts) != len(detail.Accounts) {
		t.Errorf("the webhook carries %d accounts, GetAccountsDetail %d", len(accts), len(detail.Accounts))
	}
}

// TestDemoReceiverGetsWebhooks checks the demo of a fresh start, with no configuration: the
// webhook guard refuses private addresses, yet the built-in demo receiver gets the upload's
// events, verified, and lists them at /demo/webhooks.
func TestDemoReceiverGetsWebhooks(t *testing.T) {
	base, out := startServer(t)
	keys := keysFrom(t, out.String())
	customerID, apiKey := keys.CustomerID, keys.APIKey
	// A private endpoint is still refused through the API.
	req, _ := http.NewRequest("POST", base+"/v3/"+customerID+"/webhooks", strings.NewReader(`{"Url":"http://127.0.0.1:9/hook"}`))
	req.Header.Set("x-api-key", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a loopback endpoint was accepted: %d", resp.StatusCode)
	}

	raw, err := os.ReadFile(filepath.Join("..", "..", "statement", "testdata", "atlas-00.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("files", "atlas-00.pdf")
	w.Write(raw)
	mw.Close()
	req, _ = http.NewRequest("POST", base+"/v3/"+customerID+"/upload", strings.NewReader(buf.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", apiKey)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rc struct{ LoginId string }
	json.NewDecoder(resp.Body).Decode(&rc)
	resp.Body.Close()
	if resp.StatusCode != 200 || rc.LoginId == "" {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	// The receiver's pages show the customer's data: staff sign in first.
	if resp, err := http.Get(base + "/demo/webhooks.json"); err != nil || resp.StatusCode != 401 {
		t.Fatalf("the demo receiver without sign-in: %v %v", resp, err)
	}
	staff := staffClient(t, base, out.String())
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := staff.Get(base + "/demo/webhooks.json")
		if err != nil {
			t.Fatal(err)
		}
		var got []struct {
			ResponseType, LoginID string
			Verified              bool
		}
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		done := false
		for _, d := range got {
			if !d.Verified {
				t.Fatalf("the demo receiver could not verify a delivery: %+v", d)
			}
			done = done || (d.ResponseType == "GetAccountsDetail" && d.LoginID == rc.LoginId)
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo receiver got no completed event; it has %+v", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err = staff.Get(base + "/demo/webhooks")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), rc.LoginId) || !strings.Contains(string(page), "signature verified") {
		t.Errorf("the demo page does not show the delivery")
	}
	if !strings.Contains(out.String(), base+"/demo/webhooks") {
		t.Errorf("the start does not point to the demo receiver:\n%s", out)
	}
}
