package dashboard

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/webhook"
)

// txPageSize is the number of transactions on a page of a login.
const txPageSize = 50

// txRow is one transaction in a login's table, with its account.
type txRow struct {
	Account  int // index in the login's accounts
	Title    string
	Currency string
	passbook.Transaction
}

// txQuery is the transactions table's search, filters and page.
type txQuery struct {
	Q, Min, Max, From, To, Account string
	Page                           int
}

func (q txQuery) URL(loginID string, page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Q, "min": q.Min, "max": q.Max, "from": q.From, "to": q.To, "account": q.Account} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	u := "/dashboard/logins/" + url.PathEscape(loginID)
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u + "#transactions"
}

// filterTransactions returns the rows of accounts that match q.
func filterTransactions(accounts []passbook.Account, q txQuery) ([]txRow, error) {
	var min, max *passbook.Money
	for _, b := range []struct {
		s   string
		dst **passbook.Money
	}{{q.Min, &min}, {q.Max, &max}} {
		if s := strings.ReplaceAll(strings.TrimSpace(b.s), ",", ""); s != "" {
			m, err := passbook.ParseMoney(strings.TrimPrefix(s, "$"))
			if err != nil {
				return nil, passbook.Errorf(passbook.InvalidRequest, "amounts are numbers such as 120.50")
			}
			*b.dst = &m
		}
	}
	var from, to passbook.Date
	for _, d := range []struct {
		s   string
		dst *passbook.Date
	}{{q.From, &from}, {q.To, &to}} {
		if d.s == "" {
			continue
		}
		t, err := parseDay(d.s)
		if err != nil {
			return nil, err
		}
		*d.dst = passbook.DateOf(t)
	}
	account := -1
	if q.Account != "" {
		n, err := strconv.Atoi(q.Account)
		if err != nil || n < 0 || n >= len(accounts) {
			return nil, passbook.Errorf(passbook.InvalidRequest, "no such account")
		}
		account = n
	}
	needle := strings.ToLower(q.Q)
	var out []txRow
	for i, a := range accounts {
		if account >= 0 && i != account {
			continue
		}
		for _, t := range a.Transactions {
			amount := passbook.Money(0)
			if t.Debit != nil {
				amount = *t.Debit
			} else if t.Credit != nil {
				amount = *t.Credit
			}
			switch {
			case needle != "" && !strings.Contains(strings.ToLower(t.Description), needle):
				continue
			case min != nil && amount < *min, max != nil && amount > *max:
				continue
			case !from.IsZero() && t.Date.Before(from), !to.IsZero() && t.Date.After(to):
				continue
			}
			out = append(out, txRow{Account: i, Title: a.Title, Currency: a.Currency, Transaction: t})
		}
	}
	slices.SortStableFunc(out, func(a, b txRow) int { return b.Date.Compare(a.Date) })
	return out, nil
}

// accountCard is an account as the login page shows it.
type accountCard struct {
	Index int
	passbook.Account
	Chart, Flows template.HTML
}

// loginFacts reads the login of the request's path with its accounts, documents and decisions,
// what both the login's page and its PDF report show.
func (h *Handler) loginFacts(r *request) (*passbook.LoginRecord, []passbook.Account, []passbook.Document, []passbook.Decision, error) {
	rec, err := h.loginOf(r)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ctx := r.Context()
	accounts, err := h.cfg.DB.Accounts(ctx, rec.Id)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	docs, err := h.cfg.DB.LoginDocuments(ctx, rec.Id)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	decisions, err := h.cfg.DB.Decisions(ctx, r.Customer.Id, rec.Id)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return rec, accounts, docs, decisions, nil
}

