// Package institution defines how Passbook talks to a financial institution: a Connector logs in
// with credentials, asks security questions when the institution does, and returns the accounts.
// The sandbox institutions (package sandbox) are Connectors; real protocols can be added beside
// them without touching the Authorize service or the API.
package institution

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

// Credentials are what the end user typed.
type Credentials struct {
	Username string
	Password string
}

// Step is the outcome of a login step that did not fail. Exactly one of these holds:
//   - Challenges is not empty: the institution asks these questions; answer them with Connector.Answer,
//     passing State back unchanged.
//   - Accounts is set (possibly empty): the login succeeded. When ReadyAt is set the institution is
//     still gathering the data: it must not be shown before ReadyAt, and PendingCode
//     (OPERATION_PENDING or OPERATION_DISPATCHED) says why.
type Step struct {
	Challenges  []passbook.SecurityChallenge
	State       []byte // opaque to callers; kept sealed between steps
	Accounts    []passbook.Account
	ReadyAt     time.Time
	PendingCode passbook.Code
}

// Connector links one institution. Failures are *passbook.Error values whose Code is one of the
// login errors of the code table (INVALID_PASSWORD, RETRY_LATER, …).
type Connector interface {
	Institution() passbook.Institution
	// Login starts a login with the end user's credentials.
	Login(ctx context.Context, c Credentials) (*Step, error)
	// Answer continues a login that returned Challenges; answers maps each Prompt to its answers.
	Answer(ctx context.Context, c Credentials, state []byte, answers map[string][]string) (*Step, error)
}

// Registry finds Connectors by institution name (case-insensitive). It is built once and only
// read afterwards.
type Registry struct {
	byName map[string]Connector
	list   []passbook.Institution
}

// NewRegistry returns a registry of the given connectors.
func NewRegistry(cs ...Connector) *Registry {
	r := &Registry{byName: make(map[string]Connector, len(cs))}
	for _, c := range cs {
		inst := c.Institution()
		r.byName[strings.ToLower(inst.Name)] = c
		r.list = append(r.list, inst)
	}
	sort.Slice(r.list, func(i, j int) bool { return r.list[i].Name < r.list[j].Name })
	return r
}

// Lookup returns the connector of the institution called name.
func (r *Registry) Lookup(name string) (Connector, bool) {
	c, ok := r.byName[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}

// Institutions lists the registered institutions by name.
func (r *Registry) Institutions() []passbook.Institution {
	return append([]passbook.Institution(nil), r.list...)
}
