package portaltest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath finds a Chromium: HUIQI_TEST_CHROME, else one on PATH.
func ChromiumPath() string {
	if p := os.Getenv("HUIQI_TEST_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser starts headless Chromium for the test and returns a context for
// chromedp actions in a fresh tab, with the window width and height given.
// Without Chromium the test is skipped, except under CI=true where it fails.
func Browser(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	path := ChromiumPath()
	if path == "" {
		if InCI() {
			tb.Fatal("CI=true but Chromium is not installed (apt-get install chromium)")
		}
		tb.Skip("Chromium not found (install chromium or set HUIQI_TEST_CHROME); skipping browser test")
	}
	// Chromium's helper processes may still write to the profile for a
	// moment after the browser exits, so it is removed with retries rather
	// than through tb.TempDir, whose cleanup fails the test on a race.
	profile, err := os.MkdirTemp("", "huiqi-chromium-")
	if err != nil {
		tb.Fatalf("chromium profile dir: %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		tb.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}
