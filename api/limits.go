package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/passbookhq/passbook"
)

// limiter is a token bucket per key: rate tokens a second, at most burst saved up.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; full buckets are dropped first when it is reached.
const maxBuckets = 10000

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket, reporting whether there was one.
func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// keyCache remembers, for a short time, API keys that were verified against the database, so a
// busy client does not cost a query per request. It keeps only SHA-256 hashes of the keys.
type keyCache struct {
	mu   sync.RWMutex
	now  func() time.Time
	ttl  time.Duration
	seen map[string]keyEntry
}

type keyEntry struct {
	hash    [32]byte
	expires time.Time
}

func newKeyCache(now func() time.Time) *keyCache {
	return &keyCache{now: now, ttl: 30 * time.Second, seen: map[string]keyEntry{}}
}

func (k *keyCache) ok(customerID, key string) bool {
	k.mu.RLock()
	e, found := k.seen[customerID]
	k.mu.RUnlock()
	if !found || k.now().After(e.expires) {
		return false
	}
	h := sha256.Sum256([]byte(key))
	return subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1
}

func (k *keyCache) remember(customerID, key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.seen) >= maxBuckets {
		clear(k.seen)
	}
	k.seen[customerID] = keyEntry{sha256.Sum256([]byte(key)), k.now().Add(k.ttl)}
}

// forget drops what is remembered of customerID's key.
func (k *keyCache) forget(customerID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.seen, customerID)
}

// wait is how long key's bucket needs to hold a token again.
func (l *limiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	tokens := min(l.burst, b.tokens+l.now().Sub(b.last).Seconds()*l.rate)
	if tokens >= 1 || l.rate <= 0 {
		return 0
	}
	return time.Duration((1 - tokens) / l.rate * float64(time.Second))
}

// RetryAfterError is a refusal that the client may try again after a while: WriteError answers
// it with a Retry-After header.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// TooManyRequests is a TOO_MANY_REQUESTS (429) error whose answer says to retry after d.
func TooManyRequests(d time.Duration, format string, args ...any) error {
	return &RetryAfterError{Err: passbook.Errorf(passbook.TooManyRequests, format, args...), After: d}
}

// ClientAddr is the address a request came from: the connection's peer, or, when that peer is
// one of the trusted proxies, the last address of X-Forwarded-For that is not one of them.
func ClientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(addr, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !isTrusted(a.Unmap(), trusted) {
			return a.Unmap().String()
		}
	}
	return host
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// credentialGate limits the calls that present a customer's credential. The credential is
// checked first: a right one spends the budget of that customer's calls (kind), a wrong one the
// budget of failures of the address it came from, which is checked before the credential is. So a
// stranger who floods a customer id with wrong keys is slowed down without spending the
// customer's budget.
func (s *Server) credentialGate(r *http.Request) (addr string, err error) {
	addr = "fail:" + ClientAddr(r, s.trusted)
	if d := s.failures.wait(addr); d > 0 {
		return addr, TooManyRequests(d, "Too many failed calls from this address; slow down.")
	}
	return addr, nil
}

// failed spends one of the address's failures.
func (s *Server) failed(addr string) { s.failures.allow(addr) }

// spend takes one call from the authenticated customer's budget of kind.
func (s *Server) spend(kind, customerID string) error {
	key := kind + ":" + customerID
	if !s.limiter.allow(key) {
		return TooManyRequests(s.limiter.wait(key), "Too many %s calls for this key; slow down.", kind)
	}
	return nil
}

// Limiter is a token bucket per key, for the other edges that limit their callers (uploads).
// It is safe for concurrent use.
type Limiter struct{ l *limiter }

// NewLimiter allows perSecond calls a second per key, burst at once.
func NewLimiter(perSecond float64, burst int) *Limiter {
	return &Limiter{newLimiter(perSecond, burst, time.Now)}
}

// Take takes a token from key's bucket; when there is none, ok is false and wait says how long
// until there is one.
func (l *Limiter) Take(key string) (wait time.Duration, ok bool) {
	if l.l.allow(key) {
		return 0, true
	}
	return l.l.wait(key), false
}
