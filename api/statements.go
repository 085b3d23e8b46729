package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/passbookhq/passbook"
)

// StatementFile is one original statement document of GetStatements.
type StatementFile struct {
	UniqueId   string
	FileName   string
	Start, End passbook.Date // the period, when known
	Data       []byte        // the PDF (or the file as received)
}

// AccountStatements are the statements of one account (for an upload login with several
// accounts, the files of the upload under an empty AccountNumber).
type AccountStatements struct {
	AccountId     string
	AccountNumber string
	Statements    []StatementFile
}

// StatementSource finds the original statements of a login for GetStatements: the files an
// upload login was made from, or statements the institution issues for a linked login's accounts
// (at most months monthly statements each).
type StatementSource func(ctx context.Context, rec *passbook.LoginRecord, accts []passbook.Account, months int) ([]AccountStatements, error)

type statementsBody struct {
	RequestId          string
	NumberOfStatements string
	AccountsFilter     []string
}

// statementJSON is one statement as Flinks returns it: the file base64-encoded.
type statementJSON struct {
	UniqueId    string
	FileType    string
	FileName    string
	PeriodStart passbook.Date
	PeriodEnd   passbook.Date
	Base64Bytes string
}

type accountStatementsJSON struct {
	AccountId     *string
	AccountNumber string
	Statements    []statementJSON
}

func (s *Server) getStatements(w http.ResponseWriter, r *http.Request) error {
	cid, err := s.checkAPIKey(r.Context(), r)
	if err != nil {
		return err
	}
	var b statementsBody
	if err := decodeBody(w, r, &b, false); err != nil {
		return err
	}
	if b.RequestId == "" {
		return passbook.Errorf(passbook.InvalidRequest, "RequestId is required (from Authorize).")
	}
	if len(b.RequestId) > 100 || len(b.AccountsFilter) > 200 {
		return passbook.Errorf(passbook.InvalidRequest, "RequestId or AccountsFilter is too long.")
	}
	return s.serveStatements(w, r, cid, b)
}

func (s *Server) getStatementsAsync(w http.ResponseWriter, r *http.Request) error {
	cid, err := s.checkAPIKey(r.Context(), r)
	if err != nil {
		return err
	}
	rid := r.PathValue("requestId")
	if rid == "" || len(rid) > 100 {
		return passbook.Errorf(passbook.SessionNonexistent, "The RequestId does not exist or has expired; call Authorize again.")
	}
	return s.serveStatements(w, r, cid, statementsBody{RequestId: rid})
}

// monthsOf returns how many monthly statements NumberOfStatements (or, without it, the login's
// monthsOfStatements) asks for.
func monthsOf(asked, policy string) (int, error) {
	v := asked
	if v == "" && policy != "off" {
		v = policy
	}
	switch strings.ToLower(v) {
	case "mostrecent":
		return 1, nil
	case "", "months3":
		return 3, nil
	case "months12":
		return 12, nil
	}
	return 0, passbook.Errorf(passbook.InvalidRequest, "NumberOfStatements must be MostRecent, Months3 or Months12, not %q.", truncate(v, 40))
}

func (s *Server) serveStatements(w http.ResponseWriter, r *http.Request, cid string, b statementsBody) error {
	ctx := r.Context()
	_, rec, err := s.auth.Session(ctx, cid, b.RequestId)
	if err != nil {
		code := passbook.ErrorCode(err)
		if code == passbook.OperationPending || code == passbook.OperationDispatched {
			WriteJSON(w, http.StatusAccepted, pendingBody{HttpStatusCode: 202, Message: code.Info().Description, FlinksCode: code, RequestId: b.RequestId,
				Links: []Link{{Rel: "_async", Href: asyncHref(cid, "GetStatementsAsync", b.RequestId)}}})
			return nil
		}
		return err
	}
	if rec.Type != passbook.LoginUpload && rec.Statements == "off" {
		return passbook.Errorf(passbook.InvalidRequest, "Statements were not enabled for this login: link it in Connect with detailsAndStatementEnable=true.")
	}
	months, err := monthsOf(b.NumberOfStatements, rec.Statements)
	if err != nil {
		return err
	}
	if s.statements == nil {
		return passbook.Errorf(passbook.NotFound, "This server serves no statements.")
	}
	accts, err := s.db.Accounts(ctx, rec.Id)
	if err != nil {
		return err
	}
	if len(b.AccountsFilter) > 0 {
		kept := accts[:0:0]
		for _, a := range accts {
			for _, f := range b.AccountsFilter {
				if f == a.Id {
					kept = append(kept, a)
				}
			}
		}
		accts = kept
	}
	groups, err := s.statements(ctx, rec, accts, months)
	if err != nil {
		return err
	}
	out := make([]accountStatementsJSON, 0, len(groups))
	for _, g := range groups {
		j := accountStatementsJSON{AccountId: optional(g.AccountId), AccountNumber: g.AccountNumber, Statements: []statementJSON{}}
		for _, f := range g.Statements {
			j.Statements = append(j.Statements, statementJSON{UniqueId: f.UniqueId, FileType: "PDF", FileName: f.FileName,
				PeriodStart: f.Start, PeriodEnd: f.End, Base64Bytes: base64.StdEncoding.EncodeToString(f.Data)})
		}
		out = append(out, j)
	}
	body := struct {
		HttpStatusCode      int
		StatementsByAccount []accountStatementsJSON
		Login               passbook.Login
		Institution         string
		InstitutionName     string
		InstitutionId       *int
		Tag                 *string
		RequestId           string
	}{200, out, rec.Login, rec.Institution, rec.Institution, s.institutionID(ctx, rec.Institution), optional(rec.Tag), b.RequestId}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	writeRaw(w, http.StatusOK, raw)
	return nil
}
