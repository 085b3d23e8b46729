package webhook

import (
	"context"
	"database/sql"
	"errors"

	"github.com/passbookhq/passbook"
)

// Redeliver queues delivery id of customerID again, from a fresh attempt count; NOT_FOUND when
// the delivery is not the customer's. The API's redeliver call and the Dashboard both use it.
func (a *API) Redeliver(ctx context.Context, customerID string, id int64) error {
	return a.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := a.DB.ResetWebhookDeliveryTx(ctx, tx, customerID, id)
		if errors.Is(err, passbook.ErrNotFound) {
			return passbook.Errorf(passbook.NotFound, "unknown webhook delivery")
		}
		if err != nil {
			return err
		}
		_, err = a.Queue.InsertTx(ctx, tx, DeliverArgs{DeliveryID: id}, nil)
		return err
	})
}
