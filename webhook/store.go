package webhook

import (
	"context"
	"database/sql"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
)

// Transactor runs fn in one write transaction of the storage, committing when fn returns nil. The
// transaction is a *sql.Tx because River enqueues jobs in it (queue.Inserter): a job and the rows
// it is about are committed together, or neither is.
type Transactor interface {
	Tx(ctx context.Context, fn func(tx *sql.Tx) error) error
}

// Events stores an event with its deliveries in a caller's transaction (see Emit).
type Events interface {
	// InsertWebhookEventTx stores ev and one pending delivery per endpoint of its customer that
	// takes its type, in tx, and returns the new deliveries' ids in the order they must be made.
	// An event id already stored yields no delivery (nil, nil).
	InsertWebhookEventTx(ctx context.Context, tx *sql.Tx, ev passbook.WebhookEvent) ([]int64, error)
}

// Deliveries is what Sender needs to make delivery attempts.
type Deliveries interface {
	// WebhookDelivery returns a delivery with its event and endpoint; passbook.ErrNotFound when
	// there is none (its endpoint was deleted).
	WebhookDelivery(ctx context.Context, id int64) (*passbook.WebhookDelivery, error)
	// EarlierPendingDelivery returns the first delivery still pending to d's endpoint about d's
	// login and made before d, or nil.
	EarlierPendingDelivery(ctx context.Context, d *passbook.WebhookDelivery) (*passbook.WebhookDelivery, error)
	// RecordDeliveryAttempt writes the outcome of one attempt (next: zero when none is due).
	RecordDeliveryAttempt(ctx context.Context, id int64, status string, httpStatus int, errText string, at, next time.Time) error
}

// Store is the storage of the webhook endpoints API, the login announcer and Redeliver; the
// storage packages implement it.
type Store interface {
	api.Keys
	Transactor
	Events
	// CreateWebhookEndpoint stores e, giving it an Id and CreatedAt.
	CreateWebhookEndpoint(ctx context.Context, e *passbook.WebhookEndpoint) error
	// WebhookEndpoints returns a customer's endpoints, oldest first.
	WebhookEndpoints(ctx context.Context, customerID string) ([]passbook.WebhookEndpoint, error)
	// DeleteWebhookEndpoint removes a customer's endpoint with its delivery log;
	// passbook.ErrNotFound when the customer has no such endpoint.
	DeleteWebhookEndpoint(ctx context.Context, customerID, id string) error
	// WebhookDeliveries returns the delivery log of a customer's endpoint, newest first.
	WebhookDeliveries(ctx context.Context, customerID, endpointID string, limit int) ([]passbook.WebhookDelivery, error)
	// ResetWebhookDeliveryTx makes a customer's delivery pending again, in tx;
	// passbook.ErrNotFound when the delivery is not the customer's.
	ResetWebhookDeliveryTx(ctx context.Context, tx *sql.Tx, customerID string, id int64) error
	// LoginRecord returns customerID's login; passbook.ErrNotFound when there is none.
	LoginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error)
	// Accounts returns a login's accounts, in the order they were saved.
	Accounts(ctx context.Context, loginID string) ([]passbook.Account, error)
}

// AnnouncerStore is what LoginAnnouncer needs.
type AnnouncerStore interface {
	Transactor
	Events
	LoginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error)
	Accounts(ctx context.Context, loginID string) ([]passbook.Account, error)
}
