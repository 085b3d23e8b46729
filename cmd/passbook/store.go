package main

import (
	"context"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/dashboard"
	"github.com/passbookhq/passbook/upload"
	"github.com/passbookhq/passbook/webhook"
)

// store is everything the server asks of its storage: the union of the interfaces its packages
// declare, and what only the commands use. Each storage package (sqlite, and any other) must
// implement it; the compiler checks sqlite's and postgres's (database.go).
type store interface {
	api.Store
	authorize.Store
	upload.Store
	upload.ProcessStore
	webhook.Store
	webhook.Deliveries
	dashboard.Store
	connect.Customers

	// CreateCustomer stores a new customer (giving it an Id when it has none) with fresh keys
	// and returns them; only their hashes are kept.
	CreateCustomer(ctx context.Context, c *passbook.Customer) (passbook.CustomerKeys, error)
	// EnsureDefaultCustomer returns the default customer, creating it on first start; keys is
	// set only when it was created now.
	EnsureDefaultCustomer(ctx context.Context) (c *passbook.Customer, keys *passbook.CustomerKeys, err error)
	// ListCustomers returns every customer, disabled ones included, oldest first.
	ListCustomers(ctx context.Context) ([]passbook.CustomerRow, error)
	// RotateCustomerKeys gives a customer new keys (its access tokens end); passbook.ErrNotFound
	// for an unknown id.
	RotateCustomerKeys(ctx context.Context, id string) (passbook.CustomerKeys, error)
	// SetCustomerDisabled disables (ending its access tokens) or enables a customer;
	// passbook.ErrNotFound for an unknown id.
	SetCustomerDisabled(ctx context.Context, id string, disabled bool) error
	// UpdateCustomerSettings replaces a customer's settings; passbook.ErrNotFound for an unknown id.
	UpdateCustomerSettings(ctx context.Context, id string, s passbook.CustomerSettings) error
	// SetLoginTag records the tag a login was made with, which the Dashboard shows and searches.
	SetLoginTag(ctx context.Context, loginID, tag string) error
	// BlobReferenced reports whether a stored upload names the blob key (the janitor keeps those).
	BlobReferenced(ctx context.Context, key string) (bool, error)
	// Close releases the storage.
	Close() error
}
