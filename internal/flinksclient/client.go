// Package flinksclient is a small Flinks API client written from Flinks' public documentation
// (docs.flinks.com: Authorize, GenerateAuthorizeToken, GetAccountsDetail(+Async),
// GetAccountsSummary(+Async), GetStatements(+Async), DeleteCard, Upload's FraudAnalysis, the
// webhooks' flinks-authenticity-key), not from Passbook's code. Passbook's conformance test runs
// an integrator's whole path with it against the real binary; it is used only by tests.
package flinksclient

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client calls one customer's Flinks API at BaseURL (https://{instance}-api.private.fin.ag, or
// a Passbook server).
type Client struct {
	BaseURL    string
	CustomerID string
	HTTP       *http.Client
}

// Error is a non-success answer: Flinks' {HttpStatusCode, Message, FlinksCode}.
type Error struct {
	Status         int
	HttpStatusCode int
	Message        string
	FlinksCode     string
	Allow          string // the Allow header of a 405
}

func (e *Error) Error() string {
	return fmt.Sprintf("flinks: %d %s: %s", e.Status, e.FlinksCode, e.Message)
}

// Link is an entry of Links.
type Link struct {
	Rel     string  `json:"rel"`
	Href    string  `json:"href"`
	Example *string `json:"example"`
}

// Login is the Login object.
type Login struct {
	Id                 string
	Username           string
	IsScheduledRefresh bool
	LastRefresh        string
	Type               string
}

// SecurityChallenge is one MFA question of a 203.
type SecurityChallenge struct {
	Type      string
	Prompt    string
	Iterables []string
}

// AuthorizeRequest is /Authorize's body.
type AuthorizeRequest struct {
	Institution       string              `json:",omitempty"`
	Username          string              `json:",omitempty"`
	Password          string              `json:",omitempty"`
	Save              bool                `json:",omitempty"`
	LoginId           string              `json:",omitempty"`
	MostRecentCached  bool                `json:",omitempty"`
	RequestId         string              `json:",omitempty"`
	SecurityResponses map[string][]string `json:",omitempty"`
	Tag               string              `json:",omitempty"`
}

// AuthorizeResponse is /Authorize's answer (200, 202 or 203).
type AuthorizeResponse struct {
	Links              []Link
	HttpStatusCode     int
	Login              *Login
	SecurityChallenges []SecurityChallenge
	Institution        string
	RequestId          string
	FlinksCode         string
}

// Address, Holder, Balance, Transaction and Account are GetAccountsDetail's objects.
type Address struct {
	CivicAddress, City, Province, PostalCode string
	POBox                                    *string
	Country                                  string
}

type Holder struct {
	Name        string
	Address     Address
	Email       *string
	PhoneNumber *string
}

type Balance struct {
	Available, Current, Limit *float64
}

type Transaction struct {
	Id          string
	Date        string // yyyy/MM/dd
	Code        *string
	Description string
	Debit       *float64
	Credit      *float64
	Balance     *float64
}

type Account struct {
	Id                     string
	Title                  string
	AccountNumber          string
	LastFourDigits         *string
	TransitNumber          *string
	InstitutionNumber      *string
	OverdraftLimit         *float64
	Type                   string
	AccountType            string
	Category               string
	Currency               string
	Holder                 *Holder
	Balance                Balance
	Transactions           []Transaction
	EftEligibleRatio       *float64 // Summary
	ETransferEligibleRatio *float64 // Summary
}

// AccountsResponse is GetAccountsDetail's and GetAccountsSummary's 200, or their 202.
type AccountsResponse struct {
	HttpStatusCode  int
	Links           []Link
	Accounts        []Account
	Login           *Login
	Institution     string
	InstitutionName string
	InstitutionId   *int
	Tag             *string
	RequestId       string
	FlinksCode      string
	Message         string
}

// AccountsRequest is GetAccountsDetail's body.
type AccountsRequest struct {
	RequestId           string
	WithAccountIdentity *bool    `json:",omitempty"`
	WithKYC             *bool    `json:",omitempty"`
	WithTransactions    *bool    `json:",omitempty"`
	WithBalance         *bool    `json:",omitempty"`
	DaysOfTransactions  string   `json:",omitempty"`
	AccountsFilter      []string `json:",omitempty"`
}

