package portal_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/search"
)

// simFixture is the demo district with its request index, plus an
// enterprise without a liaison in ent-001's park (p-logistics), so that
// scopes differ on requests of the same park.
type simFixture struct {
	*portaltest.World
	now       time.Time
	neighbour string // the enterprise beside ent-001
}

func newSimFixture(t *testing.T) *simFixture {
	t.Helper()
	f := &simFixture{now: time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)}
	db := portaltest.DB(t)
	f.World = portaltest.NewWorld(t, db, func() time.Time { return f.now })
	n := *demo.Enterprises()[12]
	n.SubdistrictID, n.ParkID, n.LiaisonID, n.TaskForceID, n.ChainIDs = "sd-haigang", "p-logistics", "", "", nil
	portaltest.Must(t, mongostore.NewEnterpriseStore(db).CreateEnterprise(context.Background(), &n), "neighbour enterprise")
	f.neighbour = n.ID
	return f
}

// file files a request as username for enterprise (empty: the user's own).
func (f *simFixture) file(t *testing.T, username, enterprise, category, title, description string) *portal.Request {
	t.Helper()
	in := portal.RequestInput{EnterpriseID: enterprise, Title: title, Description: description, Category: category,
		Type: portal.TypeHelp, Channel: portal.ChannelPhone}
	if enterprise == "" {
		in.Channel = portal.ChannelPortal
	}
	r, err := f.Requests.File(f.As(t, username), in, nil)
	portaltest.Must(t, err, "file %q as %s", title, username)
	f.now = f.now.Add(time.Minute)
	return r
}

// similar asks as username and returns the numbers found, in order.
func (f *simFixture) similar(t *testing.T, username string, q portal.SimilarQuery) []string {
	t.Helper()
	found, err := f.Requests.Similar(f.As(t, username), q)
	portaltest.Must(t, err, "similar as %s", username)
	out := []string{}
	for _, r := range found {
		out = append(out, r.No)
	}
	return out
}

// indexed reports whether the request index holds a document for r.
func (f *simFixture) indexed(t *testing.T, r *portal.Request) bool {
	t.Helper()
	res, err := f.Search.Index.Search(context.Background(), search.Query{
		Filters: []search.Filter{{Field: "no", Values: []string{r.No}}}})
	portaltest.Must(t, err, "search the index for %s", r.No)
	return res.Total > 0
}

const (
	jamTitle = "港前路早高峰拥堵影响货车进港"
	jamText  = "每天早上港前路严重拥堵，公司货车排队进港要两个多小时，希望协调交通疏导或错峰通行。"
)

