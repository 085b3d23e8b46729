package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

// countUploads returns how many uploads customerID has made (what its quota counts).
func countUploads(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, customerID string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM uploads WHERE customer_id = $1`, customerID).Scan(&n)
	return n, err
}

// CountUploads returns how many uploads customerID has made.
func (db *DB) CountUploads(ctx context.Context, customerID string) (int, error) {
	return countUploads(ctx, db.SQL, customerID)
}

// BlobReferenced reports whether a stored upload names the blob key: the janitor keeps those.
func (db *DB) BlobReferenced(ctx context.Context, key string) (bool, error) {
	var n int
	// Upload blobs are keyed uploads/{uploadId}/…: the upload id finds them by primary key.
	if parts := strings.Split(key, "/"); len(parts) == 3 && parts[0] == "uploads" {
		err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM upload_files WHERE upload_id = $1 AND blob_key = $2`, parts[1], key).Scan(&n)
		return n > 0, err
	}
	err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM upload_files WHERE blob_key = $1`, key).Scan(&n)
	return n > 0, err
}

// CountPendingUploads counts the customer's uploads waiting for or in processing: its queue depth.
func (db *DB) CountPendingUploads(ctx context.Context, customerID string) (int, error) {
	var n int
	err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM uploads WHERE customer_id = $1 AND status = $2`, customerID, passbook.UploadReceived).Scan(&n)
	return n, err
}

// CreateUploadTx stores, in tx, the upload u with its files and its login: an Upload login in
// status processing (the API answers 202 OPERATION_PENDING until the job finishes). When quota
// is positive and the customer already made that many uploads, it stores nothing and returns a
// passbook.ErrQuotaExceeded. The customer's row is locked for the count and the insert, so two
// uploads of the customer (on any replicas) are counted one after the other.
func (db *DB) CreateUploadTx(ctx context.Context, tx *sql.Tx, u *passbook.Upload, quota int) error {
	if quota > 0 {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM customers WHERE id = $1 FOR UPDATE`, u.CustomerID); err != nil {
			return err
		}
		n, err := countUploads(ctx, tx, u.CustomerID)
		if err != nil {
			return err
		}
		if n >= quota {
			return fmt.Errorf("%d uploads made, quota %d: %w", n, quota, passbook.ErrQuotaExceeded)
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	u.CreatedAt = now
	if u.Status == "" {
		u.Status = passbook.UploadReceived
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO logins (id, customer_id, institution, username, type, status, pending_code, last_refresh, version, created_at)
		VALUES ($1, $2, $3, '', $4, $5, $6, $7, 1, $8)`, u.LoginID, u.CustomerID, u.Institution, passbook.LoginUpload, passbook.LoginProcessing,
		string(passbook.OperationPending), now.Format(time.RFC3339Nano), now)
	if err != nil {
		return fmt.Errorf("postgres: create upload login: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO uploads (id, customer_id, login_id, institution, source, status, file_count, total_bytes, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, u.Id, u.CustomerID, u.LoginID, u.Institution, u.Source, u.Status, len(u.Files), u.TotalBytes, now)
	if err != nil {
		return fmt.Errorf("postgres: create upload: %w", err)
	}
	for _, f := range u.Files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO upload_files (upload_id, position, file_name, blob_key, size, sha256, media_type)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.Id, f.Position, f.FileName, f.BlobKey, f.Size, f.SHA256, f.MediaType); err != nil {
			return fmt.Errorf("postgres: create upload file: %w", err)
		}
	}
	return nil
}

// Upload returns upload id with its files; passbook.ErrNotFound when there is none.
func (db *DB) Upload(ctx context.Context, id string) (*passbook.Upload, error) {
	var u passbook.Upload
	err := db.SQL.QueryRowContext(ctx, `SELECT id, customer_id, login_id, institution, source, status, error, total_bytes, created_at
		FROM uploads WHERE id = $1`, id).Scan(&u.Id, &u.CustomerID, &u.LoginID, &u.Institution, &u.Source, &u.Status, &u.Error, &u.TotalBytes, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("upload %s: %w", id, passbook.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	rows, err := db.SQL.QueryContext(ctx, `SELECT position, file_name, blob_key, size, sha256, media_type FROM upload_files
		WHERE upload_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f passbook.UploadFile
		if err := rows.Scan(&f.Position, &f.FileName, &f.BlobKey, &f.Size, &f.SHA256, &f.MediaType); err != nil {
			return nil, err
		}
		u.Files = append(u.Files, f)
	}
	return &u, rows.Err()
}

// FinishUploadTx records, in tx, the outcome of an upload's processing: the upload's status and
// error, and its login ready (completed) or failed.
func (db *DB) FinishUploadTx(ctx context.Context, tx *sql.Tx, u *passbook.Upload, status, errText string) error {
	loginStatus := passbook.LoginReady
	if status == passbook.UploadFailed {
		loginStatus = passbook.LoginFailed
	}
	if _, err := tx.ExecContext(ctx, `UPDATE uploads SET status = $1, error = $2, finished_at = $3 WHERE id = $4`,
		status, errText, time.Now().UTC(), u.Id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE logins SET status = $1, pending_code = '', ready_at = 0, last_refresh = $2, version = version + 1 WHERE id = $3`,
		loginStatus, time.Now().UTC().Format(time.RFC3339Nano), u.LoginID)
	return err
}
