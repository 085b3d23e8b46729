package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/testenv"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// namedFile is one file of an upload.
type namedFile struct {
	name string
	data []byte
}

// postUpload sends files, in order, to the API's upload intake of customerID and returns the
// new login's id.
func postUpload(t testing.TB, base, customerID, apiKey string, files ...namedFile) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files {
		w, _ := mw.CreateFormFile("files", f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/v3/"+customerID+"/upload?institution=Maple", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rc struct{ LoginId string }
	json.NewDecoder(resp.Body).Decode(&rc)
	resp.Body.Close()
	if resp.StatusCode != 200 || rc.LoginId == "" {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	return rc.LoginId
}

// uploadAndRead uploads files through the API and returns GetAccountsDetail's answer once the
// job has read them.
func uploadAndRead(t *testing.T, base string, keys printedKeys, files ...namedFile) map[string]any {
	t.Helper()
	loginID := postUpload(t, base, keys.CustomerID, keys.APIKey, files...)
	call := func(path string, headers map[string]string, body string) (int, map[string]any) {
		t.Helper()
		var m map[string]any
		return postJSON(t, base+"/v3/"+keys.CustomerID+path, headers, body, &m), m
	}
	_, tok := call("/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": keys.AuthKey}, "")
	token, _ := tok["Token"].(string)
	st, auth := call("/BankingServices/Authorize", map[string]string{"flinks-auth-key": token},
		`{"LoginId":"`+loginID+`","MostRecentCached":true}`)
	rid, _ := auth["RequestId"].(string)
	if rid == "" || st >= 400 {
		t.Fatalf("Authorize: %d %v", st, auth)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		st, detail := call("/BankingServices/GetAccountsDetail", map[string]string{"x-api-key": keys.APIKey}, `{"RequestId":"`+rid+`"}`)
		if st != 202 {
			if st != 200 {
				t.Fatalf("GetAccountsDetail: %d %v", st, detail)
			}
			return detail
		}
	}
	t.Fatal("the upload was never read")
	return nil
}

// TestServeOnS3Blobs runs a server whose uploaded files live in an S3-compatible bucket: the
// intake streams them there, the job reads them back from there, and nothing is kept on disk.
func TestServeOnS3Blobs(t *testing.T) {
	where := testenv.S3(t)
	data := t.TempDir()
	base, out := startServer(t, "--blobs", where, "--data", data)
	detail := uploadAndRead(t, base, keysFrom(t, out.String()),
		namedFile{"march.pdf", uploadtest.New("00777-1234567", time.March, 30).PDF(45)})
	accts, _ := detail["Accounts"].([]any)
	if len(accts) != 1 {
		t.Fatalf("%d accounts: %v", len(accts), detail)
	}
	if txs, _ := accts[0].(map[string]any)["Transactions"].([]any); len(txs) != 30 {
		t.Fatalf("%d transactions, want 30", len(txs))
	}
	if _, err := os.Stat(filepath.Join(data, "blobs")); !os.IsNotExist(err) {
		t.Errorf("blobs were kept on disk too: %v", err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsAndReadiness reads /metrics in Prometheus' format after an upload, and /readyz
// while the blob store is there and after it is gone.
func TestMetricsAndReadiness(t *testing.T) {
	data := t.TempDir()
	base, out := startServer(t, "--data", data)
	if st, body := get(t, base+"/readyz"); st != 200 || body != "ready\n" {
		t.Fatalf("/readyz: %d %q", st, body)
	}
	uploadAndRead(t, base, keysFrom(t, out.String()),
		namedFile{"march.pdf", uploadtest.New("00777-1234567", time.March, 12).PDF(45)})
	st, body := get(t, base+"/metrics")
	if st != 200 {
		t.Fatalf("/metrics: %d", st)
	}
	for _, want := range []string{
		`passbook_http_request_duration_seconds_count{method="GET",route="/readyz",code="2xx"} 1`,
		`passbook_http_request_duration_seconds_count{method="POST",route="/v3/{customerId}/BankingServices/GetAccountsDetail",code="2xx"} `,
		`passbook_jobs{queue="uploads",state="`,
		`passbook_documents_total{status="read"} 1`,
		`passbook_document_pages_total 1`,
		`passbook_upload_seconds_per_page_count 1`,
		"passbook_metrics_gauge_errors 0\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, body)
		}
	}
	// A blob store that cannot be reached makes the server unready, and says why.
	if err := os.RemoveAll(filepath.Join(data, "blobs")); err != nil {
		t.Fatal(err)
	}
	if st, body := get(t, base+"/readyz"); st != 503 || !strings.Contains(body, "blob store unavailable") {
		t.Errorf("/readyz without the blob store: %d %q", st, body)
	}
}
