package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/upload"
)

// statementSource is GetStatements' source of original statements: the files an upload login was
// made from (from the blob store), or, for a login linked at a sandbox institution, the monthly
// statements the sandbox renders from the login's accounts.
func (s *server) statementSource(reg *institution.Registry) api.StatementSource {
	return func(ctx context.Context, rec *passbook.LoginRecord, accts []passbook.Account, months int) ([]api.AccountStatements, error) {
		if rec.Type == passbook.LoginUpload {
			return s.uploadedStatements(ctx, rec, accts)
		}
		c, ok := reg.Lookup(rec.Institution)
		if !ok || !c.Institution().Sandbox {
			return nil, passbook.Errorf(passbook.NotFound, "This institution issues no statements through Passbook.")
		}
		today := passbook.DateOf(rec.LastRefresh.UTC())
		out := make([]api.AccountStatements, 0, len(accts))
		for _, a := range accts {
			g := api.AccountStatements{AccountId: a.Id, AccountNumber: a.AccountNumber}
			for _, st := range sandbox.MonthlyStatements(rec.Institution, a, months, today) {
				g.Statements = append(g.Statements, api.StatementFile{
					UniqueId: fmt.Sprintf("%s-%04d-%02d", a.Id, st.Start.Year, int(st.Start.Month)),
					FileName: fmt.Sprintf("%s-%04d-%02d.pdf", a.AccountNumber, st.Start.Year, int(st.Start.Month)),
					Start:    st.Start, End: st.End, Data: st.PDF,
				})
			}
			out = append(out, g)
		}
		return out, nil
	}
}

// uploadedStatements returns the files of an upload login as they were received, under its
// account when it has exactly one (the files of a login with several accounts are not assigned
// to one of them: AccountNumber is then empty).
func (s *server) uploadedStatements(ctx context.Context, rec *passbook.LoginRecord, accts []passbook.Account) ([]api.AccountStatements, error) {
	up, err := s.db.UploadOfLogin(ctx, rec.CustomerID, rec.Id)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, passbook.Errorf(passbook.NotFound, "This login has no uploaded files.")
	}
	if err != nil {
		return nil, err
	}
	if s.jobs == nil || s.jobs.blobs == nil {
		return nil, fmt.Errorf("statements: no blob store")
	}
	g := api.AccountStatements{}
	if len(accts) == 1 {
		g.AccountId, g.AccountNumber = accts[0].Id, accts[0].AccountNumber
	}
	for i, f := range up.Files {
		rc, err := s.jobs.blobs.Open(ctx, f.BlobKey)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, upload.MaxFileBytes+1))
		rc.Close()
		if err != nil {
			return nil, err
		}
		g.Statements = append(g.Statements, api.StatementFile{UniqueId: fmt.Sprintf("%s-%d", up.Id, i), FileName: f.FileName, Data: data})
	}
	return []api.AccountStatements{g}, nil
}
