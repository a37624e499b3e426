package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestDashboardChartsInBrowser: in Chromium at a phone's width the leaders'
// dashboard draws all four charts from the embedded figures — the
// department ranking shows the one department's 100 % — without scrolling
// sideways, nor do the rate table and the scorecard.
func TestDashboardChartsInBrowser(t *testing.T) {
	ts := newKPIServer(t)
	ts.seed(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var charts, scroll, client int
	var ranking, trend string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/dashboard"),
		chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="username"]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, reqTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#chart-channels svg`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.kpi-chart svg').length`, &charts),
		chromedp.Evaluate(`document.getElementById('chart-departments').textContent`, &ranking),
		chromedp.Evaluate(`document.getElementById('chart-trend').textContent`, &trend),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &client),
	)
	if err != nil {
		t.Fatalf("open the dashboard: %v", err)
	}
	if charts != 4 {
		t.Errorf("the dashboard drew %d charts, want 4", charts)
	}
	if !strings.Contains(ranking, "区交通运输局") || !strings.Contains(ranking, "100%") {
		t.Errorf("department ranking shows %q, want 区交通运输局 at 100%%", ranking)
	}
	if !strings.Contains(trend, "受理") || !strings.Contains(trend, "满意率") {
		t.Errorf("monthly trend shows %q, want its 受理 and 满意率 series", trend)
	}
	if scroll > client {
		t.Errorf("the dashboard at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", scroll, client)
	}
	for _, path := range []string{"/kpis?group_by=department", "/kpis/scorecard?department=dept-trans"} {
		err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(`table`, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
			chromedp.Evaluate(`document.documentElement.clientWidth`, &client))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if scroll > client {
			t.Errorf("%s at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", path, scroll, client)
		}
	}
}
