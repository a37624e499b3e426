package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestActionItemFormLinksMeetingRequests: the form deciding an item offers
// the requests the meeting's topics name, and links the ones ticked; a
// forged request id is refused with its reason and stores nothing.
func TestActionItemFormLinksMeetingRequests(t *testing.T) {
	ts := newActServer(t)
	r, err := ts.w.Requests.File(ts.w.As(t, "enterprise"), portal.RequestInput{Title: "港区集卡夜间通行难",
		Description: "夜间集卡进港排队时间长，希望协调延长通行时段。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file")
	_, err = ts.w.DB.Database().Collection("meetings").UpdateOne(context.Background(), bson.D{{Key: "_id", Value: "mtg-port-1"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "topics", Value: []portal.Topic{{ID: "tp-1", Title: "港区集卡夜间通行",
			RequestID: r.ID, SubmittedByID: "u-liaison", SubmittedBy: "联络员"}}}}}})
	portaltest.Must(t, err, "add a topic")
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "form offers the topic's request", Method: "GET", Path: "/meetings/mtg-port-1/action-items/new", Actor: "committee",
			Status: 200, Contains: []string{"关联诉求", "议题：港区集卡夜间通行", `name="request_ids" value="` + r.ID + `"`}},
	})
	post := func(ids ...string) (string, string) {
		v := url.Values{"title": {"协调港区集卡夜间通行时段"}, "lead_unit_id": {"dept-trans"}, "due": {dueIn(10)},
			"priority": {"normal"}, "request_ids": ids}
		body, headers := adminFormBody(v)
		res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/meetings/mtg-port-1/action-items", Actor: "committee",
			Body: body, Headers: headers})
		return res.Header().Get("Location"), flashOf(t, res)
	}
	before := ts.count(t)
	if _, flash := post("no-such-request"); !strings.Contains(flash, "不存在或您无权查看") || ts.count(t) != before {
		t.Errorf("a forged request id: flash %q, %d items stored", flash, ts.count(t)-before)
	}
	loc, flash := post(r.ID)
	id, ok := strings.CutPrefix(loc, "/action-items/")
	if !ok {
		t.Fatalf("create with a linked request: redirected to %q, flash %q", loc, flash)
	}
	if got := ts.stored(t, id).RequestIDs; !slices.Equal(got, []string{r.ID}) {
		t.Errorf("linked requests %v, want [%s]", got, r.ID)
	}
}

// TestActionItemPagesOnAPhone: in Chromium at 375 px the committee's board
// and an item's page with its progress form fit the screen.
func TestActionItemPagesOnAPhone(t *testing.T) {
	ts := newActServer(t)
	it := ts.create(t, "mtg-port-1", map[string]any{"title": "协调港区集卡夜间通行时段，延长夜间作业窗口", "lead_unit_id": "dept-trans",
		"co_unit_ids": []string{"dept-hrss"}, "due": dueIn(10)})
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	width := func(path string) (int, int) {
		var scroll, client int
		err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(`main`, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
			chromedp.Evaluate(`document.documentElement.clientWidth`, &client))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		return scroll, client
	}
	signIn := func(user string) {
		err := chromedp.Run(ctx, chromedp.EmulateViewport(375, 812),
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="username"]`, user, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="password"]`, reqTestPassword, chromedp.ByQuery),
			chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`form.logout`, chromedp.ByQuery))
		if err != nil {
			t.Fatalf("sign in as %s: %v", user, err)
		}
	}
	signIn("committee")
	for _, path := range []string{"/board", "/action-items/" + it.ID} {
		if scroll, client := width(path); scroll > client {
			t.Errorf("%s at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", path, scroll, client)
		}
	}
	var hasUpload bool
	err := chromedp.Run(ctx, network.ClearBrowserCookies())
	portaltest.Must(t, err, "sign out")
	signIn("handler")
	if scroll, client := width("/action-items/" + it.ID); scroll > client {
		t.Errorf("the lead's item page at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", scroll, client)
	}
	err = chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector('input[type=file][name=evidence]')`, &hasUpload))
	portaltest.Must(t, err, "find the upload")
	if !hasUpload {
		t.Error("the lead's item page has no evidence upload")
	}
}
