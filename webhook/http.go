package webhook

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/queue"
)

// API serves the management of a customer's webhook endpoints under /v3/{customerId}/webhooks,
// authenticated with the customer's x-api-key.
type API struct {
	DB    Store
	Queue queue.Inserter
	Guard Guard
	Log   *slog.Logger
}

// Register adds the routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /v3/{customerId}/webhooks", a.handle(a.create))
	mux.HandleFunc("GET /v3/{customerId}/webhooks", a.handle(a.list))
	mux.HandleFunc("DELETE /v3/{customerId}/webhooks/{endpointId}", a.handle(a.delete))
	mux.HandleFunc("GET /v3/{customerId}/webhooks/{endpointId}/deliveries", a.handle(a.deliveries))
	mux.HandleFunc("POST /v3/{customerId}/webhooks/deliveries/{deliveryId}/redeliver", a.handle(a.redeliver))
}

func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request, customerID string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := api.Authenticate(r.Context(), a.DB, r) // x-api-key, or Authorization: Bearer
		if err == nil {
			err = fn(w, r, id)
		}
		if err != nil {
			api.WriteError(w, r, err)
		}
	}
}

// EndpointView is an endpoint as the API shows it; Secret only in the answer to its creation.
type EndpointView struct {
	Id         string
	Url        string
	Secret     string   `json:",omitempty"`
	EventTypes []string // empty: every type but the opt-in KYC
	CreatedAt  time.Time
}

func (a *API) create(w http.ResponseWriter, r *http.Request, customerID string) error {
	var body struct {
		Url        string
		EventTypes []string
	}
	// Read the whole body first: one too large is 413 whatever its content.
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return passbook.Errorf(passbook.PayloadTooLarge, "The body is larger than %d bytes.", mbe.Limit)
	}
	if err != nil {
		return passbook.Errorf(passbook.InvalidRequest, "The body could not be read.")
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return passbook.Errorf(passbook.InvalidRequest, "The body must be JSON: {\"Url\": \"https://…\", \"EventTypes\": [\"LOGIN_COMPLETED\", …]}.")
	}
	types, err := CheckEventTypes(body.EventTypes)
	if err != nil {
		return err
	}
	if err := a.Guard.CheckURL(body.Url); err != nil {
		if errors.Is(err, ErrForbiddenAddress) {
			return passbook.Errorf(passbook.InvalidRequest, "Webhooks cannot be sent to loopback, private or link-local addresses.")
		}
		return passbook.Errorf(passbook.InvalidRequest, "Url must be an absolute http or https URL without credentials.")
	}
	e := &passbook.WebhookEndpoint{CustomerID: customerID, URL: body.Url, Secret: NewSecret(), EventTypes: types}
	if err := a.DB.CreateWebhookEndpoint(r.Context(), e); err != nil {
		return err
	}
	api.WriteJSON(w, http.StatusCreated, EndpointView{Id: e.Id, Url: e.URL, Secret: e.Secret, EventTypes: nonNil(e.EventTypes), CreatedAt: e.CreatedAt})
	return nil
}

func (a *API) list(w http.ResponseWriter, r *http.Request, customerID string) error {
	eps, err := a.DB.WebhookEndpoints(r.Context(), customerID)
	if err != nil {
		return err
	}
	out := make([]EndpointView, 0, len(eps))
	for _, e := range eps {
		out = append(out, EndpointView{Id: e.Id, Url: e.URL, EventTypes: nonNil(e.EventTypes), CreatedAt: e.CreatedAt})
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"Endpoints": out})
	return nil
}

func (a *API) delete(w http.ResponseWriter, r *http.Request, customerID string) error {
	err := a.DB.DeleteWebhookEndpoint(r.Context(), customerID, r.PathValue("endpointId"))
	if errors.Is(err, passbook.ErrNotFound) {
		return passbook.Errorf(passbook.NotFound, "unknown webhook endpoint")
	}
	if err != nil {
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
		ds = []passbook.WebhookDelivery{}
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"Deliveries": ds})
	return nil
}

func (a *API) redeliver(w http.ResponseWriter, r *http.Request, customerID string) error {
	id, err := strconv.ParseInt(r.PathValue("deliveryId"), 10, 64)
	if err != nil {
		return passbook.Errorf(passbook.NotFound, "unknown webhook delivery")
	}
	if err := a.Redeliver(r.Context(), customerID, id); err != nil {
		return err
	}
	api.WriteJSON(w, http.StatusAccepted, map[string]any{"Id": id, "Status": passbook.DeliveryPending})
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
