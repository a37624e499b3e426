package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestSpotCheckQueueOnAPhone: a reviewer at 375 px opens the queue, which
// fits the screen, and records a verified outcome through the real form;
// the request then carries the verification.
func TestSpotCheckQueueOnAPhone(t *testing.T) {
	ts, month := newSpotServer(t)
	p, err := loadPages(ts.opt.Location)
	portaltest.Must(t, err, "pages")
	ts.pages = p
	seed := int64(3)
	check, err := ts.opt.SpotChecks.Create(ts.w.As(t, "admin"), portal.SpotCheckInput{Month: month, Percent: 100, Seed: &seed,
		ReviewerIDs: []string{"u-dispatcher"}})
	portaltest.Must(t, err, "draw")
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var scroll, client, forms int
	var flash string
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/spot-checks/mine"),
		chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="username"]`, "dispatcher", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, reqTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.sc-verify`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('form.sc-verify').length`, &forms),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &client),
		// The sign-in left a welcome flash: drop it, so that the flash
		// waited for below is the one the form brings.
		chromedp.Evaluate(`document.querySelectorAll('.flash').forEach(e => e.remove())`, nil),
		chromedp.Click(`form.sc-verify input[name=solved][value=unsolved]`, chromedp.ByQuery),
		chromedp.Click(`form.sc-verify input[name=satisfaction][value=dissatisfied]`, chromedp.ByQuery),
		chromedp.SendKeys(`form.sc-verify textarea[name=note]`, "电话核实：企业表示问题仍未解决。", chromedp.ByQuery),
		chromedp.Click(`form.sc-verify button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash-success`, chromedp.ByQuery),
		chromedp.Text(`.flash-success`, &flash, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("verify on a phone: %v", err)
	}
	if forms == 0 || scroll > client {
		t.Errorf("queue at 375px: %d verify forms, scrollWidth %d, clientWidth %d", forms, scroll, client)
	}
	v, err := ts.opt.SpotChecks.Get(ts.w.As(t, "admin"), check.ID, portal.SpotCheckItemQuery{})
	portaltest.Must(t, err, "read the check")
	verified := 0
	for _, it := range v.Items {
		r, err := ts.w.Requests.Store.FindRequestByID(t.Context(), it.RequestID)
		portaltest.Must(t, err, "request %s", it.RequestID)
		if r.Verified != nil && r.Verified.Solved == portal.Unsolved && strings.Contains(r.Verified.Note, "仍未解决") {
			verified++
		}
	}
	if !strings.Contains(flash, "已记录") {
		t.Errorf("after the form the page says %q, want the verification recorded", flash)
	}
	if verified != 1 {
		t.Errorf("after the form (flash %q): %d requests carry the verification, want 1", flash, verified)
	}
}
