package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/sqlite"
)

func sqliteNotFound(err error) bool { return passbook.ErrorCode(err) == passbook.NotFound }

// API serves the management of a customer's webhook endpoints under /v3/{customerId}/webhooks,
// authenticated with the customer's x-api-key.
type API struct {
	DB    *sqlite.DB
	Queue queue.Inserter
	Guard Guard
	Log   *slog.Logger
	// WriteError renders an error in the Flinks shape; nil: WriteError of this package.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
}

// Register adds the routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /v3/{customerId}/webhooks", a.handle(a.create))
	mux.HandleFunc("GET /v3/{customerId}/webhooks", a.handle(a.list))
	mux.HandleFunc("DELETE /v3/{customerId}/webhooks/{endpointId}", a.handle(a.delete))
	mux.HandleFunc("GET /v3/{customerId}/webhooks/{endpointId}/deliveries", a.handle(a.deliveries))
	mux.HandleFunc("POST /v3/{customerId}/webhooks/deliveries/{deliveryId}/redeliver", a.handle(a.redeliver))
}

// WriteError writes err as Flinks writes errors: {"HttpStatusCode","Message","FlinksCode"}.
// Internal errors are logged, never shown.
func WriteError(w http.ResponseWriter, log *slog.Logger, err error) {
	status := passbook.StatusOf(err)
	if status >= 500 && log != nil {
		log.Error("request failed", "err", err)
	}
	writeJSON(w, status, map[string]any{
		"HttpStatusCode": status,
		"Message":        passbook.PublicMessage(err),
		"FlinksCode":     passbook.ErrorCode(err),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request, customerID string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("customerId")
		err := a.authenticate(r.Context(), id, r.Header.Get("x-api-key"))
		if err == nil {
			err = fn(w, r, id)
		}
		if err != nil {
			if a.WriteError != nil {
				a.WriteError(w, r, err)
				return
			}
			WriteError(w, a.Log, err)
		}
	}
}

func (a *API) authenticate(ctx context.Context, customerID, key string) error {
	if key == "" {
		return passbook.Errorf(passbook.Unauthorized, "The x-api-key header is missing.")
	}
	ok, err := a.DB.CheckAPIKey(ctx, customerID, key)
	if err != nil {
		return err
	}
	if !ok {
		return passbook.Errorf(passbook.Unauthorized, "The x-api-key is not valid for this customer.")
	}
	return nil
}

// EndpointView is an endpoint as the API shows it; Secret only in the answer to its creation.
type EndpointView struct {
	Id        string
	Url       string
	Secret    string `json:",omitempty"`
	CreatedAt time.Time
}

func (a *API) create(w http.ResponseWriter, r *http.Request, customerID string) error {
	var body struct{ Url string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&body); err != nil {
		return passbook.Errorf(passbook.InvalidRequest, "The body must be JSON: {\"Url\": \"https://…\"}.")
	}
	if err := a.Guard.CheckURL(body.Url); err != nil {
		if errors.Is(err, ErrForbiddenAddress) {
			return passbook.Errorf(passbook.InvalidRequest, "Webhooks cannot be sent to loopback, private or link-local addresses.")
		}
		return passbook.Errorf(passbook.InvalidRequest, "Url must be an absolute http or https URL without credentials.")
	}
	e := &sqlite.WebhookEndpoint{CustomerID: customerID, URL: body.Url, Secret: NewSecret()}
	if err := a.DB.CreateWebhookEndpoint(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, EndpointView{Id: e.Id, Url: e.URL, Secret: e.Secret, CreatedAt: e.CreatedAt})
	return nil
}

func (a *API) list(w http.ResponseWriter, r *http.Request, customerID string) error {
	eps, err := a.DB.WebhookEndpoints(r.Context(), customerID)
	if err != nil {
		return err
	}
	out := make([]EndpointView, 0, len(eps))
	for _, e := range eps {
		out = append(out, EndpointView{Id: e.Id, Url: e.URL, CreatedAt: e.CreatedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"Endpoints": out})
	return nil
}

func (a *API) delete(w http.ResponseWriter, r *http.Request, customerID string) error {
	if err := a.DB.DeleteWebhookEndpoint(r.Context(), customerID, r.PathValue("endpointId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) deliveries(w http.ResponseWriter, r *http.Request, customerID string) error {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return passbook.Errorf(passbook.InvalidRequest, "limit must be between 1 and 1000.")
		}
		limit = n
	}
	ds, err := a.DB.WebhookDeliveries(r.Context(), customerID, r.PathValue("endpointId"), limit)
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []sqlite.WebhookDelivery{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"Deliveries": ds})
	return nil
}

func (a *API) redeliver(w http.ResponseWriter, r *http.Request, customerID string) error {
	id, err := strconv.ParseInt(r.PathValue("deliveryId"), 10, 64)
	if err != nil {
		return passbook.Errorf(passbook.NotFound, "unknown webhook delivery")
	}
	err = a.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := sqlite.ResetWebhookDeliveryTx(r.Context(), tx, customerID, id); err != nil {
			return err
		}
		_, err := a.Queue.InsertTx(r.Context(), tx, DeliverArgs{DeliveryID: id}, nil)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"Id": id, "Status": sqlite.DeliveryPending})
	return nil
}
