// Package blob stores uploaded files. Store is the small interface the rest of Passbook uses;
// Disk is its local-disk implementation (the default), which writes each file under a temporary
// name, fsyncs it, renames it into place and records its SHA-256, so a crash never leaves a
// half-written file under a real key.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Info describes a stored blob.
type Info struct {
	Key    string
	Size   int64
	SHA256 string // lower-case hex
}

// Store keeps blobs under keys. Keys are slash-separated paths of letters, digits, '-', '_' and
// '.' (no empty, "." or ".." segment).
type Store interface {
	// Put stores everything r yields under key, replacing any blob there. When r fails, nothing
	// is stored and r's error is returned (wrapped).
	Put(ctx context.Context, key string, r io.Reader) (Info, error)
	// Open returns the blob's content; ErrNotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes a blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// Ping reports whether the store can be reached (for readiness checks).
	Ping(ctx context.Context) error
	// Sweep is the janitor: it removes temporary objects and the blobs no committed record
	// references (referenced says), last modified before before, and returns how many it removed.
	Sweep(ctx context.Context, before time.Time, referenced func(ctx context.Context, key string) (bool, error)) (int, error)
}

// ErrNotFound is returned by Open for a key with no blob.
var ErrNotFound = errors.New("blob: not found")

// ValidKey reports whether key is a well-formed blob key.
func ValidKey(key string) bool {
	if key == "" || len(key) > 512 {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
			if !ok {
				return false
			}
		}
	}
	return true
}

// Disk is a Store in a directory of the local file system.
type Disk struct {
	dir string
}

// NewDisk returns a Store rooted at dir, creating it if needed.
func NewDisk(dir string) (*Disk, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, ".tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Disk{dir: abs}, nil
}

func (d *Disk) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	return filepath.Join(d.dir, filepath.FromSlash(key)), nil
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Put writes r to a temporary file, fsyncs it, renames it to key and fsyncs the directory.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader) (Info, error) {
	dst, err := d.path(key)
	if err != nil {
		return Info{}, err
	}
	tmp, err := os.CreateTemp(filepath.Join(d.dir, ".tmp"), "put-*")
	if err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return Info{}, fmt.Errorf("blob: write %s: %w", key, err)
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, fmt.Errorf("blob: sync %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("blob: close %s: %w", key, err)
	}
	// The key's folder is made only now, so a write that fails leaves none behind.
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	ok = true
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return Info{}, err
	}
	return Info{Key: key, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	return nil
}

// Open opens the blob stored under key.
func (d *Disk) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return f, err
}

// Ping checks that the store's directory is there.
func (d *Disk) Ping(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(d.dir, ".tmp")); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}

// Delete removes the blob stored under key.
func (d *Disk) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %w", err)
	}
	d.removeEmptyParents(filepath.Dir(p))
	return nil
}

// removeEmptyParents removes dir and its parents up to the store's root while they are empty.
func (d *Disk) removeEmptyParents(dir string) {
	for dir != d.dir && strings.HasPrefix(dir, d.dir+string(filepath.Separator)) {
		if os.Remove(dir) != nil { // not empty (or gone): stop
			return
		}
		dir = filepath.Dir(dir)
	}
}

// Sweep is the janitor: it removes the temporary files, and the blobs no one references
// (referenced reports whether a committed record names a key), last modified before before — the
// leftovers of a server killed while it received or processed an upload — and the folders left
// empty. It never removes a referenced blob, nor anything newer than before, which must be older
// than the longest upload can take. It returns how many files it removed.
func (d *Disk) Sweep(ctx context.Context, before time.Time, referenced func(ctx context.Context, key string) (bool, error)) (int, error) {
	removed := 0
	var dirs []string
	err := filepath.WalkDir(d.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if e.IsDir() {
			if p != d.dir && p != filepath.Join(d.dir, ".tmp") {
				dirs = append(dirs, p)
			}
			return nil
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			return nil
		}
		rel, err := filepath.Rel(d.dir, p)
		if err != nil {
			return nil
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, ".tmp/") {
			ok, err := referenced(ctx, key)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		}
		if err := os.Remove(p); err == nil {
			removed++
		}
		return nil
	})
	// Deepest first, so a folder emptied by removing its children goes too.
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, harmlessly, on a folder that is not empty
	}
	return removed, err
}
