package api

import "sync"

// cache keeps encoded account data by login, version and options, so that repeated reads of
// the same cached login cost no decoding or encoding. Entries of a login become unreachable when
// its version changes (its data was refreshed) and age out first-in first-out when the cache is
// over its byte budget.
type cache struct {
	mu    sync.Mutex
	max   int
	size  int
	items map[string][]byte
	order []string
}

func newCache(maxBytes int) *cache {
	return &cache{max: maxBytes, items: map[string][]byte{}}
}

func (c *cache) get(key string) ([]byte, bool) {
	if c.max < 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.items[key]
	return b, ok
}

func (c *cache) put(key string, b []byte) {
	if c.max < 0 || len(b) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok {
		return
	}
	for c.size+len(b) > c.max && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(c.items[old])
		delete(c.items, old)
	}
	c.items[key] = b
	c.order = append(c.order, key)
	c.size += len(b)
}
