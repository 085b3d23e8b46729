package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// config is everything `passbook serve` can be told. Each field has a flag and an environment
// variable (PASSBOOK_ + the flag name in upper case, dashes as underscores); a flag wins over
// the environment, which wins over the default.
type config struct {
	Addr         string
	DataDir      string
	PublicURL    string // the URL the server is reached at, for links in responses and webhooks
	LogLevel     slog.Level
	LogFormat    string // "text" or "json"
	ShutdownWait time.Duration
	// Database is where the state lives: a postgres:// URL (the scale path: any number of
	// replicas on one database), or the path of a SQLite file; empty means DataDir/passbook.db.
	Database string
	// Migrate applies the database's migrations at start; false makes serve check that they
	// have been applied (by `passbook migrate`) and refuse to start otherwise.
	Migrate bool
	// JobTimeout bounds one run of a background job; RescueAfter is how long a job may run before
	// it is made available again whatever its replica (0: JobTimeout + 1 hour); ReplicaCheck is
	// how often a replica on PostgreSQL looks for jobs of replicas that died (0: never).
	JobTimeout, RescueAfter, ReplicaCheck time.Duration
	// CredentialsKey encrypts saved bank credentials (32 bytes, base64 or hex); empty means a key
	// generated in DataDir/credentials.key with 0600 permissions.
	CredentialsKey string
	// AllowPrivateWebhooks lets webhooks go to loopback and private addresses (for a demo or tests).
	AllowPrivateWebhooks bool
	// WebhookURL, when set, is registered once as a webhook endpoint of the default customer.
	WebhookURL string
	// Blobs is where uploaded files are kept: a directory, or an s3://bucket URL of any
	// S3-compatible service (credentials from the AWS_* variables); empty means DataDir/blobs.
	Blobs string
	// DemoReceiver runs the built-in demo webhook receiver for the default customer (page at
	// /demo/webhooks).
	DemoReceiver bool
	// Tesseract is the OCR command for scanned statements and images ("off" disables OCR);
	// OCRLanguages are its language codes.
	Tesseract    string
	OCRLanguages string

	// Hostile clients.
	TrustedProxies   prefixList    // proxies whose X-Forwarded-For names the client
	BodyMinRate      int64         // bytes a second a request body must average after BodyGrace
	BodyGrace        time.Duration // time a body may take before the rate counts
	UploadsAtOnce    int           // uploads received at once, all customers
	UploadsPerMinute float64       // uploads a minute per customer (bursts of 30)
	SessionUploads   int           // uploads per widget session per hour
	QueuedUploads    int           // a customer's uploads waiting for processing
	JanitorAge       time.Duration // orphaned blobs and temporary files older than this are removed
	JanitorEvery     time.Duration
	// listenAddr is the address the server is bound to, once it is (for the links it prints).
	listenAddr string
}

// prefixList is a comma-separated list of IP prefixes (or addresses) as a flag.
type prefixList []netip.Prefix

func (p *prefixList) String() string {
	var s []string
	for _, x := range *p {
		s = append(s, x.String())
	}
	return strings.Join(s, ",")
}

func (p *prefixList) Set(v string) error {
	*p = nil
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			*p = append(*p, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		x, err := netip.ParsePrefix(f)
		if err != nil {
			return fmt.Errorf("%q is not an IP address or prefix", f)
		}
		*p = append(*p, x.Masked())
	}
	return nil
}

