package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

// pageSize is the number of logins on a page of the list.
const pageSize = 50

// listQuery is the list's search, filters, sort and page, read from and written to the URL.
type listQuery struct {
	Q, Verdict, Type, Status, Decision, From, To, Sort string
	Page                                               int
}

func parseListQuery(q url.Values) (listQuery, passbook.LoginFilter, error) {
	lq := listQuery{Q: strings.TrimSpace(q.Get("q")), Verdict: q.Get("verdict"), Type: q.Get("type"), Status: q.Get("status"),
		Decision: q.Get("decision"), From: q.Get("from"), To: q.Get("to"), Sort: q.Get("sort")}
	lq.Page, _ = strconv.Atoi(q.Get("page"))
	lq.Page = max(lq.Page, 1)
	f := passbook.LoginFilter{Query: lq.Q, Type: lq.Type, Status: lq.Status, Decision: lq.Decision, Sort: lq.Sort,
		Offset: (lq.Page - 1) * pageSize, Limit: pageSize}
	switch passbook.Verdict(lq.Verdict) {
	case "", passbook.Pass, passbook.Review, passbook.Fail:
		f.Verdict = passbook.Verdict(lq.Verdict)
	default:
		return lq, f, passbook.Errorf(passbook.InvalidRequest, "unknown verdict %q", lq.Verdict)
	}
	switch lq.Type {
	case "", passbook.LoginPersonal, passbook.LoginUpload:
	default:
		return lq, f, passbook.Errorf(passbook.InvalidRequest, "unknown type %q", lq.Type)
	}
	switch lq.Status {
	case "", passbook.LoginProcessing, passbook.LoginReady, passbook.LoginFailed:
	default:
		return lq, f, passbook.Errorf(passbook.InvalidRequest, "unknown status %q", lq.Status)
	}
	switch lq.Decision {
	case "", "none", passbook.DecisionAccepted, passbook.DecisionRejected, passbook.DecisionNeedsInfo:
	default:
		return lq, f, passbook.Errorf(passbook.InvalidRequest, "unknown decision %q", lq.Decision)
	}
	if !passbook.LoginSort(lq.Sort) {
		return lq, f, passbook.Errorf(passbook.InvalidRequest, "unknown sort %q", lq.Sort)
	}
	var err error
	if lq.From != "" {
		if f.From, err = time.Parse("2006-01-02", lq.From); err != nil {
			return lq, f, passbook.Errorf(passbook.InvalidRequest, "the start date must be YYYY-MM-DD")
		}
	}
	if lq.To != "" {
		to, err := time.Parse("2006-01-02", lq.To)
		if err != nil {
			return lq, f, passbook.Errorf(passbook.InvalidRequest, "the end date must be YYYY-MM-DD")
		}
		f.To = to.AddDate(0, 0, 1) // the whole end day
	}
	return lq, f, nil
}

// URL returns the list's address with q's values and page.
func (q listQuery) URL(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Q, "verdict": q.Verdict, "type": q.Type, "status": q.Status, "decision": q.Decision,
		"from": q.From, "to": q.To, "sort": q.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/dashboard/"
	}
	return "/dashboard/?" + v.Encode()
}

// Filtered reports whether any search or filter is set.
func (q listQuery) Filtered() bool {
	return q.Q != "" || q.Verdict != "" || q.Type != "" || q.Status != "" || q.Decision != "" || q.From != "" || q.To != ""
}

func (h *Handler) home(w http.ResponseWriter, r *request) (string, view, error) {
	lq, f, err := parseListQuery(r.URL.Query())
	if err != nil {
		return "", view{}, err
	}
	rows, more, err := h.cfg.DB.LoginSummaries(r.Context(), r.Customer.Id, f, h.cfg.Now())
	if err != nil {
		return "", view{}, err
	}
	used, err := h.cfg.DB.CountUploads(r.Context(), r.Customer.Id)
	if err != nil {
		return "", view{}, err
	}
	data := map[string]any{"Logins": rows, "Query": lq, "More": more, "First": f.Offset + 1, "UploadsUsed": used,
		"Quota": r.Customer.Settings.UploadQuota}
	if lq.Page > 1 {
		data["Prev"] = lq.URL(lq.Page - 1)
	}
	if more {
		data["Next"] = lq.URL(lq.Page + 1)
	}
	return "home.html", view{Title: "Logins", Data: data}, nil
}
