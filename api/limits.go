package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"sync"
	"time"
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
