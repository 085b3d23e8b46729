package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/passbookhq/passbook"
)

// The admin API: the server operator's management of customers over HTTP, the same as
// `passbook customer create|list|rotate-keys|disable|enable` on the command line.
//
//	POST /v3/admin/customers                        {"Name": "…"} → 201, the new customer and its keys (shown once)
//	GET  /v3/admin/customers                        every customer
//	POST /v3/admin/customers/{customerId}/rotate-keys  new keys (shown once); the old ones stop working
//	POST /v3/admin/customers/{customerId}/disable   its keys, tokens and widget sessions are refused
//	POST /v3/admin/customers/{customerId}/enable    undoes disable
//
// It authenticates with the admin key in "Authorization: Bearer …" (or "x-admin-key"). The key
// belongs to the operator, not to any customer (a customer's Dashboard admins manage their own
// staff, never other customers): `passbook customer admin-key` makes one, prints it once and
// keeps only its SHA-256 in the data directory (AdminKeyFile). Without that file the admin API
// answers 401 to everything.

// AdminKeyFile is the name, in the data directory, of the file holding the admin key's SHA-256
// in hex.
const AdminKeyFile = "admin-key.sha256"

// NewAdminKey makes a new admin key, stores its hash in dataDir (replacing the previous one,
// which stops working) and returns the key.
func NewAdminKey(dataDir string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	key := "pbadm_" + base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(key))
	path := filepath.Join(dataDir, AdminKeyFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(sum[:])+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return key, nil
}

// AdminCustomers is the storage the admin API needs (sqlite.DB).
type AdminCustomers interface {
	CreateCustomer(ctx context.Context, c *passbook.Customer) (passbook.CustomerKeys, error)
	ListCustomers(ctx context.Context) ([]passbook.CustomerRow, error)
	RotateCustomerKeys(ctx context.Context, id string) (passbook.CustomerKeys, error)
	SetCustomerDisabled(ctx context.Context, id string, disabled bool) error
}

// Admin serves the admin API.
type Admin struct {
	Customers AdminCustomers
	// DataDir holds AdminKeyFile; it is read on every request, so a new key works at once.
	DataDir string
	// Changed is told of a customer whose keys were rotated or who was disabled, so that what
	// remembers its keys (Server.ForgetKeys) forgets them at once.
	Changed func(customerID string)
}

func (a *Admin) changed(id string) {
	if a.Changed != nil {
		a.Changed(id)
	}
}

// Register adds the admin routes to mux.
func (a *Admin) Register(mux *http.ServeMux) {
	mux.Handle("POST /v3/admin/customers", a.handle(a.create))
	mux.Handle("GET /v3/admin/customers", a.handle(a.list))
	mux.Handle("POST /v3/admin/customers/{customerId}/rotate-keys", a.handle(a.rotate))
	mux.Handle("POST /v3/admin/customers/{customerId}/disable", a.handle(a.setDisabled(true)))
	mux.Handle("POST /v3/admin/customers/{customerId}/enable", a.handle(a.setDisabled(false)))
}

func (a *Admin) handle(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := a.authenticate(r)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			WriteError(w, r, err)
		}
	})
}

var errAdminKey = passbook.Errorf(passbook.Unauthorized, "The admin key is missing or wrong.")

// authenticate checks the request's admin key against the stored hash, in constant time.
func (a *Admin) authenticate(r *http.Request) error {
	key := r.Header.Get("x-admin-key")
	if key == "" {
		key = Bearer(r)
	}
	if key == "" {
		return errAdminKey
	}
	stored, err := os.ReadFile(filepath.Join(a.DataDir, AdminKeyFile))
	if errors.Is(err, os.ErrNotExist) {
		return errAdminKey
	}
	if err != nil {
		return fmt.Errorf("api: read the admin key: %w", err)
	}
	want, err := hex.DecodeString(strings.TrimSpace(string(stored)))
	if err != nil || len(want) != sha256.Size {
		return fmt.Errorf("api: %s is not a SHA-256 in hex", AdminKeyFile)
	}
	got := sha256.Sum256([]byte(key))
	if subtle.ConstantTimeCompare(got[:], want) != 1 {
		return errAdminKey
	}
	return nil
}

// AdminCustomer is a customer as the admin API shows it; the keys only when just made.
type AdminCustomer struct {
	CustomerId string
	Name       string
	Disabled   bool
	Default    bool   `json:",omitempty"`
	CreatedAt  string `json:",omitempty"`
	// ApiKey is the x-api-key of the data endpoints, AuthKey the flinks-auth-key of
	// GenerateAuthorizeToken: shown once, when created or rotated.
	ApiKey  string `json:",omitempty"`
	AuthKey string `json:",omitempty"`
}

func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	var req struct{ Name string }
	if err := decodeBody(w, r, &req, false); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > 200 {
		return passbook.Errorf(passbook.InvalidRequest, "Name is required (at most 200 bytes).")
	}
	c := &passbook.Customer{Name: req.Name}
	keys, err := a.Customers.CreateCustomer(r.Context(), c)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, AdminCustomer{CustomerId: c.Id, Name: c.Name, ApiKey: keys.APIKey, AuthKey: keys.Secret})
	return nil
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	rows, err := a.Customers.ListCustomers(r.Context())
	if err != nil {
		return err
	}
	out := struct{ Customers []AdminCustomer }{Customers: []AdminCustomer{}}
	for _, c := range rows {
		out.Customers = append(out.Customers, AdminCustomer{CustomerId: c.Id, Name: c.Name, Disabled: c.Disabled, Default: c.Default, CreatedAt: c.CreatedAt})
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

func (a *Admin) rotate(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("customerId")
	keys, err := a.Customers.RotateCustomerKeys(r.Context(), id)
	if err != nil {
		return unknownCustomer(id, err)
	}
	a.changed(id)
	WriteJSON(w, http.StatusOK, AdminCustomer{CustomerId: id, ApiKey: keys.APIKey, AuthKey: keys.Secret})
	return nil
}

func (a *Admin) setDisabled(disabled bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("customerId")
		if err := a.Customers.SetCustomerDisabled(r.Context(), id, disabled); err != nil {
			return unknownCustomer(id, err)
		}
		a.changed(id)
		WriteJSON(w, http.StatusOK, AdminCustomer{CustomerId: id, Disabled: disabled})
		return nil
	}
}

// unknownCustomer is NOT_FOUND for a customer storage does not have, else err.
func unknownCustomer(id string, err error) error {
	if errors.Is(err, passbook.ErrNotFound) {
		return &passbook.Error{Code: passbook.NotFound, Message: fmt.Sprintf("No customer %q.", id), Err: err}
	}
	return err
}
