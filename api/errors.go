package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/passbookhq/passbook"
)

// ErrorBody is the shape of every error Passbook's API returns, as Flinks returns them.
type ErrorBody struct {
	HttpStatusCode int
	Message        string
	FlinksCode     passbook.Code
	RequestId      string `json:",omitempty"`
}

type loggerKey struct{}

// WithLogger returns ctx carrying log, which WriteError uses for internal causes.
func WithLogger(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, log)
}

func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}

// WriteError is the one place that turns an error into an HTTP response: the status and
// FlinksCode of its *passbook.Error (INTERNAL_ERROR, 500, for any other error) and a message
// safe to show. Internal causes are logged with the request, never sent.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = passbook.Errorf(passbook.PayloadTooLarge, "The request body is larger than %d bytes.", mbe.Limit)
	}
	if ra, ok := errors.AsType[*RetryAfterError](err); ok && w != nil {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(ra.After.Seconds())))))
	}
	code := passbook.ErrorCode(err)
	status := code.Info().HTTPStatus
	body := ErrorBody{HttpStatusCode: status, Message: passbook.PublicMessage(err), FlinksCode: code}
	ctx := context.Background()
	if r != nil {
		ctx = r.Context()
	}
	log := loggerFrom(ctx)
	attrs := []any{"code", code, "status", status, "err", err.Error()}
	if r != nil {
		attrs = append(attrs, "method", r.Method, "path", r.URL.Path)
	}
	if status >= 500 {
		log.ErrorContext(ctx, "request failed", attrs...)
	} else {
		log.DebugContext(ctx, "request refused", attrs...)
	}
	WriteJSON(w, status, body)
}

// WriteJSON writes v as the JSON body of a response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"HttpStatusCode":500,"Message":"An internal error happened; it has been logged.","FlinksCode":"INTERNAL_ERROR"}`)
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n"))
}
