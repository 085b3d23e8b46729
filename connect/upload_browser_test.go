package connect_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/internal/browser"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/upload"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// uploadEnv is the widget with its upload screens and the real intake of package upload (blob
// store on disk, the durable queue on the same SQLite database; the queue is not started, so
// uploads stay received, which is all the widget sees).
func uploadEnv(t *testing.T) *env {
	t.Helper()
	var e *env
	e = newEnv(t, func(c *connect.Config) {
		c.UploadPath = "/v2/upload/"
		c.UploadLimits = connect.UploadLimits{MaxFiles: upload.MaxFiles, MaxFileBytes: upload.MaxFileBytes, MaxTotal: upload.MaxTotal}
		c.UploadLogin = func(ctx context.Context, customerID, loginID string) (*passbook.Login, error) {
			rec, err := e.db.LoginRecord(ctx, customerID, loginID)
			if err != nil {
				return nil, err
			}
			return &rec.Login, nil
		}
	})
	blobs, err := blob.NewDisk(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	// The processing worker is registered so the intake may enqueue its job; the client is not
	// started, so no job runs here (cmd/passbook's end-to-end test runs them).
	workers := river.NewWorkers()
	river.AddWorker(workers, &upload.Processor{DB: e.db, Blobs: blobs})
	q, err := queue.New(context.Background(), e.db.Write, workers, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := &upload.Service{DB: e.db, Blobs: blobs, Queue: q, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), PDF: testPDF(t),
		WidgetSession: func(r *http.Request, token string) (*passbook.Customer, string, error) {
			sess, c, err := e.widget.OpenSession(r.Context(), token)
			if err != nil {
				return nil, "", err
			}
			return c, sess.Institution, nil
		}}
	svc.Register(e.mux)
	return e
}

var (
	pdfOnce sync.Once
	pdfEng  *pdf.PDFium
	pdfErr  error
)

// testPDF is the PDF engine the intake opens password-protected files with, shared by the tests.
func testPDF(t *testing.T) *pdf.PDFium {
	t.Helper()
	pdfOnce.Do(func() { pdfEng, pdfErr = pdf.New(context.Background(), pdf.Options{Workers: 1}) })
	if pdfErr != nil {
		t.Fatal(pdfErr)
	}
	return pdfEng
}

// fallbackCodes are the codes after which Fallback offers the upload (issue 5).
var fallbackCodes = []passbook.Code{passbook.InvalidUsername, passbook.InvalidPassword, passbook.InvalidLogin,
	passbook.DisabledLogin, passbook.RetryLater, passbook.SessionExpired, passbook.InvalidSecurityResponseNoRetry,
	passbook.AggregationError}

// openWidget loads the host page with the widget at path and waits until ready (a function of
// the frame's document d) holds.
func openWidget(t *testing.T, ctx context.Context, base, path, ready string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/test/host?src="+urlQueryEscape(path))); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx, ready)
}

// addFiles gives the upload screen's file input the files that js (an array expression of
// File) makes, as a picker would.
func addFiles(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	frameJS[bool](t, ctx, `var w = d.defaultView; var files = (function (File) { return `+js+`; })(w.File);
		var dt = new w.DataTransfer(); files.forEach(function (f) { dt.items.add(f); });
		var input = d.getElementById("pb-files"); input.files = dt.files;
		input.dispatchEvent(new w.Event("change")); return true`)
}

// TestUploadScreensInBrowser drives the upload modes and screens in real Chromium: Fallback
// after each login error, Primary, Off (by customer and by URL), force upload for a known and an
// unknown institution, the upload-only flow, the client-side checks, a refusal by the server, and
// an upload that ends with REDIRECT and redirectUrl.
func TestUploadScreensInBrowser(t *testing.T) {
	b := browser.ForTest(t)
	e := uploadEnv(t)
	base := newServer(t, e.mux)

	t.Run("fallback", func(t *testing.T) {
		var got []passbook.Code
		for _, info := range passbook.LoginErrors() {
			if info.Fallback {
				got = append(got, info.Code)
			}
		}
		slices.Sort(got)
		want := slices.Clone(fallbackCodes)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("fallback codes %v, want exactly %v", got, want)
		}
		for _, info := range passbook.LoginErrors() {
			t.Run(string(info.Code), func(t *testing.T) {
				t.Parallel()
				ctx := tab(t, b)
				driveError(t, ctx, base, info, "en")
				offered := frameJS[bool](t, ctx, `return !!d.getElementById("pb-upload")`)
				if offered != slices.Contains(fallbackCodes, info.Code) {
					t.Fatalf("after %s the upload offer is shown=%v", info.Code, offered)
				}
				if !offered {
					return
				}
				frameJS[bool](t, ctx, `d.getElementById("pb-upload").click(); return true`)
				waitFrame(t, ctx, `d.getElementById("pb-upload-form")`)
				waitHost(t, ctx, `e.step === "COMPONENT_LOAD_UPLOAD" && e.institution === "FlinksCapital"`)
			})
		}
	})

	t.Run("primary", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&uploadMode=primary")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		waitFrame(t, ctx, `d.getElementById("pb-credentials") && d.getElementById("pb-upload")`)
	})

	t.Run("off by URL", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&uploadMode=off")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		submitCredentials(t, ctx, "test_disabled_account", "x")
		waitFrame(t, ctx, `d.querySelector("#pb-error[data-flinks-code=DISABLED_LOGIN]")`)
		if frameJS[bool](t, ctx, `return !!d.getElementById("pb-upload")`) {
			t.Fatal("upload offered with uploadMode=off")
		}
		openWidget(t, ctx, base, "/v2/upload/FlinksCapital?uploadMode=off", `d.getElementById("pb-upload-off")`)
	})

	t.Run("force upload", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		// Case, accents and spaces do not matter.
		openWidget(t, ctx, base, "/v2/upload/fl%C3%8Fnks%20CAPITAL?language=fr", `d.getElementById("pb-upload-form")`)
		waitHost(t, ctx, `e.step === "COMPONENT_LOAD_UPLOAD" && e.institution === "FlinksCapital"`)
		if h := frameJS[string](t, ctx, `return d.getElementById("pb-heading").textContent`); h != "Téléversez vos relevés bancaires" {
			t.Errorf("French heading %q", h)
		}
		// The client-side checks: a non-PDF named .pdf, an empty file, a file over 20 MB.
		addFiles(t, ctx, `[new File(["hello, not a pdf"], "fake.pdf", {type: "application/pdf"})]`)
		waitFrame(t, ctx, `!d.getElementById("pb-upload-error").hidden && d.getElementById("pb-upload-message").textContent.indexOf("fake.pdf") !== -1`)
		addFiles(t, ctx, `[new File([], "empty.pdf")]`)
		waitFrame(t, ctx, `d.getElementById("pb-upload-message").textContent.indexOf("empty.pdf") !== -1`)
		addFiles(t, ctx, `[new File([new Uint8Array(21 * 1024 * 1024)], "huge.pdf")]`)
		waitFrame(t, ctx, `d.getElementById("pb-upload-message").textContent.indexOf("20 Mo") !== -1`)
		if n := frameJS[int](t, ctx, `return d.querySelectorAll("#pb-upload-files li").length`); n != 0 {
			t.Fatalf("%d refused files listed", n)
		}
		// Two PDFs listed with their sizes; one removed by keyboard-reachable button.
		addFiles(t, ctx, `[new File(["%PDF-1.4\n% one"], "one.pdf"), new File(["%PDF-1.4\n% second file"], "two.pdf")]`)
		waitFrame(t, ctx, `d.querySelectorAll("#pb-upload-files li").length === 2`)
		if txt := frameJS[string](t, ctx, `return d.getElementById("pb-upload-files").textContent`); !strings.Contains(txt, "one.pdf") || !strings.Contains(txt, "14 B") {
			t.Errorf("file list %q", txt)
		}
		frameJS[bool](t, ctx, `d.querySelector("#pb-upload-files li button.remove").click(); return true`)
		waitFrame(t, ctx, `d.querySelectorAll("#pb-upload-files li").length === 1 && d.getElementById("pb-upload-files").textContent.indexOf("two.pdf") !== -1`)
		// A file the client lets through but the server refuses by its content (a PNG whose header
		// claims 100000×100000 pixels, a decompression bomb): the server's Flinks error is shown.
		frameJS[bool](t, ctx, `d.querySelector("#pb-upload-files li button.remove").click(); return true`)
		ihdr := []byte("IHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x00\x00\x00\x00")
		bomb := binary.BigEndian.AppendUint32(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...), crc32.ChecksumIEEE(ihdr))
		bomb = append(bomb, make([]byte, 64)...)
		addFiles(t, ctx, `[new File([Uint8Array.from(atob(`+jsString(base64Std(bomb))+`), function (c) { return c.charCodeAt(0); })], "scan.png")]`)
		waitFrame(t, ctx, `d.querySelectorAll("#pb-upload-files li").length === 1`)
		frameJS[bool](t, ctx, `d.getElementById("pb-upload-send").click(); return true`)
		ev := waitHost(t, ctx, `e.step === "UPLOAD_ERROR"`)
		if ev["flinksCode"] != string(passbook.PayloadTooLarge) || ev["httpStatusCode"] != float64(413) {
			t.Errorf("UPLOAD_ERROR %v", ev)
		}
		waitFrame(t, ctx, `!d.getElementById("pb-upload-error").hidden && d.getElementById("pb-upload-message").textContent.indexOf("scan.png") !== -1
			&& d.getElementById("pb-upload-code").textContent.indexOf("PAYLOAD_TOO_LARGE") !== -1`)
	})

	t.Run("phone and keyboard", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
			chromedp.Navigate(base+"/v2/upload/FlinksCapital?language=fr")); err != nil {
			t.Fatal(err)
		}
		page := func(js string) string {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () { `+js+` })()`))
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.readyState === "complete" && document.activeElement && document.activeElement.id === "pb-files"`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("the file picker does not have the focus: %v (focus on %s)", err, page(`return document.activeElement.outerHTML`))
		}
		page(`var dt = new DataTransfer(); dt.items.add(new File(["%PDF-1.4 x"], "releve-de-janvier-2026-compte-cheques-principal.pdf"));
			var i = document.getElementById("pb-files"); i.files = dt.files; i.dispatchEvent(new Event("change")); return ""`)
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll("#pb-upload-files li").length === 1`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatal(err)
		}
		if w := page(`return document.documentElement.scrollWidth + " " + window.innerWidth`); w != "360 360" {
			t.Errorf("the screen scrolls sideways on a phone: scrollWidth, innerWidth = %s", w)
		}
		// Tab from the picker reaches the file's remove button, named for the file, then Enter removes it.
		page(`document.getElementById("pb-files").focus(); return ""`)
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
		if label := page(`return document.activeElement.getAttribute("aria-label") || document.activeElement.outerHTML`); label != "Retirer releve-de-janvier-2026-compte-cheques-principal.pdf" {
			t.Fatalf("after Tab the focus is on %s", label)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll("#pb-upload-files li").length === 0 && document.getElementById("pb-upload-send").disabled`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("force upload of an unknown institution", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openWidget(t, ctx, base, "/v2/upload/Banque%20Inconnue?demo=true", `d.getElementById("pb-upload-unknown")`)
		if txt := frameJS[string](t, ctx, `return d.getElementById("pb-upload-unknown").textContent`); !strings.Contains(txt, "Banque Inconnue") {
			t.Errorf("unknown screen says %q", txt)
		}
		// It leads to the upload-only selector, whose choice opens the upload screen.
		frameJS[bool](t, ctx, `d.getElementById("pb-choose").click(); return true`)
		waitFrame(t, ctx, `d.querySelector("#pb-institutions")`)
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		waitFrame(t, ctx, `d.getElementById("pb-upload-form")`)
	})

	t.Run("upload ends like a linked login", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/upload?demo=true&innerRedirect=true&redirectUrl="+base+"/test/landing")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		waitFrame(t, ctx, `d.getElementById("pb-upload-form")`)
		var files []string
		for _, name := range []string{"atlas-00.pdf", "coop-00.pdf", "harbour-00.pdf"} {
			raw, err := os.ReadFile(filepath.Join("..", "statement", "testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, `new File([Uint8Array.from(atob(`+jsString(base64Std(raw))+`), function (c) { return c.charCodeAt(0); })], `+jsString(name)+`, {type: "application/pdf"})`)
		}
		addFiles(t, ctx, "["+strings.Join(files, ",")+"]")
		waitFrame(t, ctx, `d.querySelectorAll("#pb-upload-files li").length === 3 && !d.getElementById("pb-upload-send").disabled`)
		frameJS[bool](t, ctx, `d.getElementById("pb-upload-send").click(); return true`)
		ev := waitHost(t, ctx, `e.step === "REDIRECT"`)
		loginID, _ := ev["loginId"].(string)
		if loginID == "" || ev["institution"] != sandbox.FlinksCapital {
			t.Fatalf("REDIRECT %v", ev)
		}
		waitFrame(t, ctx, `d.getElementById("landed")`)
		if landed := frameJS[string](t, ctx, `return d.location.href`); !strings.Contains(landed, "loginId="+loginID) {
			t.Errorf("landed on %s", landed)
		}
		want := []string{"APP_MOUNTED", "COMPONENT_LOAD_INSTITUTION_SELECTOR", "INSTITUTION_SELECTED", "COMPONENT_LOAD_UPLOAD", "SUBMIT_UPLOAD", "REDIRECT"}
		if got := steps(t, ctx); !slices.Equal(got, want) {
			t.Errorf("steps\n got %v\nwant %v", got, want)
		}
		rec, err := e.db.LoginRecord(context.Background(), e.customer.Id, loginID)
		if err != nil || rec.Type != passbook.LoginUpload {
			t.Fatalf("login %s: %+v %v", loginID, rec, err)
		}
	})

	t.Run("password-protected statement", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openWidget(t, ctx, base, "/v2/upload/FlinksCapital", `d.getElementById("pb-upload-form")`)
		const password = "1985-04-12"
		locked := uploadtest.New("00999-1234567", 1, 6).ProtectedPDF(6, password)
		plain := uploadtest.New("00999-7654321", 1, 4).PDF(6)
		file := func(name string, raw []byte) string {
			return `new File([Uint8Array.from(atob(` + jsString(base64Std(raw)) + `), function (c) { return c.charCodeAt(0); })], ` + jsString(name) + `, {type: "application/pdf"})`
		}
		addFiles(t, ctx, "["+file("plain.pdf", plain)+","+file("locked.pdf", locked)+"]")
		waitFrame(t, ctx, `d.querySelectorAll("#pb-upload-files li").length === 2 && !d.getElementById("pb-upload-send").disabled`)
		if frameJS[bool](t, ctx, `return !!d.querySelector("#pb-upload-files input[type=password]")`) {
			t.Fatal("a password asked before the server asked for one")
		}
		frameJS[bool](t, ctx, `d.getElementById("pb-upload-send").click(); return true`)
		waitHost(t, ctx, `e.step === "UPLOAD_ERROR" && e.flinksCode === "FILE_PASSWORD_REQUIRED" && e.httpStatusCode === 400`)
		// A password field beside the protected file only, named for it, with the focus.
		waitFrame(t, ctx, `d.getElementById("pb-password-1") && !d.getElementById("pb-password-0") && d.activeElement === d.getElementById("pb-password-1")
			&& d.getElementById("pb-upload-message").textContent.indexOf("locked.pdf is protected by a password") !== -1`)
		if label := frameJS[string](t, ctx, `return d.getElementById("pb-password-1").getAttribute("aria-label")`); label != "Password for locked.pdf" {
			t.Errorf("password field label %q", label)
		}
		typePassword := func(pw string) {
			frameJS[bool](t, ctx, `var i = d.getElementById("pb-password-1"); i.value = `+jsString(pw)+`; i.dispatchEvent(new d.defaultView.Event("input")); return true`)
		}
		typePassword("12-04-1985")
		frameJS[bool](t, ctx, `d.getElementById("pb-upload-send").click(); return true`)
		waitHost(t, ctx, `e.step === "UPLOAD_ERROR" && e.flinksCode === "FILE_PASSWORD_INCORRECT"`)
		waitFrame(t, ctx, `d.getElementById("pb-upload-message").textContent.indexOf("does not open it") !== -1 && d.getElementById("pb-password-1")`)
		typePassword(password)
		frameJS[bool](t, ctx, `d.getElementById("pb-upload-send").click(); return true`)
		ev := waitHost(t, ctx, `e.step === "REDIRECT"`)
		loginID, _ := ev["loginId"].(string)
		if rec, err := e.db.LoginRecord(context.Background(), e.customer.Id, loginID); err != nil || rec.Type != passbook.LoginUpload {
			t.Fatalf("login %s: %+v %v", loginID, rec, err)
		}
		// The borrower is told what happened: the statements arrived (not "account connected").
		waitFrame(t, ctx, `d.getElementById("pb-heading") && d.getElementById("pb-heading").textContent === "We received your 2 statements"`)
	})

	t.Run("off by customer", func(t *testing.T) {
		t.Parallel()
		off := uploadEnv(t)
		s := off.customer.Settings
		s.UploadMode = "off"
		if err := off.db.UpdateCustomerSettings(context.Background(), off.customer.Id, s); err != nil {
			t.Fatal(err)
		}
		base := newServer(t, off.mux)
		ctx := tab(t, b)
		// The customer's "off" wins over the URL.
		openHost(t, ctx, base, "/v2/?demo=true&uploadMode=primary")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		submitCredentials(t, ctx, "test_invalid_password", "x")
		waitFrame(t, ctx, `d.querySelector("#pb-error")`)
		if frameJS[bool](t, ctx, `return !!d.getElementById("pb-upload")`) {
			t.Fatal("upload offered to a customer that turned it off")
		}
		openWidget(t, ctx, base, "/v2/upload/FlinksCapital", `d.getElementById("pb-upload-off")`)
	})
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
