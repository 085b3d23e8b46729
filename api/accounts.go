package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/passbookhq/passbook"
)

// detailBody is GetAccountsDetail's request.
type detailBody struct {
	RequestId           string
	WithAccountIdentity *flexBool
	WithKYC             *flexBool
	WithTransactions    *flexBool
	WithBalance         *flexBool
	DaysOfTransactions  string
	AccountsFilter      []string
	DateFrom            string
	DateTo              string
}

// detailOptions are the validated options of a data call; key() names them in cache keys.
type detailOptions struct {
	Identity     bool
	KYC          bool
	Transactions bool
	Balance      bool
	Days         int // 90 or 365
	From, To     passbook.Date
	Filter       []string
	Summary      bool
}

func (o detailOptions) key() string {
	var b strings.Builder
	b.WriteString(strconv.FormatBool(o.Identity))
	b.WriteString(strconv.FormatBool(o.KYC))
	b.WriteString(strconv.FormatBool(o.Transactions))
	b.WriteString(strconv.FormatBool(o.Balance))
	b.WriteString(strconv.FormatBool(o.Summary))
	b.WriteString("|" + strconv.Itoa(o.Days) + "|" + o.From.ISO() + "|" + o.To.ISO())
	for _, f := range o.Filter {
		b.WriteString("|" + f)
	}
	return b.String()
}

func boolOr(b *flexBool, def bool) bool {
	if b == nil {
		return def
	}
	return bool(*b)
}

