package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Options configure the PDFium engine. The zero value is usable.
type Options struct {
	// CacheDir holds wazero's compiled form of the PDFium module, which turns a ~3 s, 370 MB
	// start-up into ~0.2 s, 85 MB. Empty means DefaultCacheDir() (or, when that cannot be created,
	// a directory under os.TempDir()); "off" disables the on-disk cache. A directory given here
	// that cannot be used is an error.
	CacheDir string
	// Workers is the number of PDFium instances that may run at once; 0 means runtime.NumCPU().
	Workers int
	// MaxPages rejects documents with more pages with ErrTooLarge; 0 means 2000.
	MaxPages int
	// Timeout bounds the time spent on one document; 0 means 60 s. The caller's context may
	// shorten it.
	Timeout time.Duration
	// MemoryLimit caps the memory of each PDFium instance in bytes; 0 means 512 MiB. A document
	// that needs more fails with ErrTooComplex and its instance is thrown away.
	MemoryLimit int64
	// Budget bounds the work of one document; the zero value is DefaultBudget.
	Budget Budget
}

// PDFium is the Engine backed by PDFium compiled to WebAssembly and run by wazero. It is safe for
// concurrent use; keep one per process.
type PDFium struct {
	pool     pdfium.Pool
	cache    wazero.CompilationCache
	opts     Options
	maxAlloc uint32 // recycle an instance whose memory grew beyond this many bytes
}

var _ Engine = (*PDFium)(nil)

// DefaultCacheDir returns the compilation cache directory used when Options.CacheDir is empty.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "passbook", "wazero")
}

// New compiles (or loads from the cache) the PDFium module and starts one instance.
func New(ctx context.Context, opts Options) (*PDFium, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.MaxPages <= 0 {
		opts.MaxPages = 2000
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.MemoryLimit <= 0 {
		opts.MemoryLimit = 512 << 20
	}
	opts.Budget = opts.Budget.withDefaults()
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(min(opts.MemoryLimit>>16, 65536)))
	e := &PDFium{opts: opts, maxAlloc: 256 << 20}
	if opts.CacheDir != "off" {
		dirs := []string{opts.CacheDir}
		if opts.CacheDir == "" {
			// A read-only home (a container) falls back to the temporary directory, then to
			// compiling in memory: slower, but working.
			dirs = []string{DefaultCacheDir(), filepath.Join(os.TempDir(), "passbook-wazero")}
		}
		var cerr error
		for _, dir := range dirs {
			if cerr = os.MkdirAll(dir, 0o755); cerr != nil {
				continue
			}
			cache, err := wazero.NewCompilationCacheWithDir(dir)
			if cerr = err; err != nil {
				continue
			}
			e.cache = cache
			rc = rc.WithCompilationCache(cache)
			break
		}
		if e.cache == nil && opts.CacheDir != "" {
			return nil, fmt.Errorf("pdf: cache directory: %w", cerr)
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		Context:       context.Background(), // the pool outlives ctx
		MinIdle:       1,
		MaxIdle:       opts.Workers,
		MaxTotal:      opts.Workers,
		FSConfig:      wazero.NewFSConfig(), // no host files inside the sandbox
		RuntimeConfig: rc,
		Stdout:        io.Discard,
		Stderr:        io.Discard,
		ReuseWorkers:  true,
	})
	if err != nil {
		if e.cache != nil {
			e.cache.Close(ctx)
		}
		return nil, fmt.Errorf("pdf: start PDFium: %w", err)
	}
	e.pool = pool
	// Reach into one instance now, so that a go-pdfium whose internals moved fails here rather
	// than on the first document.
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("pdf: start PDFium: %w", err)
	}
	w, err := bind(ctx, inst.GetImplementation())
	if err != nil {
		inst.Kill()
		e.Close()
		return nil, err
	}
	w.release()
	inst.Close()
	return e, nil
}

// Close stops every instance and releases the compilation cache.
func (e *PDFium) Close() error {
	err := e.pool.Close()
	if e.cache != nil {
		if cerr := e.cache.Close(context.Background()); err == nil {
			err = cerr
		}
	}
	return err
}

// Open parses data: the words and objects of every page and the file's structure.
func (e *PDFium) Open(ctx context.Context, data []byte) (*Document, error) {
	return e.OpenPassword(ctx, data, "")
}

// OpenPassword is Open for a file protected by a password: the password opens it for this one
// read and is not kept. A wrong one returns an error wrapping ErrWrongPassword (and
// ErrEncrypted); an empty one is Open.
func (e *PDFium) OpenPassword(ctx context.Context, data []byte, password string) (*Document, error) {
	if !hasMagic(data) {
		return nil, ErrNotPDF
	}
	if int64(len(data)) > e.opts.MemoryLimit/2 {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(data))
	}
	if err := checkBudget(data, e.opts.Budget); err != nil {
		return nil, err
	}
	return e.run(ctx, func(w *wasm) (*Document, error) { return e.read(w, data, password) })
}

