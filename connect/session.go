package connect

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/seal"
)

// Session is where one visitor is in the widget. It travels with every form of the widget as a
// sealed (AES-GCM, authenticated) hidden field, so the server keeps no per-visitor state and any
// replica holding the same key can answer the next step. The password never enters it.
type Session struct {
	CustomerID  string                       `json:"c"`
	Opts        Options                      `json:"o"`
	Institution string                       `json:"i,omitempty"`
	Username    string                       `json:"u,omitempty"` // to fill the form again after an error
	Consented   bool                         `json:"ok,omitempty"`
	RequestID   string                       `json:"rq,omitempty"` // of a 203 or 202 to continue
	Challenges  []passbook.SecurityChallenge `json:"ch,omitempty"` // of the current 203
	Failures    int                          `json:"f,omitempty"`  // failed attempts, for maximumRetry
	LoginID     string                       `json:"li,omitempty"` // set once the login succeeded
	Ended       bool                         `json:"e,omitempty"`  // the attempt ended with an error that is not retryable
	UploadOnly  bool                         `json:"uo,omitempty"` // the upload-only flow (/v2/upload): the selector leads to the upload screen
	Expires     int64                        `json:"x"`            // unix seconds
}

// sessionLifetime is how long a session stays usable after its last step.
const sessionLifetime = 30 * time.Minute

// sealer seals and opens sessions with one key.
type sealer struct{ box *seal.Box }

// newSealer returns a sealer for key; an empty key means a random one (sessions then do not
// survive a restart nor move between replicas).
func newSealer(key []byte) (*sealer, error) {
	if len(key) == 0 {
		key = make([]byte, seal.KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	b, err := seal.New(key)
	if err != nil {
		return nil, errors.New("connect: session key must be 32 bytes")
	}
	return &sealer{b}, nil
}

// seal returns s as an opaque URL-safe string, valid for sessionLifetime from now.
func (k *sealer) seal(s *Session, now time.Time) (string, error) {
	s.Expires = now.Add(sessionLifetime).Unix()
	plain, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	sealed, err := k.box.Seal(plain, nil)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// open reads a sealed session; anything forged, damaged or expired is SESSION_EXPIRED.
func (k *sealer) open(token string, now time.Time) (*Session, error) {
	expired := &passbook.Error{Code: passbook.SessionExpired}
	if token == "" || len(token) > 64<<10 {
		return nil, expired
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, expired
	}
	plain, err := k.box.Open(raw, nil)
	if err != nil {
		return nil, expired
	}
	var s Session
	if err := json.Unmarshal(plain, &s); err != nil {
		return nil, expired
	}
	if now.Unix() > s.Expires {
		return nil, expired
	}
	return &s, nil
}