func TestSimilarRequests(t *testing.T) {
	f := newSimFixture(t)
	jam := f.file(t, "enterprise", "", "traffic", jamTitle, jamText)
	talent := f.file(t, "enterprise", "", "talent", "申请人才住房补贴的办理进度", "公司去年引进的两名硕士申请人才住房补贴，至今没有收到结果，想了解进度。")
	neighbourJam := f.file(t, "dispatcher", f.neighbour, "traffic", "港前路拥堵货车进港困难", "港前路每天早高峰拥堵，货车进港排队时间很长，影响正常运输。")
	jewelryJam := f.file(t, "enterprise2", "", "traffic", "水贝路拥堵货车进出困难", "水贝一路早高峰拥堵，货车进出厂区困难，希望交警协助疏导。")
	// Two enterprises of one park (c-meilin-xinhe) and one of another park.
	lights := f.file(t, "dispatcher", "ent-008", "park", "新和路园区路灯损坏夜间照明不足", "新和路园区内多处路灯损坏，夜间员工下班照明不足，存在安全隐患。")
	otherPark := f.file(t, "dispatcher", "ent-007", "park", "生命健康产业园路灯损坏照明不足", "产业园内路灯损坏，夜间照明不足，员工下班不安全。")

	typed := "港前路拥堵，货车进港排队太久"
	tests := []struct {
		name, user string
		q          portal.SimilarQuery
		want       []string // numbers that must be found
		not        []string // numbers that must not be found
		none       bool     // nothing at all may be found
	}{
		{name: "same enterprise, similar text", user: "enterprise", q: portal.SimilarQuery{Text: typed},
			want: []string{jam.No}, not: []string{talent.No, neighbourJam.No, jewelryJam.No}},
		{name: "unrelated text finds nothing", user: "enterprise", q: portal.SimilarQuery{Text: "申请办理食品经营许可证"},
			not: []string{jam.No, talent.No}},
		{name: "the title alone is enough", user: "enterprise", q: portal.SimilarQuery{Text: "人才住房补贴进度"},
			want: []string{talent.No}, not: []string{jam.No}},
		{name: "dispatcher sees the same park and category too", user: "dispatcher",
			q:    portal.SimilarQuery{EnterpriseID: "ent-001", Category: "traffic", Text: typed},
			want: []string{jam.No, neighbourJam.No}, not: []string{jewelryJam.No, talent.No}},
		{name: "another category of the park is not the same matter", user: "dispatcher",
			q:    portal.SimilarQuery{EnterpriseID: "ent-001", Category: "park", Text: typed},
			want: []string{jam.No}, not: []string{neighbourJam.No}},
		{name: "liaison sees only the caseload", user: "liaison",
			q:    portal.SimilarQuery{EnterpriseID: "ent-001", Category: "traffic", Text: typed},
			want: []string{jam.No}, not: []string{neighbourJam.No}},
		{name: "enterprise sees only its own", user: "enterprise", q: portal.SimilarQuery{Category: "traffic", Text: typed},
			want: []string{jam.No}, not: []string{neighbourJam.No}},
		{name: "enterprise2 never sees enterprise's", user: "enterprise2", q: portal.SimilarQuery{Category: "traffic", Text: typed + "，" + jamText},
			not: []string{jam.No, neighbourJam.No, talent.No}},
		{name: "enterprise2 finds its own", user: "enterprise2", q: portal.SimilarQuery{Category: "traffic", Text: "水贝路货车进出拥堵"},
			want: []string{jewelryJam.No}},
		{name: "same park and category", user: "dispatcher",
			q:    portal.SimilarQuery{EnterpriseID: "ent-012", Category: "park", Text: "新和路路灯坏了，晚上照明不足"},
			want: []string{lights.No}, not: []string{otherPark.No}},
		{name: "other park is not found", user: "dispatcher",
			q:   portal.SimilarQuery{EnterpriseID: "ent-009", Category: "park", Text: "园区路灯损坏，夜间照明不足"},
			not: []string{lights.No, otherPark.No}},
		{name: "without a category only the enterprise's own", user: "dispatcher",
			q:   portal.SimilarQuery{EnterpriseID: "ent-012", Text: "新和路路灯坏了，晚上照明不足"},
			not: []string{lights.No}},
		{name: "excluded request", user: "enterprise", q: portal.SimilarQuery{Text: typed, Exclude: jam.ID},
			not: []string{jam.No}},
		{name: "one character is too short", user: "enterprise", q: portal.SimilarQuery{Text: "港"}, none: true},
		{name: "empty text", user: "enterprise", q: portal.SimilarQuery{Text: "  "}, none: true},
		{name: "liaison without an enterprise yet", user: "liaison", q: portal.SimilarQuery{Text: typed}, none: true},
		{name: "two characters are enough", user: "enterprise", q: portal.SimilarQuery{Text: "拥堵"}, want: []string{jam.No}},
		{name: "traditional characters", user: "enterprise", q: portal.SimilarQuery{Text: "港前路擁堵，貨車進港排隊"}, want: []string{jam.No}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := f.similar(t, tc.user, tc.q)
			for _, no := range tc.want {
				if !slices.Contains(got, no) {
					t.Errorf("%s is not found (found %v)", no, got)
				}
			}
			for _, no := range tc.not {
				if slices.Contains(got, no) {
					t.Errorf("found %s, which must not be offered (all found: %v)", no, got)
				}
			}
			if tc.none && len(got) != 0 {
				t.Errorf("found %v, want nothing", got)
			}
		})
	}
}