func (b *detailBody) options() (detailOptions, error) {
	o := detailOptions{
		Identity:     boolOr(b.WithAccountIdentity, true),
		KYC:          boolOr(b.WithKYC, true),
		Transactions: boolOr(b.WithTransactions, true),
		Balance:      boolOr(b.WithBalance, true),
		Days:         90,
	}
	switch strings.ToLower(b.DaysOfTransactions) {
	case "", "days90":
	case "days365", "days360":
		o.Days = 365
	default:
		return o, passbook.Errorf(passbook.InvalidRequest, "DaysOfTransactions must be Days90 or Days365, not %q.", truncate(b.DaysOfTransactions, 40))
	}
	var err error
	if o.From, err = passbook.ParseDate(b.DateFrom); err != nil {
		return o, passbook.Errorf(passbook.InvalidRequest, "DateFrom: %s.", truncate(err.Error(), 80))
	}
	if o.To, err = passbook.ParseDate(b.DateTo); err != nil {
		return o, passbook.Errorf(passbook.InvalidRequest, "DateTo: %s.", truncate(err.Error(), 80))
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.From.After(o.To) {
		return o, passbook.Errorf(passbook.InvalidRequest, "DateFrom is after DateTo.")
	}
	if len(b.AccountsFilter) > 200 {
		return o, passbook.Errorf(passbook.InvalidRequest, "AccountsFilter may list at most 200 accounts.")
	}
	o.Filter = slices.Clone(b.AccountsFilter)
	slices.Sort(o.Filter)
	return o, nil
}

func (s *Server) getAccountsDetail(w http.ResponseWriter, r *http.Request) error {
	return s.dataCall(w, r, false)
}

func (s *Server) getAccountsSummary(w http.ResponseWriter, r *http.Request) error {
	return s.dataCall(w, r, true)
}

// dataCall answers GetAccountsDetail and GetAccountsSummary.
func (s *Server) dataCall(w http.ResponseWriter, r *http.Request, summary bool) error {
	cid, err := s.checkAPIKey(r.Context(), r)
	if err != nil {
		return err
	}
	var b detailBody
	if err := decodeBody(w, r, &b, false); err != nil {
		return err
	}
	if b.RequestId == "" {
		return passbook.Errorf(passbook.InvalidRequest, "RequestId is required (from Authorize).")
	}
	if len(b.RequestId) > 100 {
		return passbook.Errorf(passbook.SessionNonexistent, "The RequestId does not exist or has expired; call Authorize again.")
	}
	o, err := b.options()
	if err != nil {
		return err
	}
	o.Summary = summary
	return s.serveData(w, r, cid, b.RequestId, o, &b)
}

func (s *Server) getAccountsDetailAsync(w http.ResponseWriter, r *http.Request) error {
	return s.asyncCall(w, r, false)
}

func (s *Server) getAccountsSummaryAsync(w http.ResponseWriter, r *http.Request) error {
	return s.asyncCall(w, r, true)
}

// asyncCall answers a poll with the options of the call that answered 202.
func (s *Server) asyncCall(w http.ResponseWriter, r *http.Request, summary bool) error {
	cid, err := s.checkAPIKey(r.Context(), r)
	if err != nil {
		return err
	}
	rid := r.PathValue("requestId")
	if rid == "" || len(rid) > 100 {
		return passbook.Errorf(passbook.SessionNonexistent, "The RequestId does not exist or has expired; call Authorize again.")
	}
	return s.serveData(w, r, cid, rid, detailOptions{Summary: summary}, nil)
}

// pendingBody is the 202 of the data endpoints.
type pendingBody struct {
	HttpStatusCode int
	Links          []Link
	Message        string
	FlinksCode     passbook.Code
	RequestId      string
}

// serveData writes a login's data for a RequestId. A GetAccountsDetail call (body not nil)
// records its options on the request; an Async poll (body nil) reads them back.
func (s *Server) serveData(w http.ResponseWriter, r *http.Request, cid, rid string, o detailOptions, body *detailBody) error {
	ctx := r.Context()
	req, rec, err := s.auth.Session(ctx, cid, rid)
	if req != nil {
		if body != nil && !o.Summary {
			if raw, _ := json.Marshal(body); string(raw) != req.Options {
				if err := s.db.SetRequestOptions(ctx, req.Id, string(raw)); err != nil {
					return err
				}
			}
		} else {
			var saved detailBody
			if req.Options != "" {
				if err := json.Unmarshal([]byte(req.Options), &saved); err != nil {
					return err
				}
			}
			summary := o.Summary
			opts, oerr := saved.options()
			if oerr != nil {
				return oerr
			}
			o, o.Summary = opts, summary
		}
	}
	if err != nil {
		code := passbook.ErrorCode(err)
		if code == passbook.OperationPending || code == passbook.OperationDispatched {
			endpoint := "GetAccountsDetailAsync"
			if o.Summary {
				endpoint = "GetAccountsSummaryAsync"
			}
			WriteJSON(w, http.StatusAccepted, pendingBody{
				HttpStatusCode: 202,
				Links:          []Link{{Rel: "_async", Href: asyncHref(cid, endpoint, rid)}},
				Message:        code.Info().Description,
				FlinksCode:     code,
				RequestId:      rid,
			})
			return nil
		}
		return err
	}
	data, err := s.encodedData(r, rec, o)
	if err != nil {
		return err
	}
	login, err := json.Marshal(rec.Login)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(len(data) + len(login) + 200)
	buf.WriteString(`{"HttpStatusCode":200,`)
	buf.Write(data)
	buf.WriteString(`,"Login":`)
	buf.Write(login)
	buf.WriteString(`,"Institution":`)
	writeString(&buf, rec.Institution)
	buf.WriteString(`,"InstitutionName":`)
	writeString(&buf, rec.Institution)
	buf.WriteString(`,"InstitutionId":`)
	if id := s.institutionID(r.Context(), rec.Institution); id != nil {
		buf.WriteString(strconv.Itoa(*id))
	} else {
		buf.WriteString("null")
	}
	buf.WriteString(`,"Tag":`)
	if rec.Tag != "" {
		writeString(&buf, rec.Tag)
	} else {
		buf.WriteString("null")
	}
	if o.Summary {
		buf.WriteString(`,"Links":[{"rel":"AccountsDetail","href":"/GetAccountsDetail","example":null},{"rel":"Statements","href":"/GetStatements","example":null}]`)
	}
	buf.WriteString(`,"RequestId":`)
	writeString(&buf, rid)
	buf.WriteString(`}`)
	writeRaw(w, http.StatusOK, buf.Bytes())
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	buf.Write(b)
}

// encodedData returns `"Accounts":[…]` (and `,"Documents":[…]` for an upload login) for the
// login and options, from the cache when it holds them.
func (s *Server) encodedData(r *http.Request, rec *passbook.LoginRecord, o detailOptions) ([]byte, error) {
	key := rec.Id + "|" + strconv.FormatInt(rec.Version, 10) + "|" + o.key()
	if b, ok := s.cache.get(key); ok {
		return b, nil
	}
	accts, err := s.db.Accounts(r.Context(), rec.Id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(`"Accounts":`)
	var v any
	if o.Summary {
		v = summarize(accts, rec.Type, o)
	} else {
		v = shape(accts, rec, o)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	buf.Write(b)
	if rec.Type == passbook.LoginUpload && !o.Summary {
		docs, err := s.db.LoginDocuments(r.Context(), rec.Id)
		if err != nil {
			return nil, err
		}
		if len(docs) > 0 {
			d, err := json.Marshal(docs)
			if err != nil {
				return nil, err
			}
			buf.WriteString(`,"Documents":`)
			buf.Write(d)
		}
	}
	out := buf.Bytes()
	s.cache.put(key, out)
	return out, nil
}

func keep(filter []string, id string) bool {
	if len(filter) == 0 {
		return true
	}
	_, found := slices.BinarySearch(filter, id)
	return found
}

// shape applies the options to a login's accounts.
func shape(accts []passbook.Account, rec *passbook.LoginRecord, o detailOptions) []AccountJSON {
	out := make([]AccountJSON, 0, len(accts))
	from, to := o.From, o.To
	if from.IsZero() && to.IsZero() && rec.Type != passbook.LoginUpload {
		// A window of days ending on the login's last refresh. Upload logins keep every
		// transaction of their statements unless dates are asked for.
		end := passbook.DateOf(rec.LastRefresh.UTC())
		from = end.AddDays(-(o.Days - 1))
	}
	for _, a := range accts {
		if !keep(o.Filter, a.Id) {
			continue
		}
		if !o.Balance {
			a.Balance = passbook.Balance{}
		}
		txs := []passbook.Transaction{}
		if o.Transactions {
			for _, t := range a.Transactions {
				if (!from.IsZero() && t.Date.Before(from)) || (!to.IsZero() && t.Date.After(to)) {
					continue
				}
				txs = append(txs, t)
			}
		}
		a.Transactions = txs
		out = append(out, AccountOf(a, rec.Type, o.Identity, o.KYC))
	}
	return out
}

func summarize(accts []passbook.Account, loginType string, o detailOptions) []SummaryAccount {
	out := make([]SummaryAccount, 0, len(accts))
	for _, a := range accts {
		if !keep(o.Filter, a.Id) {
			continue
		}
		out = append(out, summaryOf(a, loginType))
	}
	return out
}
