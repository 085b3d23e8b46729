// Package webhook announces events to customers' endpoints: it signs each delivery both the way
// Flinks does (flinks-authenticity-key) and the Standard Webhooks way (webhook-id,
// webhook-timestamp, webhook-signature), refuses to call loopback and private addresses unless
// configured to, and delivers from the durable queue with retries, in order per login.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of a signed delivery.
const (
	HeaderFlinks    = "flinks-authenticity-key" // base64 HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes
	HeaderID        = "webhook-id"              // the event id, stable across retries
	HeaderTimestamp = "webhook-timestamp"       // unix seconds of this attempt
	HeaderSignature = "webhook-signature"       // "v1,<base64 HMAC-SHA256 of id.timestamp.body>"
)

// secretPrefix marks a Standard Webhooks secret: the rest is the base64 of the key bytes.
const secretPrefix = "whsec_"

// NewSecret returns a fresh endpoint secret: "whsec_" and the base64 of 32 random bytes.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("webhook: crypto/rand failed: " + err.Error())
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(b[:])
}

// standardKey returns the HMAC key of the Standard Webhooks signature: the decoded bytes after
// "whsec_", or the secret's own bytes when it is not in that form.
func standardKey(secret string) []byte {
	if rest, ok := strings.CutPrefix(secret, secretPrefix); ok {
		if k, err := base64.StdEncoding.DecodeString(rest); err == nil {
			return k
		}
	}
	return []byte(secret)
}

func mac(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// FlinksSignature returns the flinks-authenticity-key of body: the base64 HMAC-SHA256 of the raw
// body, keyed with the secret's UTF-8 bytes, as Flinks computes it.
func FlinksSignature(secret string, body []byte) string {
	return base64.StdEncoding.EncodeToString(mac([]byte(secret), body))
}

// StandardSignature returns the Standard Webhooks signature "v1,<base64>" of body sent as event
// id at unix time ts.
func StandardSignature(secret, id string, ts int64, body []byte) string {
	msg := make([]byte, 0, len(id)+len(body)+24)
	msg = append(msg, id...)
	msg = append(msg, '.')
	msg = strconv.AppendInt(msg, ts, 10)
	msg = append(msg, '.')
	msg = append(msg, body...)
	return "v1," + base64.StdEncoding.EncodeToString(mac(standardKey(secret), msg))
}

// Sign sets on h the headers of a delivery of body as event id at time now.
func Sign(h http.Header, secret, id string, now time.Time, body []byte) {
	ts := now.Unix()
	h.Set(HeaderFlinks, FlinksSignature(secret, body))
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, StandardSignature(secret, id, ts, body))
}

// Verification errors.
var (
	ErrNoSignature  = errors.New("webhook: missing signature headers")
	ErrBadSignature = errors.New("webhook: signature does not match")
	ErrStale        = errors.New("webhook: timestamp outside the tolerance")
)

// DefaultTolerance is how far a delivery's timestamp may be from the receiver's clock.
const DefaultTolerance = 5 * time.Minute

// Verify checks a received delivery as a receiver would: the Standard Webhooks signature (one of
// the space-separated "v1,…" values must match) with a timestamp within tolerance of now, and the
// flinks-authenticity-key. Both must be present and valid.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, tsText, sigs, flinks := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature), h.Get(HeaderFlinks)
	if id == "" || tsText == "" || sigs == "" || flinks == "" {
		return ErrNoSignature
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	want := StandardSignature(secret, id, ts, body)
	match := false
	for _, s := range strings.Fields(sigs) {
		if hmac.Equal([]byte(s), []byte(want)) {
			match = true
		}
	}
	if !match || !hmac.Equal([]byte(flinks), []byte(FlinksSignature(secret, body))) {
		return ErrBadSignature
	}
	return nil
}
