package upload

import (
	"errors"
	"net/http"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authenticity"
)

// fraudAnalysis serves GET /v3/{customerId}/upload/fraudanalysis/{loginId} as Flinks does: the
// analysis of every document of an Upload login, with Passbook's verdict, score and located
// signals added. While the upload is processing it answers 202 OPERATION_PENDING, like
// GetAccountsDetail.
func (s *Service) fraudAnalysis(w http.ResponseWriter, r *http.Request) error {
	c, err := s.apiCustomer(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := s.DB.LoginRecord(ctx, c.Id, r.PathValue("loginId"))
	if errors.Is(err, passbook.ErrNotFound) {
		return passbook.Errorf(passbook.InvalidLogin, "The provided LoginId is invalid.")
	}
	if err != nil {
		return err
	}
	if rec.Type != passbook.LoginUpload {
		return passbook.Errorf(passbook.InvalidRequest, "This login was linked, not uploaded: it has no documents to analyse.")
	}
	switch rec.Status {
	case passbook.LoginProcessing:
		return passbook.Errorf(passbook.OperationPending, "The documents are still being processed.")
	case passbook.LoginFailed:
		return passbook.Errorf(passbook.AggregationError, "The documents of this upload could not be processed.")
	}
	docs, err := s.DB.LoginDocuments(ctx, rec.Id)
	if err != nil {
		return err
	}
	fa := authenticity.FlinksFraudAnalysis(docs)
	msg := "No Fraud Signal Detected"
	for _, d := range fa.DocumentAnalysis {
		if d.Status != authenticity.StatusNoFraud {
			msg = "Fraud Signal Detected"
		}
	}
	// Flinks' Login{LoginId, RequestId}: the RequestId of an upload login is its upload's id (as
	// in its webhooks).
	login := struct{ LoginId, RequestId string }{LoginId: rec.Id}
	if up, err := s.DB.UploadOfLogin(ctx, c.Id, rec.Id); err == nil {
		login.RequestId = up.Id
	}
	body := struct {
		HttpStatusCode int
		Message        string
		Login          struct{ LoginId, RequestId string }
		LoginId        string // Passbook's earlier field, kept for existing clients
		authenticity.FraudAnalysis
	}{200, msg, login, rec.Id, fa}
	api.WriteJSON(w, http.StatusOK, body)
	return nil
}
