package sqlite

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
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM uploads WHERE customer_id = ?`, customerID).Scan(&n)
	return n, err
}

// CountUploads returns how many uploads customerID has made.
func (db *DB) CountUploads(ctx context.Context, customerID string) (int, error) {
	return countUploads(ctx, db.Read, customerID)
}

// BlobReferenced reports whether a stored upload names the blob key: the janitor keeps those.
func (db *DB) BlobReferenced(ctx context.Context, key string) (bool, error) {
	var n int
	// Upload blobs are keyed uploads/{uploadId}/…: the upload id finds them by primary key.
	if parts := strings.Split(key, "/"); len(parts) == 3 && parts[0] == "uploads" {
		err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM upload_files WHERE upload_id = ? AND blob_key = ?`, parts[1], key).Scan(&n)
		return n > 0, err
	}
	err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM upload_files WHERE blob_key = ?`, key).Scan(&n)
	return n > 0, err
}

// CountPendingUploads counts the customer's uploads waiting for or in processing: its queue depth.
func (db *DB) CountPendingUploads(ctx context.Context, customerID string) (int, error) {
	var n int
	err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM uploads WHERE customer_id = ? AND status = ?`, customerID, passbook.UploadReceived).Scan(&n)
	return n, err
}

// CreateUploadTx stores, in tx, the upload u with its files and its login: an Upload login in
// status processing (the API answers 202 OPERATION_PENDING until the job finishes). When quota
// is positive and the customer already made that many uploads, it stores nothing and returns a
// passbook.ErrQuotaExceeded: the count and the insert share the single writer, so they cannot race.
func (db *DB) CreateUploadTx(ctx context.Context, tx *sql.Tx, u *passbook.Upload, quota int) error {
	if quota > 0 {
		n, err := countUploads(ctx, tx, u.CustomerID)
		if err != nil {
			return err
		}
		if n >= quota {
			return fmt.Errorf("%d uploads made, quota %d: %w", n, quota, passbook.ErrQuotaExceeded)
		}
	}
	now := time.Now().UTC()
	u.CreatedAt = now
	if u.Status == "" {
		u.Status = passbook.UploadReceived
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO logins (id, customer_id, institution, username, type, status, pending_code, last_refresh, version)
		VALUES (?, ?, ?, '', ?, ?, ?, ?, 1)`, u.LoginID, u.CustomerID, u.Institution, passbook.LoginUpload, passbook.LoginProcessing,
		string(passbook.OperationPending), now.Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("sqlite: create upload login: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO uploads (id, customer_id, login_id, institution, source, status, file_count, total_bytes, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Id, u.CustomerID, u.LoginID, u.Institution, u.Source, u.Status, len(u.Files), u.TotalBytes,
		now.Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("sqlite: create upload: %w", err)
	}
	for _, f := range u.Files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO upload_files (upload_id, position, file_name, blob_key, size, sha256, media_type)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Id, f.Position, f.FileName, f.BlobKey, f.Size, f.SHA256, f.MediaType); err != nil {
			return fmt.Errorf("sqlite: create upload file: %w", err)
		}
	}
	return nil
}

// Upload returns upload id with its files; passbook.ErrNotFound when there is none.
func (db *DB) Upload(ctx context.Context, id string) (*passbook.Upload, error) {
	var u passbook.Upload
	var created string
	err := db.Read.QueryRowContext(ctx, `SELECT id, customer_id, login_id, institution, source, status, error, total_bytes, created_at
		FROM uploads WHERE id = ?`, id).Scan(&u.Id, &u.CustomerID, &u.LoginID, &u.Institution, &u.Source, &u.Status, &u.Error, &u.TotalBytes, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("upload %s: %w", id, passbook.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	u.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	rows, err := db.Read.QueryContext(ctx, `SELECT position, file_name, blob_key, size, sha256, media_type FROM upload_files
		WHERE upload_id = ? ORDER BY position`, id)
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
	if _, err := tx.ExecContext(ctx, `UPDATE uploads SET status = ?, error = ?, finished_at = ? WHERE id = ?`,
		status, errText, time.Now().UTC().Format(time.RFC3339Nano), u.Id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE logins SET status = ?, pending_code = '', ready_at = 0, last_refresh = ?, version = version + 1 WHERE id = ?`,
		loginStatus, time.Now().UTC().Format(time.RFC3339Nano), u.LoginID)
	return err
}