func TestSimilarRequestsRanksAndLimits(t *testing.T) {
	f := newSimFixture(t)
	closest := f.file(t, "enterprise", "", "traffic", jamTitle, jamText)
	for _, title := range []string{"港前路拥堵再次反映", "港前路路面破损需要维修", "港前路停车位不足货车乱停",
		"港前路红绿灯时间过短", "港前路指示牌不清楚", "港前路货车限行时间咨询"} {
		f.file(t, "enterprise", "", "traffic", title, "港前路早高峰拥堵，货车进港困难，请协调处理。")
	}
	got := f.similar(t, "enterprise", portal.SimilarQuery{Category: "traffic", Text: jamTitle + "，货车排队进港要两个多小时"})
	if len(got) != portal.SimilarLimit {
		t.Errorf("found %d requests (%v), want the top %d", len(got), got, portal.SimilarLimit)
	}
	if len(got) == 0 || got[0] != closest.No {
		t.Errorf("the nearly identical request %s is not first: %v", closest.No, got)
	}
}

func TestSimilarRequestsLeaveFinalOnes(t *testing.T) {
	f := newSimFixture(t)
	ctx := context.Background()
	typed := "港前路拥堵，货车进港排队太久"
	withdrawn := f.file(t, "enterprise", "", "traffic", jamTitle, jamText)
	merged := f.file(t, "enterprise", "", "traffic", "港前路拥堵货车进港排长队", "港前路早高峰拥堵，货车进港排长队，请协调。")
	master := f.file(t, "enterprise", "", "traffic", "港前路货车进港拥堵严重", "港前路拥堵导致货车进港困难，希望疏导。")
	resolved := f.file(t, "enterprise", "", "traffic", "港前路拥堵货车进港难", "港前路上午拥堵，货车进港困难。")
	for _, r := range []*portal.Request{withdrawn, merged, master, resolved} {
		if !f.indexed(t, r) {
			t.Fatalf("%s was not indexed when filed", r.No)
		}
	}
	if got := f.similar(t, "enterprise", portal.SimilarQuery{Text: typed}); len(got) != 4 {
		t.Fatalf("before: found %v, want all four", got)
	}

	_, err := f.Requests.Act(f.As(t, "enterprise"), withdrawn.ID, portal.ActWithdraw, portal.ActionInput{Reason: "已自行解决"})
	portaltest.Must(t, err, "withdraw")
	_, err = f.Requests.Act(f.As(t, "dispatcher"), merged.ID, portal.ActMerge, portal.ActionInput{MasterID: master.ID})
	portaltest.Must(t, err, "merge")
	for _, act := range []struct {
		user   string
		action portal.Action
		in     portal.ActionInput
	}{
		{"dispatcher", portal.ActDispatch, portal.ActionInput{Department: "dept-trans"}},
		{"handler", portal.ActSign, portal.ActionInput{}},
		{"handler", portal.ActResolve, portal.ActionInput{Text: "已协调交警在早高峰增派警力疏导，货车进港排队时间明显缩短。"}},
	} {
		_, err = f.Requests.Act(f.As(t, act.user), resolved.ID, act.action, act.in)
		portaltest.Must(t, err, "%s", act.action)
	}

	got := f.similar(t, "enterprise", portal.SimilarQuery{Text: typed})
	if !slices.Equal(got, []string{master.No}) {
		t.Errorf("after withdrawing, merging and resolving: found %v, want only the master %s", got, master.No)
	}
	for _, r := range []*portal.Request{withdrawn, merged} {
		if f.indexed(t, r) {
			t.Errorf("final request %s is still in the index", r.No)
		}
	}
	if !f.indexed(t, resolved) {
		t.Errorf("resolved request %s left the index, but feedback may reopen it", resolved.No)
	}

	// Closed by the feedback loop, whose index write is lost: MongoDB,
	// not the index, decides what is offered, and the repair removes it.
	closed, err := f.Store.FindRequestByID(ctx, master.ID)
	portaltest.Must(t, err, "read master")
	now := f.now
	closed.Status, closed.ClosedAt, closed.UpdatedAt = portal.StatusClosed, &now, now
	portaltest.Must(t, f.Store.UpdateRequest(ctx, closed, closed.Version), "close master")
	if got := f.similar(t, "enterprise", portal.SimilarQuery{Text: typed}); len(got) != 0 {
		t.Errorf("a closed request is offered: %v", got)
	}
	if !f.indexed(t, master) {
		t.Fatalf("the test lost no index write: the closed master is not in the index")
	}
	n, err := f.Search.RepairIndex(ctx)
	portaltest.Must(t, err, "repair")
	if n == 0 || f.indexed(t, master) {
		t.Errorf("the repair (%d requests) left the closed master in the index", n)
	}
}