// configFlags binds cfg's fields to flags on fs with their defaults.
func configFlags(fs *flag.FlagSet, cfg *config) {
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "`host:port` to listen on")
	fs.StringVar(&cfg.DataDir, "data", "./passbook-data", "`directory` for the database, uploaded files and keys (created if missing)")
	fs.StringVar(&cfg.PublicURL, "public-url", "", "`URL` clients reach the server at (default: http://ADDR)")
	fs.TextVar(&cfg.LogLevel, "log-level", slog.LevelInfo, "log `level`: debug, info, warn or error")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log `format`: text or json")
	fs.DurationVar(&cfg.ShutdownWait, "shutdown-wait", 15*time.Second, "how long to let requests and jobs finish on shutdown")
	fs.StringVar(&cfg.Database, "database", "", "the database: postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=… (shared by every replica) or a SQLite `file` (default: DIR/passbook.db)")
	fs.BoolVar(&cfg.Migrate, "migrate", true, "apply PostgreSQL's migrations at start (false: refuse to start until `passbook migrate` has); a SQLite file is always migrated by the one server that owns it")
	fs.DurationVar(&cfg.JobTimeout, "job-timeout", 10*time.Minute, "longest one run of a background job (reading an upload, sending a webhook) may take")
	fs.DurationVar(&cfg.RescueAfter, "rescue-after", 0, "a job running this long is run again, whatever happened to its server (default: --job-timeout + 1h)")
	fs.DurationVar(&cfg.ReplicaCheck, "replica-check", 5*time.Second, "on PostgreSQL, how often to look for jobs of replicas that stopped while running them, to run them here")
	fs.StringVar(&cfg.CredentialsKey, "credentials-key", "", "`key` (32 bytes, base64 or hex) that encrypts saved bank credentials and seals widget sessions; every replica must have the same (default: generated in DIR/credentials.key, for a single server)")
	fs.StringVar(&cfg.Blobs, "blobs", "", "where uploaded files are kept: a `directory` or s3://BUCKET[/PREFIX]?endpoint=URL&region=R, credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default: DIR/blobs)")
	fs.BoolVar(&cfg.AllowPrivateWebhooks, "allow-private-webhooks", false, "allow webhook endpoints on loopback or private addresses")
	fs.BoolVar(&cfg.DemoReceiver, "demo-receiver", true, "receive the default customer's webhooks on a built-in demo receiver shown at /demo/webhooks")
	fs.StringVar(&cfg.Tesseract, "tesseract", "tesseract", "OCR `command` for scanned statements and images (Debian package tesseract-ocr); \"off\" disables OCR")
	fs.StringVar(&cfg.OCRLanguages, "ocr-languages", "eng+fra", "Tesseract `languages` joined by +, those installed used")
	fs.Var(&cfg.TrustedProxies, "trusted-proxy", "comma-separated `addresses or prefixes` of reverse proxies whose X-Forwarded-For names the client (for per-address limits)")
	fs.Int64Var(&cfg.BodyMinRate, "body-min-rate", 64<<10, "`bytes` a second a request body must average (after --body-grace); slower clients are cut off")
	fs.DurationVar(&cfg.BodyGrace, "body-grace", 30*time.Second, "time a request body may take before --body-min-rate applies")
	fs.IntVar(&cfg.UploadsAtOnce, "uploads-at-once", 16, "uploads received at once (all customers); more get 429")
	fs.Float64Var(&cfg.UploadsPerMinute, "uploads-per-minute", 30, "uploads a minute per customer, in bursts of up to 30; more get 429")
	fs.IntVar(&cfg.SessionUploads, "session-uploads", 5, "uploads per widget session per hour; more get 429")
	fs.IntVar(&cfg.QueuedUploads, "queued-uploads", 100, "uploads of one customer that may wait for processing; more get 429")
	fs.DurationVar(&cfg.JanitorAge, "janitor-age", 2*time.Hour, "orphaned uploaded files and temporary files older than this are removed (must exceed the longest upload)")
	fs.DurationVar(&cfg.JanitorEvery, "janitor-every", time.Hour, "how often the janitor runs (it also runs at start)")
	fs.StringVar(&cfg.WebhookURL, "webhook-url", "", "`URL` registered once as a webhook endpoint of the default customer (its secret is printed then)")
}

// parseConfig reads the environment, then the flags, into a config.
func parseConfig(name string, args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("passbook "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFlags(fs, cfg)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: passbook %s [flags]\n\nEvery flag can also be set as PASSBOOK_<FLAG> in the environment.\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		key := "PASSBOOK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(key); ok && envErr == nil {
			if err := f.Value.Set(v); err != nil {
				envErr = fmt.Errorf("%s: %w", key, err)
			}
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("passbook %s: unexpected argument %q", name, fs.Arg(0))
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return nil, fmt.Errorf("--log-format must be text or json, not %q", cfg.LogFormat)
	}
	return cfg, nil
}

// sqlitePath is the SQLite file of a config whose database is not PostgreSQL.
func (c *config) sqlitePath() string {
	if c.Database != "" {
		return c.Database
	}
	return filepath.Join(c.DataDir, "passbook.db")
}

func (c *config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
