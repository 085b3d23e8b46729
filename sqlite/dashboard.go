package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/passbookhq/passbook"
)

// UploadByLogin returns the upload an Upload login was made from, with its files, when it
// belongs to customerID; NOT_FOUND otherwise (also for a linked login, which has no upload).
func (db *DB) UploadByLogin(ctx context.Context, customerID, loginID string) (*Upload, error) {
	var id string
	err := db.Read.QueryRowContext(ctx, `SELECT id FROM uploads WHERE login_id = ? AND customer_id = ?`, loginID, customerID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, passbook.Errorf(passbook.NotFound, "no upload for this login")
	}
	if err != nil {
		return nil, err
	}
	return db.Upload(ctx, id)
}
