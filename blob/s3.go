package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a Store in a bucket of any S3-compatible service (AWS S3, MinIO, SeaweedFS, versitygw,
// Ceph, R2, …). Put streams the content in parts of PartSize bytes, so memory does not grow
// with the blob, under a temporary key; only a complete blob is then copied, server-side, to its
// key with its SHA-256 in the object's metadata, so a reader never sees a partial blob. Open
// checks the content against that hash as it is read.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ends with "/"
	// PartSize is the size of the parts a blob is sent in (at least 5 MiB, S3's minimum).
	PartSize uint64
}

// DefaultPartSize is the part size of a new S3 store.
const DefaultPartSize = 8 << 20

// sha256Meta is the user-metadata key holding a blob's SHA-256 (lower-case hex).
const sha256Meta = "Passbook-Sha256"

// ErrCorrupt is returned while reading a blob whose content no longer matches the hash recorded
// when it was stored.
var ErrCorrupt = errors.New("blob: content does not match its recorded SHA-256")

// NewS3 opens the bucket named by a URL of the form
//
//	s3://BUCKET[/PREFIX]?endpoint=http://host:port&region=REGION
//
// endpoint defaults to AWS (s3.amazonaws.com) and its scheme to https; region defaults to
// us-east-1. Credentials come from the standard AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN variables. The bucket is created when it does not exist.
func NewS3(ctx context.Context, rawURL string) (*S3, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return nil, fmt.Errorf("blob: %q is not an s3://bucket URL", rawURL)
	}
	q := u.Query()
	region := q.Get("region")
	if region == "" {
		region = "us-east-1"
	}
	endpoint, secure := "s3.amazonaws.com", true
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		switch {
		case err == nil && (eu.Scheme == "http" || eu.Scheme == "https") && eu.Host != "":
			endpoint, secure = eu.Host, eu.Scheme == "https"
		case err == nil && !strings.Contains(e, "/"):
			endpoint = e
		default:
			return nil, fmt.Errorf("blob: endpoint %q is not host:port or an http(s) URL", e)
		}
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewEnvAWS(),
		Secure: secure,
		Region: region,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		if !ValidKey(prefix) {
			return nil, fmt.Errorf("blob: invalid key prefix %q", prefix)
		}
		prefix += "/"
	}
	s := &S3{client: client, bucket: u.Host, prefix: prefix, PartSize: DefaultPartSize}
	exists, err := client.BucketExists(ctx, s.bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: bucket %s at %s: %w", s.bucket, endpoint, err)
	}
	if !exists {
		if err := client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region}); err != nil {
			return nil, fmt.Errorf("blob: create bucket %s: %w", s.bucket, err)
		}
	}
	return s, nil
}

func (s *S3) object(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	return s.prefix + key, nil
}

// Put streams r to a temporary object, then copies it to key with its SHA-256 recorded. A
// failed or cancelled read stores nothing under key, and the temporary object is removed.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) (Info, error) {
	obj, err := s.object(key)
	if err != nil {
		return Info{}, err
	}
	var nonce [12]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	tmp := s.prefix + ".tmp/" + hex.EncodeToString(nonce[:])
	h := sha256.New()
	src := &sourceReader{r: io.TeeReader(ctxReader{ctx, r}, h)}
	up, err := s.client.PutObject(ctx, s.bucket, tmp, src, -1,
		minio.PutObjectOptions{ContentType: "application/octet-stream", PartSize: max(s.PartSize, 5<<20)})
	if err == nil || src.err != nil {
		defer func() {
			// The copy below is the blob; the temporary object is best removed now, else the
			// janitor's sweep of .tmp/ removes it later.
			_ = s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, tmp, minio.RemoveObjectOptions{})
		}()
	}
	if src.err != nil {
		// The source failed: whatever the client made of it (it reads a short part as the
		// last one), nothing is stored under key.
		return Info{}, fmt.Errorf("blob: write %s: %w", key, src.err)
	}
	if err != nil {
		// minio-go aborts a multipart upload that fails; nothing is left under key.
		return Info{}, fmt.Errorf("blob: write %s: %w", key, readerError(ctx, err))
	}
	sum := hex.EncodeToString(h.Sum(nil))
	_, err = s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: obj, ReplaceMetadata: true,
			UserMetadata: map[string]string{sha256Meta: sum}},
		minio.CopySrcOptions{Bucket: s.bucket, Object: tmp})
	if err != nil {
		return Info{}, fmt.Errorf("blob: store %s: %w", key, err)
	}
	return Info{Key: key, Size: up.Size, SHA256: sum}, nil
}