// run calls fn with a PDFium instance, within the time budget. Open's and Precheck's reads go
// through it.
func (e *PDFium) run(ctx context.Context, fn func(w *wasm) (*Document, error)) (*Document, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, e.opts.Timeout, errOverTime)
	defer cancel()
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("pdf: no PDFium instance: %w", err)
	}
	// The read runs on its own goroutine so that Open returns when the time budget runs out even
	// if PDFium is stuck in a call: the instance is then killed (the pool starts a fresh one)
	// and the stuck call, if it ever returns, fails on its closed module. The instance is given
	// back once: healthy after a normal read, killed after a failure, a panic or a timeout.
	var once sync.Once
	release := func(healthy bool) {
		once.Do(func() {
			if healthy {
				inst.Close()
				return
			}
			inst.Kill()
			// The instance's memory (up to MemoryLimit) is garbage now: give it back to the
			// system rather than keep it as idle heap.
			go debug.FreeOSMemory()
		})
	}
	type result struct {
		doc *Document
		err error
	}
	out := make(chan result, 1)
	go func() {
		var res result
		healthy := false
		defer func() {
			if r := recover(); r != nil {
				res, healthy = result{nil, fmt.Errorf("%w: PDFium failed: %v", ErrDamaged, r)}, false
			}
			release(healthy)
			out <- res
		}()
		w, err := bind(ctx, inst.GetImplementation())
		if err != nil {
			res.err = err
			return
		}
		w.budget = e.opts.Budget
		res.doc, res.err = fn(w)
		var fatal *wasmError
		if errors.As(res.err, &fatal) {
			// A trap or a broken module: the file drove PDFium somewhere it could not go on —
			// out of its memory (too complex), or into a state it cannot handle (damaged).
			if limit := uint64(e.opts.MemoryLimit); uint64(w.mem.Size())+limit/8 >= limit {
				res.doc, res.err = nil, tooComplex("reading it needs more than %d MB of memory", limit>>20)
			} else {
				res.doc, res.err = nil, fmt.Errorf("%w: %w", ErrDamaged, res.err)
			}
			return
		}
		w.release()
		healthy = ctx.Err() == nil && w.mem.Size() <= e.maxAlloc
	}()
	select {
	case res := <-out:
		if ctx.Err() != nil {
			return nil, e.stopped(ctx)
		}
		return res.doc, res.err
	case <-ctx.Done():
		release(false)
		return nil, e.stopped(ctx)
	}
}

// errOverTime is the cause of a read stopped by the engine's own time budget.
var errOverTime = errors.New("pdf: over the time budget")

// stopped explains why a read was abandoned: a document that outlives the engine's time budget
// is too complex (hostile or pathological); a read cancelled or timed out by the caller is just
// stopped.
func (e *PDFium) stopped(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), errOverTime) {
		return tooComplex("reading it takes longer than %s", e.opts.Timeout)
	}
	return fmt.Errorf("pdf: reading stopped: %w", ctx.Err())
}

// wasmError is a failure of the sandbox itself (a trap, a closed module), after which the
// instance must not be reused.
type wasmError struct{ err error }

func (e *wasmError) Error() string { return "pdf: PDFium: " + e.err.Error() }
func (e *wasmError) Unwrap() error { return e.err }

// read loads the document into the instance and extracts everything.
func (e *PDFium) read(w *wasm, data []byte, password string) (*Document, error) {
	h, n, closeDoc, err := e.load(w, data, password)
	if err != nil {
		return nil, err
	}
	defer closeDoc()
	doc := &Document{Pages: make([]Page, 0, n)}
	doc.Structure = scanStructure(data)
	if err := w.structure(h, &doc.Structure); err != nil {
		return nil, &wasmError{err}
	}
	for i := range int(n) {
		if err := w.ctx.Err(); err != nil {
			return nil, err
		}
		p, err := w.page(h, i)
		if err != nil {
			return nil, err
		}
		doc.Pages = append(doc.Pages, p)
	}
	widgets := 0
	for _, p := range doc.Pages {
		for _, a := range p.Annotations {
			if a.Subtype == "Widget" {
				widgets++
			}
		}
	}
	doc.Structure.FormFields = max(doc.Structure.FormFields, widgets)
	return doc, nil
}

// structure adds what PDFium knows to what the byte scan found.
func (w *wasm) structure(h uint32, s *Structure) error {
	if ok, err := w.i32(fnGetFileVersion, uint64(h), w.at(0)); err != nil {
		return err
	} else if ok != 0 {
		v := int(int32(w.uint32At(0)))
		if v > 0 && v < 100 {
			s.Version = strconv.Itoa(v/10) + "." + strconv.Itoa(v%10)
		}
	}
	rev, err := w.i32(fnGetSecurityHandlerRevision, uint64(h))
	if err != nil {
		return err
	}
	if rev >= 0 {
		s.Encrypted = true
	}
	if s.Info == nil {
		s.Info = map[string]string{}
	}
	for _, tag := range infoKeys {
		if s.Info[tag] != "" {
			continue
		}
		v, err := w.metaText(h, tag)
		if err != nil {
			return err
		}
		if v != "" {
			s.Info[tag] = v
		}
	}
	return nil
}

// infoKeys are the Info dictionary entries read through PDFium when the byte scan cannot see
// them (compressed object streams, encrypted strings).
var infoKeys = []string{"Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate"}

func (w *wasm) metaText(h uint32, tag string) (string, error) {
	key := append([]byte(tag), 0)
	if !w.mem.Write(w.scratch+32, key) {
		return "", errors.New("pdf: sandbox write out of range")
	}
	return w.utf16String(fnGetMetaText, uint64(h), uint64(w.scratch+32))
}

// hasMagic reports whether "%PDF-" occurs within the first 1024 bytes.
func hasMagic(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}