// lostWrites is a request index whose writes fail, as when the index is
// unreachable for a moment; searching still works.
type lostWrites struct{ *portal.RequestSearch }

func (lostWrites) IndexRequest(context.Context, *portal.Request) error {
	return errors.New("index unreachable")
}

func TestRequestIndexRepair(t *testing.T) {
	f := newSimFixture(t)
	ctx := context.Background()
	typed := "港前路拥堵，货车进港排队太久"
	f.Requests.Index = lostWrites{f.Search}
	lost := f.file(t, "enterprise", "", "traffic", jamTitle, jamText)
	if got := f.similar(t, "enterprise", portal.SimilarQuery{Text: typed}); len(got) != 0 || f.indexed(t, lost) {
		t.Fatalf("the index write was not lost: found %v", got)
	}

	portaltest.Must(t, f.Search.HandleRepairTask(ctx, nil), "repair task")
	if got := f.similar(t, "enterprise", portal.SimilarQuery{Text: typed}); !slices.Equal(got, []string{lost.No}) {
		t.Errorf("after the repair: found %v, want %s", got, lost.No)
	}
	portaltest.Must(t, f.Search.HandleRepairTask(ctx, nil), "repair task again")
	if got := f.similar(t, "enterprise", portal.SimilarQuery{Text: typed}); !slices.Equal(got, []string{lost.No}) {
		t.Errorf("after a second repair: found %v, want %s once", got, lost.No)
	}

	// A write lost longer ago than the repair window waits for a rebuild.
	old := f.file(t, "enterprise", "", "talent", "申请人才住房补贴的办理进度", "公司引进的两名硕士申请人才住房补贴，至今没有结果。")
	f.now = f.now.Add(portal.RequestIndexRepairWindow + time.Minute)
	n, err := f.Search.RepairIndex(ctx)
	portaltest.Must(t, err, "repair")
	if n != 0 || f.indexed(t, old) {
		t.Errorf("the repair touched %d requests outside its window", n)
	}
	docs, err := portal.RequestIndexDocuments(ctx, f.Store)
	portaltest.Must(t, err, "rebuild documents")
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	want := []string{lost.ID, old.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("rebuild documents %v, want %v", ids, want)
	}
}

func TestFindRequestsChangedSinceFollowsTheCursor(t *testing.T) {
	f := newSimFixture(t)
	ctx := context.Background()
	want := []string{}
	for i := range 7 {
		r := f.file(t, "enterprise", "", "traffic", "港前路道路问题第"+string(rune('一'+i))+"项", "港前路道路问题，影响公司货车通行，请协调处理。")
		want = append(want, r.ID)
		if i%3 != 0 {
			f.now = f.now.Add(-time.Minute) // several requests changed at the same instant
		}
	}
	// Pages of two over instants shared by three requests: the cursor
	// must neither skip nor repeat one.
	var seen []string
	since, after := time.Time{}, ""
	for range len(want) + 1 {
		page, err := f.Store.FindRequestsChangedSince(ctx, since, after, 2)
		portaltest.Must(t, err, "page after %s", after)
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			if r.Description == "" || len(r.Timeline) != 0 {
				t.Errorf("%s: the index needs the description and not the timeline", r.No)
			}
			seen = append(seen, r.ID)
		}
		last := page[len(page)-1]
		since, after = last.UpdatedAt, last.ID
	}
	slices.Sort(seen)
	slices.Sort(want)
	if !slices.Equal(seen, want) {
		t.Errorf("the cursor saw %v, want each of %v once", seen, want)
	}
	later, err := f.Store.FindRequestsChangedSince(ctx, f.now.Add(time.Minute), "", 10)
	portaltest.Must(t, err, "changed since later")
	if len(later) != 0 {
		t.Errorf("%d requests changed after the last change", len(later))
	}
}

