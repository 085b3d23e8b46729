package pdf

import (
	"context"
	"fmt"
)

// Precheck runs the checks that are cheap next to a full read and whose verdict a full read
// would only repeat: the file is a PDF, within the size, page and work budgets (the byte scan of
// Open), PDFium can load it (not damaged beyond repair), and it opens without a password, or
// with password. It reads no page. An upload's intake runs it to refuse a file before any quota
// is charged; the errors are Open's.
func (e *PDFium) Precheck(ctx context.Context, data []byte, password string) error {
	if !hasMagic(data) {
		return ErrNotPDF
	}
	if int64(len(data)) > e.opts.MemoryLimit/2 {
		return fmt.Errorf("%w: %d bytes", ErrTooLarge, len(data))
	}
	if err := checkBudget(data, e.opts.Budget); err != nil {
		return err
	}
	_, err := e.run(ctx, func(w *wasm) (*Document, error) {
		_, _, closeDoc, err := e.load(w, data, password)
		if err != nil {
			return nil, err
		}
		closeDoc()
		return nil, nil
	})
	return err
}

// load loads the document into the instance and checks its page count: h is its handle and n
// its pages; closeDoc closes it and frees the copy of data it reads from.
func (e *PDFium) load(w *wasm, data []byte, password string) (h uint32, n int32, closeDoc func(), err error) {
	buf, err := w.writeBytes(data)
	if err != nil {
		return 0, 0, nil, &wasmError{err}
	}
	var pw uint32 // NULL: no password
	free := func() {
		w.free(buf)
		if pw != 0 {
			w.free(pw)
		}
	}
	if password != "" {
		if pw, err = w.writeBytes(append([]byte(password), 0)); err != nil {
			free()
			return 0, 0, nil, &wasmError{err}
		}
	}
	h, err = w.u32(fnLoadMemDocument, uint64(buf), uint64(len(data)), uint64(pw))
	if err != nil {
		free()
		return 0, 0, nil, &wasmError{err}
	}
	if h == 0 {
		defer free()
		code, err := w.i32(fnGetLastError)
		if err != nil {
			return 0, 0, nil, &wasmError{err}
		}
		switch code {
		case 4: // FPDF_ERR_PASSWORD
			if password != "" {
				return 0, 0, nil, fmt.Errorf("%w: %w", ErrEncrypted, ErrWrongPassword)
			}
			return 0, 0, nil, ErrEncrypted
		case 5: // FPDF_ERR_SECURITY: an unsupported security handler
			return 0, 0, nil, fmt.Errorf("%w (unsupported security handler)", ErrEncrypted)
		default:
			return 0, 0, nil, fmt.Errorf("%w (PDFium error %d)", ErrDamaged, code)
		}
	}
	closeDoc = func() {
		w.call(fnCloseDocument, uint64(h))
		free()
	}
	n, err = w.i32(fnGetPageCount, uint64(h))
	switch {
	case err != nil:
		err = &wasmError{err}
	case n < 0 || int(n) > e.opts.MaxPages:
		err = fmt.Errorf("%w: %d pages", ErrTooLarge, n)
	case n == 0:
		err = fmt.Errorf("%w: no pages", ErrDamaged)
	}
	if err != nil {
		closeDoc()
		return 0, 0, nil, err
	}
	return h, n, closeDoc, nil
}
