package passbook

import "time"

// Login statuses. A login's data is served only when it is ready.
const (
	LoginProcessing = "processing" // data not ready yet: the API answers 202
	LoginReady      = "ready"
	LoginFailed     = "failed" // the data could not be produced: the API answers AGGREGATION_ERROR
)

// LoginRecord is a stored login with what the API needs besides its public fields.
type LoginRecord struct {
	Login
	CustomerID  string
	Status      string    // LoginProcessing, LoginReady or LoginFailed
	PendingCode Code      // OPERATION_PENDING or OPERATION_DISPATCHED while processing
	ReadyAt     time.Time // a processing login with ReadyAt set turns ready at that time
	Credentials []byte    // sealed saved credentials; nil when not saved
	Version     int64     // bumped whenever the login's accounts change
	Tag         string    // the Tag it was linked with; kept when a later Authorize sends none
	Statements  string    // statement policy: "", "off", "MostRecent", "Months3" or "Months12"
}

// StatusAt returns the login's effective status at now: a processing login whose ReadyAt has
// passed is ready.
func (r *LoginRecord) StatusAt(now time.Time) string {
	if r.Status == LoginProcessing && !r.ReadyAt.IsZero() && !now.Before(r.ReadyAt) {
		return LoginReady
	}
	return r.Status
}

// Request statuses.
const (
	RequestMFA     = "mfa"     // waiting for answers to SecurityChallenges (203)
	RequestPending = "pending" // the login exists; its data is not ready (202)
	RequestDone    = "done"    // the login is authorized; data endpoints may use the RequestId
)

// LoginRequest is an Authorize session, identified by its RequestId.
type LoginRequest struct {
	Id          string
	CustomerID  string
	LoginID     string // set once a login exists
	Institution string
	Username    string
	Status      string // RequestMFA, RequestPending or RequestDone
	State       []byte // sealed connector state (MFA step, password)
	Challenges  []SecurityChallenge
	Save        bool
	Language    string
	Options     string // the options of the data call made with the request
	ExpiresAt   time.Time
	Tag         string // Authorize's Tag, given to the login
	Statements  string // the statement policy given to the login (see LoginRecord.Statements)
}
