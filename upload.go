package passbook

import "time"

// Upload statuses.
const (
	UploadReceived  = "received" // stored, waiting for (or in) processing
	UploadCompleted = "completed"
	UploadFailed    = "failed"
)

// UploadFile is one stored file of an upload.
type UploadFile struct {
	Position  int
	FileName  string
	BlobKey   string
	Size      int64
	SHA256    string
	MediaType string
}

// Upload is the statement files sent in one request, which make one Upload login.
type Upload struct {
	Id          string
	CustomerID  string
	LoginID     string
	Institution string
	Source      string // "api" or "widget"
	Status      string
	Error       string
	TotalBytes  int64
	Files       []UploadFile
	CreatedAt   time.Time
}
