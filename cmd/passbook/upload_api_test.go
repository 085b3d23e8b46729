package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/passbookhq/passbook/upload/uploadtest"
)

// An upload made through the API is a login like a linked one: Authorize with its LoginId, then
// GetAccountsDetail answers 202 OPERATION_PENDING while the job runs and 200 with its accounts
// and documents after.
func TestUploadThroughTheAPI(t *testing.T) {
	base, out := startServer(t)
	keys := keysFrom(t, out.String())
	customerID, apiKey, secret := keys.CustomerID, keys.APIKey, keys.AuthKey
	call := func(path string, headers map[string]string, body string) (int, map[string]any) {
		t.Helper()
		var m map[string]any
		return postJSON(t, base+"/v3/"+customerID+path, headers, body, &m), m
	}

	var files []namedFile
	for i := range 8 {
		files = append(files, namedFile{fmt.Sprintf("s%d.pdf", i), uploadtest.New("00777-1234567", time.Month(1+i), 120).PDF(45)})
	}
	loginID := postUpload(t, base, customerID, apiKey, files...)

	st, tok := call("/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": secret}, "")
	if st != 200 {
		t.Fatalf("token: %d %v", st, tok)
	}
	st, auth := call("/BankingServices/Authorize", map[string]string{"flinks-auth-key": tok["Token"].(string)},
		`{"LoginId":"`+loginID+`","MostRecentCached":true}`)
	rid, _ := auth["RequestId"].(string)
	if rid == "" || st >= 400 {
		t.Fatalf("Authorize: %d %v", st, auth)
	}
	sawPending := false
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, detail := call("/BankingServices/GetAccountsDetail", map[string]string{"x-api-key": apiKey}, `{"RequestId":"`+rid+`"}`)
		if st == 202 {
			if detail["FlinksCode"] != "OPERATION_PENDING" {
				t.Fatalf("202 with %v", detail["FlinksCode"])
			}
			sawPending = true
		} else {
			if st != 200 {
				t.Fatalf("GetAccountsDetail: %d %v", st, detail)
			}
			accts, _ := detail["Accounts"].([]any)
			docs, _ := detail["Documents"].([]any)
			if len(accts) != 1 || len(docs) != 8 {
				t.Fatalf("%d accounts, %d documents", len(accts), len(docs))
			}
			txs, _ := accts[0].(map[string]any)["Transactions"].([]any)
			if len(txs) != 8*120 {
				t.Fatalf("%d transactions, want %d", len(txs), 8*120)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the upload never became ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawPending {
		t.Log("processing finished before the first GetAccountsDetail; 202 not observed")
	}

	// Flinks' /fraudanalysis for the same login: one analysis per document, each with a verdict.
	get := func(key string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", base+"/v3/"+customerID+"/upload/fraudanalysis/"+loginID, nil)
		req.Header.Set("x-api-key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	st, fa := get(apiKey)
	das, _ := fa["DocumentAnalysis"].([]any)
	if st != 200 || len(das) != 8 {
		t.Fatalf("fraudanalysis: %d, %d documents: %v", st, len(das), fa)
	}
	for _, d := range das {
		d := d.(map[string]any)
		full, _ := d["FullAnalysis"].([]any)
		if d["Status"] == "" || d["Verdict"] == "" || len(full) != 1 {
			t.Fatalf("document analysis %v", d)
		}
	}
	if st, fa := get("wrong"); st != 401 || fa["FlinksCode"] != "UNAUTHORIZED" {
		t.Fatalf("fraudanalysis with a wrong key: %d %v", st, fa)
	}
}
