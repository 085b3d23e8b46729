package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/passbookhq/passbook"
)

func eventTypesText(types []string) string {
	if len(types) == 0 {
		return ""
	}
	b, _ := json.Marshal(types)
	return string(b)
}

// CreateWebhookEndpoint stores e, giving it an Id when it has none.
func (db *DB) CreateWebhookEndpoint(ctx context.Context, e *passbook.WebhookEndpoint) error {
	if e.Id == "" {
		e.Id = passbook.NewID()
	}
	e.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, customer_id, url, secret, created_at, event_types) VALUES ($1, $2, $3, $4, $5, $6)`,
		e.Id, e.CustomerID, e.URL, e.Secret, e.CreatedAt, eventTypesText(e.EventTypes))
	if err != nil {
		return fmt.Errorf("postgres: create webhook endpoint: %w", err)
	}
	return nil
}

// WebhookEndpoints returns a customer's endpoints, oldest first.
func (db *DB) WebhookEndpoints(ctx context.Context, customerID string) ([]passbook.WebhookEndpoint, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT id, customer_id, url, secret, created_at, event_types FROM webhook_endpoints
		WHERE customer_id = $1 ORDER BY created_at, id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.WebhookEndpoint
	for rows.Next() {
		var e passbook.WebhookEndpoint
		var types string
		if err := rows.Scan(&e.Id, &e.CustomerID, &e.URL, &e.Secret, &e.CreatedAt, &types); err != nil {
			return nil, err
		}
		if types != "" {
			if err := json.Unmarshal([]byte(types), &e.EventTypes); err != nil {
				return nil, err
			}
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteWebhookEndpoint removes a customer's endpoint with its delivery log; passbook.ErrNotFound
// when the customer has no such endpoint.
func (db *DB) DeleteWebhookEndpoint(ctx context.Context, customerID, id string) error {
	res, err := db.SQL.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = $1 AND customer_id = $2`, id, customerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("webhook endpoint %s: %w", id, passbook.ErrNotFound)
	}
	return nil
}

// InsertWebhookEventTx stores ev and one pending delivery per endpoint of its customer that takes
// its type (an endpoint without event types takes every type but passbook.OptInEventTypes), in tx,
// and returns the new deliveries' ids. An event whose id is already stored is left as it is and
// yields no delivery, so emitting an event again (a retried job) never delivers it twice.
func (db *DB) InsertWebhookEventTx(ctx context.Context, tx *sql.Tx, ev passbook.WebhookEvent) ([]int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO webhook_events (id, customer_id, login_id, type, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT(id) DO NOTHING`, ev.Id, ev.CustomerID, ev.LoginID, ev.Type, ev.Body)
	if err != nil {
		return nil, fmt.Errorf("postgres: insert webhook event: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, nil
	}
	optIn, err := json.Marshal(passbook.OptInEventTypes())
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO webhook_deliveries (event_id, endpoint_id, login_id)
		SELECT $1, id, $2 FROM webhook_endpoints WHERE customer_id = $3
			AND CASE WHEN event_types = '' THEN $4 NOT IN (SELECT jsonb_array_elements_text($5::jsonb))
				ELSE EXISTS (SELECT 1 FROM jsonb_array_elements_text(event_types::jsonb) t WHERE t = $4) END
		ORDER BY created_at, id RETURNING seq`,
		ev.Id, ev.LoginID, ev.CustomerID, ev.Type, string(optIn))
	if err != nil {
		return nil, fmt.Errorf("postgres: insert webhook deliveries: %w", err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		seqs = append(seqs, s)
	}
	return seqs, rows.Err()
}

const deliveryColumns = `d.seq, d.event_id, e.type, d.endpoint_id, d.login_id, d.status, d.attempts, d.last_status, d.last_error,
	d.last_attempt_at, d.next_attempt_at, d.delivered_at, e.created_at, p.url, p.secret, e.body`

const deliveryFrom = ` FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints p ON p.id = d.endpoint_id `

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func scanDelivery(row interface{ Scan(...any) error }) (*passbook.WebhookDelivery, error) {
	var d passbook.WebhookDelivery
	var last, next, done int64
	if err := row.Scan(&d.Id, &d.EventID, &d.EventType, &d.EndpointID, &d.LoginID, &d.Status, &d.Attempts, &d.LastStatus,
		&d.LastError, &last, &next, &done, &d.CreatedAt, &d.URL, &d.Secret, &d.Body); err != nil {
		return nil, err
	}
	d.LastAttemptAt, d.NextAttemptAt, d.DeliveredAt = msTime(last), msTime(next), msTime(done)
	d.CreatedAt = d.CreatedAt.UTC()
	return &d, nil
}

// WebhookDelivery returns delivery id with its event and endpoint; passbook.ErrNotFound when there
// is none.
func (db *DB) WebhookDelivery(ctx context.Context, id int64) (*passbook.WebhookDelivery, error) {
	d, err := scanDelivery(db.SQL.QueryRowContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+`WHERE d.seq = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("webhook delivery %d: %w", id, passbook.ErrNotFound)
	}
	return d, err
}

// EarlierPendingDelivery returns the first delivery still pending to the same endpoint about the
// same login as d and made before it, or nil: d must wait for it, so a login's events arrive in
// order.
func (db *DB) EarlierPendingDelivery(ctx context.Context, d *passbook.WebhookDelivery) (*passbook.WebhookDelivery, error) {
	if d.LoginID == "" {
		return nil, nil
	}
	e, err := scanDelivery(db.SQL.QueryRowContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+`
		WHERE d.endpoint_id = $1 AND d.login_id = $2 AND d.status = 'pending' AND d.seq < $3 ORDER BY d.seq LIMIT 1`,
		d.EndpointID, d.LoginID, d.Id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return e, err
}

// RecordDeliveryAttempt writes the outcome of one attempt of delivery id: its new status, the
// HTTP status received (0 for none), the error, and when the next attempt is due (zero: none).
func (db *DB) RecordDeliveryAttempt(ctx context.Context, id int64, status string, httpStatus int, errText string, at, next time.Time) error {
	var delivered, nextMS int64
	if status == passbook.DeliveryDelivered {
		delivered = at.UnixMilli()
	}
	if !next.IsZero() {
		nextMS = next.UnixMilli()
	}
	if len(errText) > 500 {
		errText = errText[:500]
	}
	_, err := db.SQL.ExecContext(ctx, `UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2,
		last_error = $3, last_attempt_at = $4, next_attempt_at = $5, delivered_at = $6 WHERE seq = $7`,
		status, httpStatus, errText, at.UnixMilli(), nextMS, delivered, id)
	return err
}

// WebhookDeliveries returns the delivery log of a customer's endpoint, newest first, at most limit.
func (db *DB) WebhookDeliveries(ctx context.Context, customerID, endpointID string, limit int) ([]passbook.WebhookDelivery, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+`
		WHERE d.endpoint_id = $1 AND p.customer_id = $2 ORDER BY d.seq DESC LIMIT $3`, endpointID, customerID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// ResetWebhookDeliveryTx makes a customer's delivery pending again, for a manual redelivery.
func (db *DB) ResetWebhookDeliveryTx(ctx context.Context, tx *sql.Tx, customerID string, id int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = 0
		WHERE seq = $1 AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE customer_id = $2)`, id, customerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("webhook delivery %d: %w", id, passbook.ErrNotFound)
	}
	return nil
}
