// Package browser starts headless Chromium through chromedp for the tests that drive the widget
// and the Dashboard and for the code that prints statement fixtures from HTML.
package browser

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// ErrNoChromium means no Chromium binary was found.
var ErrNoChromium = errors.New("chromium not found: install the chromium package (.ci/run does)")

// Path returns the Chromium binary to use: $PASSBOOK_CHROMIUM, else the first of the usual names
// on PATH.
func Path() (string, error) {
	if p := os.Getenv("PASSBOOK_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// Start launches a headless Chromium with a fresh profile and returns a chromedp context for a
// first tab; cancel closes the browser. The flags keep Chromium off the network (this machine
// has none to offer) and working as root.
func Start(ctx context.Context) (context.Context, context.CancelFunc, error) {
	path, err := Path()
	if err != nil {
		return nil, nil, err
	}
	opts := append([]chromedp.ExecAllocatorOption{},
		chromedp.ExecPath(path),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoSandbox,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		return nil, nil, err
	}
	return bctx, func() { bcancel(); acancel() }, nil
}

// ForTest starts Chromium for a test and closes it when the test ends. Without Chromium the test
// is skipped, except under CI (CI=true), where a missing browser is a failure.
func ForTest(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel, err := Start(context.Background())
	if errors.Is(err, ErrNoChromium) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return ctx
}
