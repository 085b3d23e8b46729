package upload

import (
	"context"
	"database/sql"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/webhook"
)

// Store is the storage the upload intake and the fraud analysis need; the storage packages
// implement it. Unknown things are passbook.ErrNotFound.
type Store interface {
	api.Keys
	webhook.Transactor
	webhook.Events
	// Customer returns an enabled customer.
	Customer(ctx context.Context, id string) (*passbook.Customer, error)
	// CountUploads returns how many uploads customerID has made (what its quota counts).
	CountUploads(ctx context.Context, customerID string) (int, error)
	// CountPendingUploads counts the customer's uploads waiting for or in processing.
	CountPendingUploads(ctx context.Context, customerID string) (int, error)
	// CreateUploadTx stores, in tx, u with its files and its Upload login (status processing,
	// pending code OPERATION_PENDING). When quota is positive and the customer already made that
	// many uploads it stores nothing and returns passbook.ErrQuotaExceeded; the count and the
	// insert must not race with another upload of the customer.
	CreateUploadTx(ctx context.Context, tx *sql.Tx, u *passbook.Upload, quota int) error
	// LoginRecord returns customerID's login.
	LoginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error)
	// LoginDocuments returns the documents of an Upload login with their staff reviews.
	LoginDocuments(ctx context.Context, loginID string) ([]passbook.Document, error)
	// UploadOfLogin returns the upload a login of customerID was made from, with its files.
	UploadOfLogin(ctx context.Context, customerID, loginID string) (*passbook.Upload, error)
}

// ProcessStore is the storage Processor needs.
type ProcessStore interface {
	webhook.Transactor
	webhook.Events
	// Upload returns an upload with its files.
	Upload(ctx context.Context, id string) (*passbook.Upload, error)
	// SaveAccounts replaces a login's accounts (giving Ids to those without) and bumps its version.
	SaveAccounts(ctx context.Context, loginID string, accounts []passbook.Account) error
	// SaveLoginDocuments replaces the documents an Upload login was made from.
	SaveLoginDocuments(ctx context.Context, loginID string, docs []passbook.Document) error
	// FinishUploadTx records, in tx, the outcome of an upload's processing: its status
	// (passbook.UploadCompleted or UploadFailed) and error, and its login ready or failed.
	FinishUploadTx(ctx context.Context, tx *sql.Tx, u *passbook.Upload, status, errText string) error
}