func (h *Handler) login(w http.ResponseWriter, r *request) (string, view, error) {
	ctx := r.Context()
	rec, accounts, docs, decisions, err := h.loginFacts(r)
	if err != nil {
		return "", view{}, err
	}
	var up *passbook.Upload
	if rec.Type == passbook.LoginUpload {
		if up, err = h.cfg.DB.UploadOfLogin(ctx, r.Customer.Id, rec.Id); err != nil && !errors.Is(err, passbook.ErrNotFound) {
			return "", view{}, err
		}
	}
	qv := r.URL.Query()
	tq := txQuery{Q: strings.TrimSpace(qv.Get("q")), Min: qv.Get("min"), Max: qv.Get("max"), From: qv.Get("from"), To: qv.Get("to"),
		Account: qv.Get("account")}
	tq.Page, _ = strconv.Atoi(qv.Get("page"))
	tq.Page = max(tq.Page, 1)
	rows, err := filterTransactions(accounts, tq)
	if err != nil {
		return "", view{}, err
	}
	total := len(rows)
	start := min((tq.Page-1)*txPageSize, total)
	end := min(start+txPageSize, total)
	page := rows[start:end]

	cards := make([]accountCard, len(accounts))
	var holder *passbook.Holder
	for i, a := range accounts {
		cards[i] = accountCard{Index: i, Account: a, Chart: balanceChart(a, r.Lang), Flows: flowChart(a, r.Lang)}
		if holder == nil && a.Holder != nil && a.Holder.Name != "" {
			holder = a.Holder
		}
	}
	// The latest decision on the whole login.
	var current *passbook.Decision
	for i, d := range decisions {
		if d.Document < 0 {
			current = &decisions[i]
			break
		}
	}
	data := map[string]any{
		"Login": rec, "Status": rec.StatusAt(h.cfg.Now()), "Holder": holder, "Accounts": cards, "Documents": docs, "Upload": up,
		"Transactions": page, "TxTotal": total, "TxFirst": start + 1, "TxLast": end, "TxQuery": tq,
		"Decisions": decisions, "LoginDecision": current, "CanDecide": roleRank[r.User.Role] >= roleAnalyst,
	}
	if tq.Page > 1 {
		data["TxPrev"] = tq.URL(rec.Id, tq.Page-1)
	}
	if end < total {
		data["TxNext"] = tq.URL(rec.Id, tq.Page+1)
	}
	title := rec.Id
	if holder != nil {
		title = holder.Name
	}
	return "login.html", view{Title: title, Data: data}, nil
}

// --- decisions --------------------------------------------------------------------------------

// EventDecision is the webhook event sent when staff record a decision.
const EventDecision = "DECISION"

func (h *Handler) decide(w http.ResponseWriter, r *request) (string, view, error) {
	ctx := r.Context()
	rec, err := h.loginOf(r)
	if err != nil {
		return "", view{}, err
	}
	d := passbook.Decision{CustomerID: r.Customer.Id, LoginID: rec.Id, Document: -1, Decision: r.PostFormValue("decision"),
		Note: strings.TrimSpace(r.PostFormValue("note")), UserID: r.User.Id, UserName: r.User.Name, CreatedAt: h.cfg.Now()}
	switch d.Decision {
	case passbook.DecisionAccepted, passbook.DecisionRejected, passbook.DecisionNeedsInfo:
	default:
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "choose accepted, rejected or needs info")
	}
	if len(d.Note) > 4000 {
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "the note is too long (4,000 characters at most)")
	}
	if s := r.PostFormValue("document"); s != "" && s != "-1" {
		docs, err := h.cfg.DB.LoginDocuments(ctx, rec.Id)
		if err != nil {
			return "", view{}, err
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n >= len(docs) {
			return "", view{}, passbook.Errorf(passbook.InvalidRequest, "no such document")
		}
		d.Document = n
	}
	if d.Decision == passbook.DecisionNeedsInfo && d.Note == "" {
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "say in the note what information is needed")
	}
	err = h.cfg.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := h.cfg.DB.AddDecisionTx(ctx, tx, &d); err != nil {
			return err
		}
		if h.cfg.Queue == nil {
			return nil
		}
		return h.emitDecision(ctx, tx, d)
	})
	if err != nil {
		return "", view{}, err
	}
	back := "/dashboard/logins/" + url.PathEscape(rec.Id)
	if ret := r.PostFormValue("return"); strings.HasPrefix(ret, back) {
		back = ret
	}
	http.Redirect(w, r.Request, back+"?notice="+url.QueryEscape("Decision recorded."), http.StatusSeeOther)
	return "", view{}, nil
}

// decisionEvent is the body of a DECISION webhook event.
type decisionEvent struct {
	ResponseType string
	EventType    string
	EventId      string
	LoginId      string
	Document     *int `json:",omitempty"` // the document's position in the login's Documents; absent for the whole login
	Decision     string
	Note         string
	DecidedBy    string
	DecidedAt    string
}

func (h *Handler) emitDecision(ctx context.Context, tx *sql.Tx, d passbook.Decision) error {
	id := "evt_decision_" + strconv.FormatInt(d.Id, 10) + "_" + d.LoginID
	ev := decisionEvent{ResponseType: EventDecision, EventType: EventDecision, EventId: id, LoginId: d.LoginID, Decision: d.Decision,
		Note: d.Note, DecidedBy: d.UserName, DecidedAt: d.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	if d.Document >= 0 {
		ev.Document = &d.Document
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return webhook.Emit(ctx, tx, h.cfg.DB, h.cfg.Queue, passbook.WebhookEvent{Id: id, CustomerID: d.CustomerID, LoginID: d.LoginID, Type: EventDecision, Body: body})
}

func parseDay(s string) (t time.Time, err error) {
	t, err = time.Parse("2006-01-02", s)
	if err != nil {
		return t, passbook.Errorf(passbook.InvalidRequest, "dates are written YYYY-MM-DD")
	}
	return t, nil
}