// Statement and StatementsResponse are GetStatements' answer.
type Statement struct {
	UniqueId    string
	FileType    string
	Base64Bytes string
}

// Bytes decodes the statement file.
func (s Statement) Bytes() ([]byte, error) { return base64.StdEncoding.DecodeString(s.Base64Bytes) }

type StatementsResponse struct {
	HttpStatusCode      int
	Links               []Link
	StatementsByAccount []struct {
		AccountNumber string
		Statements    []Statement
	}
	Login      *Login
	RequestId  string
	FlinksCode string
}

// FraudAnalysis is Upload's /FraudAnalysis answer.
type FraudAnalysis struct {
	HttpStatusCode int
	Message        string
	Login          struct{ LoginId, RequestId string }
	// DocumentAnalysis lists every document with its signals.
	DocumentAnalysis []struct {
		Status       string
		FullAnalysis []struct {
			DocumentType string
			FraudSignals []struct {
				Type           string
				PageNumber     int
				Count          int
				UnderlyingData []struct {
					Details []struct{ SpecificType, Value, DataType string }
				}
			}
		}
	}
}

// Header sets an authentication header on a call.
type Header func(h http.Header)

// AuthKey authenticates with flinks-auth-key (a secret or a one-use authorize token).
func AuthKey(k string) Header { return func(h http.Header) { h.Set("flinks-auth-key", k) } }

// APIKey authenticates a data call with x-api-key.
func APIKey(k string) Header { return func(h http.Header) { h.Set("x-api-key", k) } }

// Bearer authenticates with Authorization: Bearer.
func Bearer(tok string) Header { return func(h http.Header) { h.Set("Authorization", "Bearer "+tok) } }

func (c *Client) url(endpoint string) string {
	return strings.TrimRight(c.BaseURL, "/") + "/v3/" + c.CustomerID + "/" + endpoint
}

// Do sends one call and decodes a 2xx answer into out; any other answer is an *Error.
func (c *Client) Do(ctx context.Context, method, endpoint string, auth Header, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.url(endpoint), r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != nil {
		auth(req.Header)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &Error{Status: resp.StatusCode, Allow: resp.Header.Get("Allow")}
		if err := json.Unmarshal(raw, e); err != nil {
			return resp.StatusCode, fmt.Errorf("flinks: %d with a body that is not JSON: %.200s", resp.StatusCode, raw)
		}
		return resp.StatusCode, e
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("flinks: %s %s: %w", method, endpoint, err)
		}
	}
	return resp.StatusCode, nil
}

// Token exchanges the secret for an access token (BankingServices/Token).
func (c *Client) Token(ctx context.Context, secret string) (string, error) {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_, err := c.Do(ctx, "POST", "BankingServices/Token", nil, map[string]string{"client_id": c.CustomerID, "secret": secret}, &out)
	return out.AccessToken, err
}

// GenerateAuthorizeToken returns a one-use authorize token.
func (c *Client) GenerateAuthorizeToken(ctx context.Context, secret string) (string, error) {
	var out struct{ Token string }
	_, err := c.Do(ctx, "POST", "BankingServices/GenerateAuthorizeToken", AuthKey(secret), nil, &out)
	return out.Token, err
}

// Authorize calls /Authorize once.
func (c *Client) Authorize(ctx context.Context, auth Header, req AuthorizeRequest) (*AuthorizeResponse, error) {
	var out AuthorizeResponse
	_, err := c.Do(ctx, "POST", "BankingServices/Authorize", auth, req, &out)
	return &out, err
}

// Poll calls an Async endpoint (GET, as documented) every interval until it answers 200 or
// ctx ends.
func (c *Client) Poll(ctx context.Context, endpoint, requestID string, auth Header, interval time.Duration, out any) error {
	for {
		st, err := c.Do(ctx, "GET", "BankingServices/"+endpoint+"/"+requestID, auth, nil, out)
		if err != nil || st == 200 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// VerifyWebhook checks a webhook's flinks-authenticity-key: the base64 HMAC-SHA256 of the raw
// body keyed with the secret.
func VerifyWebhook(secret string, h http.Header, body []byte) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(h.Get("flinks-authenticity-key")), []byte(want))
}
