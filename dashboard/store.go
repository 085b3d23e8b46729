package dashboard

import (
	"context"
	"database/sql"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/webhook"
)

// Invites is the storage of staff invitations; FirstAdminLink needs only it.
type Invites interface {
	// CountStaffUsers returns how many staff users a customer has.
	CountStaffUsers(ctx context.Context, customerID string) (int, error)
	// CreateStaffInvite stores a one-time token that creates a staff user of customerID with role
	// until expires, and returns the token.
	CreateStaffInvite(ctx context.Context, customerID, role, createdBy string, expires time.Time) (string, error)
}

// Store is the storage the Dashboard reads and writes; the storage packages implement it.
// Unknown things are passbook.ErrNotFound.
type Store interface {
	Invites
	webhook.Transactor
	webhook.Events
	// Customer returns an enabled customer.
	Customer(ctx context.Context, id string) (*passbook.Customer, error)

	// StaffUserByEmail returns the staff user signing in as email.
	StaffUserByEmail(ctx context.Context, email string) (*passbook.StaffUser, error)
	// StaffUsers lists a customer's staff users by name.
	StaffUsers(ctx context.Context, customerID string) ([]*passbook.StaffUser, error)
	// SetStaffUserDisabled disables (ending every session) or enables a customer's staff user.
	SetStaffUserDisabled(ctx context.Context, customerID, userID string, disabled bool) error
	// CreateStaffSession starts a session of userID until expires and returns its token.
	CreateStaffSession(ctx context.Context, userID string, now, expires time.Time) (string, error)
	// StaffSession returns the enabled user of an unexpired session token.
	StaffSession(ctx context.Context, token string, now time.Time) (*passbook.StaffUser, error)
	// DeleteStaffSession ends a session.
	DeleteStaffSession(ctx context.Context, token string) error
	// StaffInvite returns the customer and role of an unused, unexpired invitation.
	StaffInvite(ctx context.Context, token string, now time.Time) (customerID, role string, err error)
	// AcceptStaffInvite spends the invitation and creates u with its customer and role, at once;
	// an e-mail address already used is passbook.ErrConflict.
	AcceptStaffInvite(ctx context.Context, token string, u *passbook.StaffUser, now time.Time) error

	// LoginSummaries returns one page of customerID's logins matching f at now, and whether more
	// follow.
	LoginSummaries(ctx context.Context, customerID string, f passbook.LoginFilter, now time.Time) ([]passbook.LoginSummary, bool, error)
	// CountUploads returns how many uploads customerID has made.
	CountUploads(ctx context.Context, customerID string) (int, error)
	// LoginRecord returns customerID's login.
	LoginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error)
	// Accounts returns a login's accounts, in the order they were saved.
	Accounts(ctx context.Context, loginID string) ([]passbook.Account, error)
	// LoginDocuments returns the documents of an Upload login with their latest staff reviews.
	LoginDocuments(ctx context.Context, loginID string) ([]passbook.Document, error)
	// UploadOfLogin returns the upload a login of customerID was made from, with its files.
	UploadOfLogin(ctx context.Context, customerID, loginID string) (*passbook.Upload, error)

	// Decisions returns a login's decisions, newest first.
	Decisions(ctx context.Context, customerID, loginID string) ([]passbook.Decision, error)
	// AddDecisionTx records d and its audit entry in tx, and gives d an Id.
	AddDecisionTx(ctx context.Context, tx *sql.Tx, d *passbook.Decision) error
	// Audit appends e to the audit log.
	Audit(ctx context.Context, e passbook.AuditEntry) error
	// AuditLog returns a customer's audit entries, newest first, for one login when loginID is
	// set; at most limit entries before the entry id before (0: from the newest).
	AuditLog(ctx context.Context, customerID, loginID string, before int64, limit int) ([]passbook.AuditEntry, error)

	// WebhookEndpoints returns a customer's webhook endpoints, oldest first.
	WebhookEndpoints(ctx context.Context, customerID string) ([]passbook.WebhookEndpoint, error)
	// WebhookDeliveries returns the delivery log of a customer's endpoint, newest first.
	WebhookDeliveries(ctx context.Context, customerID, endpointID string, limit int) ([]passbook.WebhookDelivery, error)
}