// sourceReader remembers the first error of the source other than io.EOF, and hands the client
// a distinct one: minio-go reads parts with io.ReadFull and takes io.ErrUnexpectedEOF from its
// source for a short last part, which would store a truncated blob as complete.
type sourceReader struct {
	r   io.Reader
	err error
}

var errSource = errors.New("blob: the source failed")

func (s *sourceReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, errSource
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
		return n, errSource
	}
	return n, err
}

// readerError returns the context's error when the context ended the copy, so that callers can
// tell a cancelled upload from a broken service.
func readerError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

// Open returns the blob's content. Reading it fails with ErrCorrupt at the end when the bytes
// do not match the SHA-256 recorded by Put.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.object(key)
	if err != nil {
		return nil, err
	}
	o, err := s.client.GetObject(ctx, s.bucket, obj, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	want := st.UserMetadata[sha256Meta]
	if want == "" {
		// Objects not written by Put (copied in by an operator) carry no hash to check.
		return o, nil
	}
	return &verifying{r: o, c: o, h: sha256.New(), want: want, key: key}, nil
}

// verifying hashes what is read and compares the hash with the recorded one at EOF.
type verifying struct {
	r    io.Reader
	c    io.Closer
	h    hash.Hash
	want string
	key  string
}

func (v *verifying) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(v.h.Sum(nil)) != v.want {
		return n, fmt.Errorf("%w: %s", ErrCorrupt, v.key)
	}
	return n, err
}

func (v *verifying) Close() error { return v.c.Close() }

// Delete removes the blob stored under key; a missing blob is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	obj, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, obj, minio.RemoveObjectOptions{}); err != nil {
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil
		}
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// Ping checks that the bucket can be reached with the store's credentials.
func (s *S3) Ping(ctx context.Context) error {
	if _, err := s.client.BucketExists(ctx, s.bucket); err != nil {
		return fmt.Errorf("blob: bucket %s: %w", s.bucket, err)
	}
	return nil
}

// Sweep is the janitor (see Store): it removes the temporary objects and the blobs no one
// references, last modified before before, and aborts the multipart uploads begun before then
// that a killed server left open.
func (s *S3) Sweep(ctx context.Context, before time.Time, referenced func(ctx context.Context, key string) (bool, error)) (int, error) {
	removed := 0
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if o.Err != nil {
			return removed, fmt.Errorf("blob: list: %w", o.Err)
		}
		if !o.LastModified.Before(before) {
			continue
		}
		key := strings.TrimPrefix(o.Key, s.prefix)
		if !strings.HasPrefix(key, ".tmp/") {
			ok, err := referenced(ctx, key)
			if err != nil {
				return removed, err
			}
			if ok {
				continue
			}
		}
		if err := s.client.RemoveObject(ctx, s.bucket, o.Key, minio.RemoveObjectOptions{}); err != nil {
			return removed, fmt.Errorf("blob: sweep %s: %w", key, err)
		}
		removed++
	}
	for u := range s.client.ListIncompleteUploads(ctx, s.bucket, s.prefix, true) {
		if u.Err != nil {
			return removed, fmt.Errorf("blob: list uploads: %w", u.Err)
		}
		if u.Initiated.Before(before) {
			if err := s.client.RemoveIncompleteUpload(ctx, s.bucket, u.Key); err != nil {
				return removed, fmt.Errorf("blob: abort upload %s: %w", u.Key, err)
			}
			removed++
		}
	}
	return removed, nil
}

// keys lists the keys stored under prefix (a key prefix without the store's own), temporary
// objects included under ".tmp/"; for tests and the janitor.
func (s *S3) keys(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("blob: list: %w", o.Err)
		}
		out = append(out, strings.TrimPrefix(o.Key, s.prefix))
	}
	return out, nil
}

// Open returns the Store named by where: an s3:// URL (see NewS3) or a directory on local disk.
func Open(ctx context.Context, where string) (Store, error) {
	if strings.HasPrefix(where, "s3://") {
		return NewS3(ctx, where)
	}
	if strings.Contains(where, "://") {
		return nil, fmt.Errorf("blob: %q: only s3:// URLs and directories are blob stores", where)
	}
	return NewDisk(where)
}