func TestSimilarRequestsRefusals(t *testing.T) {
	f := newSimFixture(t)
	jam := f.file(t, "enterprise", "", "traffic", jamTitle, jamText)
	long := strings.Repeat("港", portal.MaxSimilarText+1)
	for _, tc := range []struct {
		name, user string
		q          portal.SimilarQuery
		code       string
		field      string
	}{
		{name: "over-long text", user: "enterprise", q: portal.SimilarQuery{Text: long}, code: portal.EINVALID, field: "q"},
		{name: "control characters", user: "enterprise", q: portal.SimilarQuery{Text: "港前路\x00拥堵"}, code: portal.EINVALID, field: "q"},
		{name: "unknown category", user: "enterprise", q: portal.SimilarQuery{Category: "no-such", Text: "港前路拥堵"}, code: portal.EINVALID, field: "category"},
		{name: "over-long exclude", user: "enterprise", q: portal.SimilarQuery{Exclude: strings.Repeat("x", 65), Text: "港前路拥堵"}, code: portal.EINVALID, field: "exclude"},
		{name: "another enterprise", user: "enterprise2", q: portal.SimilarQuery{EnterpriseID: "ent-001", Text: "港前路拥堵"}, code: portal.EINVALID, field: "enterprise_id"},
		{name: "enterprise outside the caseload", user: "liaison2", q: portal.SimilarQuery{EnterpriseID: "ent-001", Text: "港前路拥堵"}, code: portal.EINVALID, field: "enterprise_id"},
		{name: "unknown enterprise", user: "dispatcher", q: portal.SimilarQuery{EnterpriseID: "ent-999", Text: "港前路拥堵"}, code: portal.EINVALID, field: "enterprise_id"},
		{name: "handler", user: "handler", q: portal.SimilarQuery{EnterpriseID: "ent-001", Text: "港前路拥堵"}, code: portal.EFORBIDDEN},
		{name: "committee", user: "committee", q: portal.SimilarQuery{EnterpriseID: "ent-001", Text: "港前路拥堵"}, code: portal.EFORBIDDEN},
		{name: "editor", user: "editor", q: portal.SimilarQuery{EnterpriseID: "ent-001", Text: "港前路拥堵"}, code: portal.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Requests.Similar(f.As(t, tc.user), tc.q)
			if portal.ErrorCode(err) != tc.code {
				t.Fatalf("error %v (found %d), want code %s", err, len(got), tc.code)
			}
			if tc.field != "" && portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("error %v does not name %s: %v", err, tc.field, portal.ErrorFields(err))
			}
		})
	}
	if _, err := f.Requests.Similar(context.Background(), portal.SimilarQuery{Text: "港前路拥堵"}); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
		t.Errorf("a visitor got %v, want unauthenticated", err)
	}
	pending := portal.WithActor(context.Background(), &portal.Actor{UserID: "u-x", Roles: []portal.Role{portal.RoleEnterprise},
		EnterpriseID: "ent-001", Pending: true})
	if _, err := f.Requests.Similar(pending, portal.SimilarQuery{Text: "港前路拥堵"}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("a pending account got %v, want forbidden", err)
	}
	// Nothing of the refused queries changed the request or its entry.
	if r, err := f.Store.FindRequestByID(context.Background(), jam.ID); err != nil || r.Version != jam.Version || !f.indexed(t, jam) {
		t.Errorf("the request changed: %v", err)
	}
	// An index that does not answer is a temporary failure, not an empty list.
	portaltest.Must(t, f.Search.Index.Close(), "close the index")
	if _, err := f.Requests.Similar(f.As(t, "enterprise"), portal.SimilarQuery{Text: "港前路拥堵"}); portal.ErrorCode(err) != portal.EUNAVAILABLE {
		t.Errorf("with the index down: %v, want unavailable", err)
	}
}
