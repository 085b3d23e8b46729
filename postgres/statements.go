package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/passbookhq/passbook"
)

// UploadOfLogin returns the upload an Upload login was made from, with its files;
// passbook.ErrNotFound when the login has none.
func (db *DB) UploadOfLogin(ctx context.Context, customerID, loginID string) (*passbook.Upload, error) {
	var id string
	err := db.SQL.QueryRowContext(ctx, `SELECT id FROM uploads WHERE login_id = $1 AND customer_id = $2`, loginID, customerID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("upload of login %s: %w", loginID, passbook.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return db.Upload(ctx, id)
}
