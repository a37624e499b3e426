package portal_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// spotZone is the district's zone in the spot check tests.
var spotZone = time.FixedZone("CST", 8*3600)

// spotClock is late November 2026; October is the month checked.
var spotClock = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

// spotListener records the changes the request service reports.
type spotListener struct {
	mu      sync.Mutex
	actions []string
	after   []*portal.Request
}

func (l *spotListener) RequestChanged(_ context.Context, _, after *portal.Request, action string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.actions, l.after = append(l.actions, action), append(l.after, after)
	return nil
}

type spotFixture struct {
	*portaltest.World
	svc    *portal.SpotCheckService
	checks *mongostore.SpotCheckStore
	heard  *spotListener
	now    time.Time
	n      int
}

func newSpotFixture(t *testing.T) *spotFixture {
	t.Helper()
	f := &spotFixture{now: spotClock, heard: &spotListener{}}
	clock := func() time.Time { return f.now }
	f.World = portaltest.NewWorld(t, portaltest.DB(t), clock)
	f.Requests.Events = append(f.Requests.Events, f.heard)
	f.checks = mongostore.NewSpotCheckStore(f.DB)
	f.svc = &portal.SpotCheckService{Store: f.checks, Requests: f.Requests, Users: f.Users, Audit: f.Requests.Audit,
		Zone: spotZone, Now: clock}
	// A second dispatcher, so that reviewers can take turns, a third who
	// is nobody's reviewer, and a disabled one, who cannot review.
	for _, u := range []*portal.User{
		{ID: "u-dispatcher2", Username: "dispatcher2", DisplayName: "第二分拨员", Roles: []portal.Role{portal.RoleDispatcher},
			UnitID: "district", Status: portal.UserActive},
		{ID: "u-dispatcher3", Username: "dispatcher3", DisplayName: "第三分拨员", Roles: []portal.Role{portal.RoleDispatcher},
			UnitID: "district", Status: portal.UserActive},
		{ID: "u-dispatcher-off", Username: "dispatcheroff", DisplayName: "停用分拨员", Roles: []portal.Role{portal.RoleDispatcher},
			UnitID: "district", Status: portal.UserDisabled},
	} {
		portaltest.Must(t, f.Users.CreateUser(context.Background(), u), "user %s", u.Username)
	}
	return f
}

// spotFeedback is an enterprise's answer through its survey link.
func spotFeedback(solved portal.Solved, sat portal.Satisfaction) *portal.Feedback {
	return &portal.Feedback{Solved: solved, Satisfaction: sat, Via: portal.ViaLink, At: spotClock.AddDate(0, -1, 0)}
}

// closed stores n requests of dept closed at closedAt (district time),
// with fb's answer (nil: closed 未评价).
func (f *spotFixture) closed(t *testing.T, dept, deptName string, n int, closedAt time.Time, fb *portal.Feedback) []*portal.Request {
	t.Helper()
	out := make([]*portal.Request, n)
	for i := range out {
		f.n++
		at := closedAt
		r := &portal.Request{ID: fmt.Sprintf("r-%s-%03d", dept, f.n), No: fmt.Sprintf("HQ-2026-%06d", f.n),
			EnterpriseID: "ent-001", EnterpriseName: "海湾国际物流有限公司", ContactName: "陈海燕", ContactPhone: "13800000001",
			Title: fmt.Sprintf("抽查测试诉求 %d", f.n), Description: "抽查测试用的已关闭诉求。", Category: "traffic",
			Type: portal.TypeHelp, Channel: portal.ChannelPortal, FiledByID: "u-enterprise", FiledByName: "陈海燕",
			Status: portal.StatusClosed, DepartmentID: dept, DepartmentName: deptName, Tier: portal.TierA,
			HandlerID: "u-handler", Attachments: []portal.Attachment{}, Feedback: fb, Unrated: fb == nil,
			Timeline: []portal.Event{{At: at, ActorName: "系统", Action: "close", To: portal.StatusClosed}},
			Version:  3, CreatedAt: at.AddDate(0, 0, -5), UpdatedAt: at, ResolvedAt: &at, ClosedAt: &at}
		out[i] = r
	}
	portaltest.Must(t, f.Store.InsertRequests(context.Background(), out), "insert closed requests")
	return out
}

// october is a moment in October 2026 in the district.
func october(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, spotZone) }

// seedOctober stores what the October checks draw from: 20 closed
// requests of the transport bureau, 7 of the development commission and
// 1 of the tax bureau (satisfied, except 3 unrated), plus requests that
// must never be drawn.
func (f *spotFixture) seedOctober(t *testing.T) {
	t.Helper()
	happy := spotFeedback(portal.SolvedYes, portal.Satisfied)
	f.closed(t, "dept-trans", "区交通运输局", 20, october(10, 9), happy)
	f.closed(t, "dept-drc", "区发展和改革局", 4, october(12, 9), happy)
	f.closed(t, "dept-drc", "区发展和改革局", 3, october(31, 23), nil)
	f.closed(t, "dept-tax", "区税务局", 1, october(1, 0), happy)
	// Closed in the district's November (still October in UTC), in
	// September, without a department, or not closed at all.
	f.closed(t, "dept-trans", "区交通运输局", 2, time.Date(2026, 11, 1, 0, 30, 0, 0, spotZone), happy)
	f.closed(t, "dept-trans", "区交通运输局", 2, time.Date(2026, 9, 30, 23, 0, 0, 0, spotZone), happy)
	nodept := f.closed(t, "", "", 1, october(15, 9), happy)
	resolved := f.closed(t, "dept-trans", "区交通运输局", 1, october(15, 9), nil)
	for _, r := range append(nodept, resolved...) {
		_, err := f.DB.Database().Collection("requests").UpdateOne(context.Background(), bson.D{{Key: "_id", Value: r.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: portal.StatusResolved}}}})
		portaltest.Must(t, err, "reopen %s", r.ID)
	}
}

func seed(n int64) *int64 { return &n }

// items returns every item of check id as the admin sees them.
func (f *spotFixture) items(t *testing.T, id string) []*portal.SpotCheckItem {
	t.Helper()
	v, err := f.svc.Get(f.As(t, "admin"), id, portal.SpotCheckItemQuery{PerPage: 100})
	portaltest.Must(t, err, "get check %s", id)
	return v.Items
}

func requestIDs(items []*portal.SpotCheckItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.RequestID
	}
	return out
}

func TestSpotCheckSampleSize(t *testing.T) {
	for _, c := range []struct{ n, p, want int }{
		{0, 10, 0}, {1, 1, 1}, {7, 10, 1}, {10, 10, 1}, {11, 10, 2}, {20, 10, 2}, {20, 11, 3},
		{20, 100, 20}, {3, 50, 2}, {100, 1, 1}, {101, 1, 2}, {5, 0, 0},
	} {
		if got := portal.SampleSize(c.n, c.p); got != c.want {
			t.Errorf("SampleSize(%d, %d%%) = %d, want %d", c.n, c.p, got, c.want)
		}
	}
}

func TestSpotCheckSamplingIsReproducible(t *testing.T) {
	var cands []*portal.Request
	add := func(dept, name string, n int) {
		for i := 0; i < n; i++ {
			cands = append(cands, &portal.Request{ID: fmt.Sprintf("%s-%02d", dept, i), DepartmentID: dept, DepartmentName: name})
		}
	}
	add("dept-trans", "区交通运输局", 40)
	add("dept-drc", "区发展和改革局", 9)
	add("dept-tax", "区税务局", 1)
	cands = append(cands, &portal.Request{ID: "no-dept"})
	ids := func(rs []*portal.Request) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		return out
	}
	strata, first := portal.DrawSample(cands, 10, 42)
	// Ordered by name (code point order: 交 < 发 < 税).
	wantStrata := []portal.SpotCheckStratum{
		{DepartmentID: "dept-trans", DepartmentName: "区交通运输局", Population: 40, Sample: 4},
		{DepartmentID: "dept-drc", DepartmentName: "区发展和改革局", Population: 9, Sample: 1},
		{DepartmentID: "dept-tax", DepartmentName: "区税务局", Population: 1, Sample: 1},
	}
	if !slices.Equal(strata, wantStrata) {
		t.Errorf("strata = %+v, want %+v", strata, wantStrata)
	}
	if len(first) != 6 {
		t.Fatalf("sample of %d, want 6: %v", len(first), ids(first))
	}
	perDept := map[string]int{}
	for _, r := range first {
		perDept[r.DepartmentID]++
	}
	if perDept["dept-trans"] != 4 || perDept["dept-drc"] != 1 || perDept["dept-tax"] != 1 {
		t.Errorf("sample per department = %v", perDept)
	}

	// The same seed draws the same sample whatever order the candidates
	// come in; another seed draws another.
	shuffled := slices.Clone(cands)
	slices.Reverse(shuffled)
	if _, again := portal.DrawSample(shuffled, 10, 42); !slices.Equal(ids(again), ids(first)) {
		t.Errorf("same seed drew %v, then %v", ids(first), ids(again))
	}
	if _, other := portal.DrawSample(cands, 10, 43); slices.Equal(ids(other), ids(first)) {
		t.Errorf("seeds 42 and 43 drew the same sample %v", ids(first))
	}
	// A department's sample does not depend on the other departments.
	_, alone := portal.DrawSample(cands[:40], 10, 42)
	var transFirst []string
	for _, r := range first {
		if r.DepartmentID == "dept-trans" {
			transFirst = append(transFirst, r.ID)
		}
	}
	if !slices.Equal(ids(alone), transFirst) {
		t.Errorf("transport sample alone %v, among others %v", ids(alone), transFirst)
	}
	// Over many seeds every transport request is drawn now and then: the
	// draw reaches the whole department, not a fixed corner of it.
	seen := map[string]bool{}
	for s := int64(0); s < 200; s++ {
		_, picked := portal.DrawSample(cands[:40], 10, s)
		for _, r := range picked {
			seen[r.ID] = true
		}
	}
	if len(seen) != 40 {
		t.Errorf("200 draws reached %d of 40 requests", len(seen))
	}
}

func TestSpotCheckDiscrepancyRules(t *testing.T) {
	for _, c := range []struct {
		name     string
		recorded *portal.Feedback
		solved   portal.Solved
		sat      portal.Satisfaction
		want     bool
	}{
		{"SameAnswer", spotFeedback(portal.SolvedYes, portal.Satisfied), portal.SolvedYes, portal.Satisfied, false},
		{"SameBasic", spotFeedback(portal.Partly, portal.Basic), portal.Partly, portal.Basic, false},
		{"ActuallyUnsolved", spotFeedback(portal.SolvedYes, portal.Satisfied), portal.Unsolved, portal.Satisfied, true},
		{"ActuallyPartly", spotFeedback(portal.SolvedYes, portal.Satisfied), portal.Partly, portal.Satisfied, true},
		{"ActuallyDissatisfied", spotFeedback(portal.SolvedYes, portal.Satisfied), portal.SolvedYes, portal.Dissatisfied, true},
		{"BasicNotSatisfied", spotFeedback(portal.SolvedYes, portal.Satisfied), portal.SolvedYes, portal.Basic, true},
		{"BetterThanRecorded", spotFeedback(portal.Partly, portal.Basic), portal.SolvedYes, portal.Satisfied, true},
		{"UnratedAndHappy", nil, portal.SolvedYes, portal.Satisfied, false},
		{"UnratedAndPartlyBasic", nil, portal.Partly, portal.Basic, false},
		{"UnratedButUnsolved", nil, portal.Unsolved, portal.Basic, true},
		{"UnratedButDissatisfied", nil, portal.SolvedYes, portal.Dissatisfied, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &portal.Request{Feedback: c.recorded, Unrated: c.recorded == nil}
			if got := portal.Discrepant(r, c.solved, c.sat); got != c.want {
				t.Errorf("Discrepant = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSpotCheckCreate(t *testing.T) {
	f := newSpotFixture(t)
	f.seedOctober(t)
	admin := f.As(t, "admin")

	c, err := f.svc.Create(admin, portal.SpotCheckInput{Month: "2026-10", Percent: 10, Seed: seed(20261101),
		ReviewerIDs: []string{"u-dispatcher", "u-dispatcher2", "u-dispatcher"}})
	portaltest.Must(t, err, "create")
	wantStrata := []portal.SpotCheckStratum{
		{DepartmentID: "dept-trans", DepartmentName: "区交通运输局", Population: 20, Sample: 2},
		{DepartmentID: "dept-drc", DepartmentName: "区发展和改革局", Population: 7, Sample: 1},
		{DepartmentID: "dept-tax", DepartmentName: "区税务局", Population: 1, Sample: 1},
	}
	if c.Seed != 20261101 || c.Percent != 10 || c.Month != "2026-10" || c.Population != 28 || c.Sampled != 4 ||
		!slices.Equal(c.Strata, wantStrata) || c.CreatedByID != "u-admin" || !c.CreatedAt.Equal(spotClock) {
		t.Errorf("created %+v", c)
	}
	if !slices.Equal(c.ReviewerIDs, []string{"u-dispatcher", "u-dispatcher2"}) {
		t.Errorf("reviewers %v", c.ReviewerIDs)
	}
	stored, err := f.checks.FindSpotCheckByID(context.Background(), c.ID)
	portaltest.Must(t, err, "stored check")
	if stored.Seed != c.Seed || !slices.Equal(stored.Strata, wantStrata) {
		t.Errorf("stored %+v", stored)
	}
	items := f.items(t, c.ID)
	if len(items) != 4 {
		t.Fatalf("%d items, want 4", len(items))
	}
	for i, it := range items {
		wantReviewer := []string{"u-dispatcher", "u-dispatcher2"}[i%2]
		if it.Seq != i+1 || it.ReviewerID != wantReviewer || it.State != portal.ItemPending || it.Verified != nil ||
			it.ContactPhone != "13800000001" || it.CheckMonth != "2026-10" {
			t.Errorf("item %d: %+v", i, it)
		}
		r, err := f.Store.FindRequestByID(context.Background(), it.RequestID)
		portaltest.Must(t, err, "request %s", it.RequestID)
		if r.Status != portal.StatusClosed || r.ClosedAt.In(spotZone).Month() != time.October || r.DepartmentID != it.DepartmentID {
			t.Errorf("item %s drew request %+v", it.RequestID, r)
		}
		if (r.Feedback == nil) != (it.Recorded == nil) {
			t.Errorf("item %s recorded %+v, request feedback %+v", it.RequestID, it.Recorded, r.Feedback)
		}
	}
	var depts []string
	for _, it := range items {
		depts = append(depts, it.DepartmentID)
	}
	if want := []string{"dept-trans", "dept-trans", "dept-drc", "dept-tax"}; !slices.Equal(depts, want) {
		t.Errorf("items by department %v, want %v", depts, want)
	}
	audit, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "spot_check.create"})
	portaltest.Must(t, err, "audit")
	if len(audit) != 1 || audit[0].ObjectID != c.ID {
		t.Errorf("audit %+v", audit)
	}

	t.Run("SameSeedSameSample", func(t *testing.T) {
		again, err := f.svc.Create(admin, portal.SpotCheckInput{Month: "2026-10", Percent: 10, Seed: seed(20261101),
			ReviewerIDs: []string{"u-admin"}})
		portaltest.Must(t, err, "again")
		if got, want := requestIDs(f.items(t, again.ID)), requestIDs(items); !slices.Equal(got, want) {
			t.Errorf("same seed drew %v, first %v", got, want)
		}
	})
	t.Run("OtherSeedOtherSample", func(t *testing.T) {
		other, err := f.svc.Create(admin, portal.SpotCheckInput{Month: "2026-10", Percent: 10, Seed: seed(7),
			ReviewerIDs: []string{"u-admin"}})
		portaltest.Must(t, err, "other")
		if got := requestIDs(f.items(t, other.ID)); slices.Equal(got, requestIDs(items)) {
			t.Errorf("seeds 7 and 20261101 drew the same %v", got)
		}
	})
	t.Run("GeneratedSeedIsRecorded", func(t *testing.T) {
		gen, err := f.svc.Create(admin, portal.SpotCheckInput{Month: "2026-10", Percent: 30, ReviewerIDs: []string{"u-admin"}})
		portaltest.Must(t, err, "generated")
		if gen.Seed < 0 || gen.Seed > portal.MaxSpotCheckSeed {
			t.Errorf("generated seed %d", gen.Seed)
		}
		redo, err := f.svc.Create(admin, portal.SpotCheckInput{Month: "2026-10", Percent: 30, Seed: seed(gen.Seed),
			ReviewerIDs: []string{"u-dispatcher"}})
		portaltest.Must(t, err, "redo")
		if a, b := requestIDs(f.items(t, gen.ID)), requestIDs(f.items(t, redo.ID)); !slices.Equal(a, b) {
			t.Errorf("the recorded seed drew %v, the original %v", b, a)
		}
	})
	t.Run("ReviewerSkipsOwnWork", func(t *testing.T) {
		// u-handler handled every request; as one of two reviewers they
		// get none of them.
		portaltest.Must(t, updateRoles(f, "u-handler", portal.RoleHandler, portal.RoleDispatcher), "make handler a dispatcher")
		c, err := f.svc.Create(admin, portal.SpotCheckInput{Month: "2026-10", Percent: 20, Seed: seed(1),
			ReviewerIDs: []string{"u-handler", "u-dispatcher"}})
		portaltest.Must(t, err, "create")
		for _, it := range f.items(t, c.ID) {
			if it.ReviewerID != "u-dispatcher" {
				t.Errorf("item %s went to %s, who handled it", it.RequestID, it.ReviewerID)
			}
		}
	})
}

// updateRoles gives user id the roles.
func updateRoles(f *spotFixture, id string, roles ...portal.Role) error {
	_, err := f.Users.UpdateUser(context.Background(), id, portal.UserUpdate{Roles: roles})
	return err
}

// spotStored counts the stored checks and items.
func spotStored(t *testing.T, f *spotFixture) (checks, items int64) {
	t.Helper()
	ctx := context.Background()
	checks, err := f.DB.Database().Collection("spot_checks").CountDocuments(ctx, bson.D{})
	portaltest.Must(t, err, "count checks")
	items, err = f.DB.Database().Collection("spot_check_items").CountDocuments(ctx, bson.D{})
	portaltest.Must(t, err, "count items")
	return checks, items
}

func TestSpotCheckCreateBadInput(t *testing.T) {
	f := newSpotFixture(t)
	f.seedOctober(t)
	good := func(mod func(*portal.SpotCheckInput)) portal.SpotCheckInput {
		in := portal.SpotCheckInput{Month: "2026-10", Percent: 10, ReviewerIDs: []string{"u-dispatcher"}}
		mod(&in)
		return in
	}
	for _, c := range []struct {
		name  string
		as    string
		in    portal.SpotCheckInput
		code  string
		field string
	}{
		{"NoMonth", "admin", good(func(in *portal.SpotCheckInput) { in.Month = "" }), portal.EINVALID, "month"},
		{"MonthFormat", "admin", good(func(in *portal.SpotCheckInput) { in.Month = "2026/10" }), portal.EINVALID, "month"},
		{"MonthThirteen", "admin", good(func(in *portal.SpotCheckInput) { in.Month = "2026-13" }), portal.EINVALID, "month"},
		{"MonthWithDay", "admin", good(func(in *portal.SpotCheckInput) { in.Month = "2026-10-01" }), portal.EINVALID, "month"},
		{"FutureMonth", "admin", good(func(in *portal.SpotCheckInput) { in.Month = "2026-12" }), portal.EINVALID, "month"},
		{"PercentZero", "admin", good(func(in *portal.SpotCheckInput) { in.Percent = 0 }), portal.EINVALID, "percent"},
		{"Percent101", "admin", good(func(in *portal.SpotCheckInput) { in.Percent = 101 }), portal.EINVALID, "percent"},
		{"PercentNegative", "admin", good(func(in *portal.SpotCheckInput) { in.Percent = -5 }), portal.EINVALID, "percent"},
		{"SeedNegative", "admin", good(func(in *portal.SpotCheckInput) { in.Seed = seed(-1) }), portal.EINVALID, "seed"},
		{"SeedTooBig", "admin", good(func(in *portal.SpotCheckInput) { in.Seed = seed(portal.MaxSpotCheckSeed + 1) }), portal.EINVALID, "seed"},
		{"NoReviewer", "admin", good(func(in *portal.SpotCheckInput) { in.ReviewerIDs = nil }), portal.EINVALID, "reviewer_ids"},
		{"UnknownReviewer", "admin", good(func(in *portal.SpotCheckInput) { in.ReviewerIDs = []string{"u-dispatcher", "u-nobody"} }), portal.EINVALID, "reviewer_ids"},
		{"ReviewerWithoutRole", "admin", good(func(in *portal.SpotCheckInput) { in.ReviewerIDs = []string{"u-handler"} }), portal.EINVALID, "reviewer_ids"},
		{"DisabledReviewer", "admin", good(func(in *portal.SpotCheckInput) { in.ReviewerIDs = []string{"u-dispatcher-off"} }), portal.EINVALID, "reviewer_ids"},
		{"NothingClosedThatMonth", "admin", good(func(in *portal.SpotCheckInput) { in.Month = "2026-08" }), portal.EUNPROCESSABLE, "month"},
		{"Dispatcher", "dispatcher", good(func(*portal.SpotCheckInput) {}), portal.EFORBIDDEN, ""},
		{"Handler", "handler", good(func(*portal.SpotCheckInput) {}), portal.EFORBIDDEN, ""},
		{"Enterprise", "enterprise", good(func(*portal.SpotCheckInput) {}), portal.EFORBIDDEN, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.Create(f.As(t, c.as), c.in)
			if !portal.IsCode(err, c.code) {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
			if c.field != "" && portal.ErrorFields(err)[c.field] == "" {
				t.Errorf("no message for %s: %v %v", c.field, err, portal.ErrorFields(err))
			}
			if checks, items := spotStored(t, f); checks != 0 || items != 0 {
				t.Errorf("stored %d checks and %d items", checks, items)
			}
		})
	}
	_, err := f.svc.Create(context.Background(), good(func(*portal.SpotCheckInput) {}))
	if !portal.IsCode(err, portal.EUNAUTHENTICATED) {
		t.Errorf("anonymous: %v", err)
	}
	_, err = f.svc.Create(f.As(t, "admin"), good(func(in *portal.SpotCheckInput) { in.Month = "2026-08" }))
	if portal.ErrorMessage(err) != "该月没有已关闭的诉求" {
		t.Errorf("empty month says %q", portal.ErrorMessage(err))
	}
	audit, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "spot_check."})
	portaltest.Must(t, err, "audit")
	if len(audit) != 0 {
		t.Errorf("refused creations were audited: %+v", audit)
	}
}

// newCheck draws an October check of every closed request, items taking
// turns between the two dispatchers.
func (f *spotFixture) newCheck(t *testing.T) (*portal.SpotCheck, []*portal.SpotCheckItem) {
	t.Helper()
	c, err := f.svc.Create(f.As(t, "admin"), portal.SpotCheckInput{Month: "2026-10", Percent: 100, Seed: seed(5),
		ReviewerIDs: []string{"u-dispatcher", "u-dispatcher2"}})
	portaltest.Must(t, err, "create")
	return c, f.items(t, c.ID)
}

func TestSpotCheckVisibility(t *testing.T) {
	f := newSpotFixture(t)
	f.seedOctober(t)
	c, items := f.newCheck(t)
	if len(items) != 28 {
		t.Fatalf("%d items, want 28", len(items))
	}
	t.Run("ReviewerSeesOwnItems", func(t *testing.T) {
		v, err := f.svc.Get(f.As(t, "dispatcher"), c.ID, portal.SpotCheckItemQuery{PerPage: 100})
		portaltest.Must(t, err, "get")
		if !v.OwnItemsOnly || v.Total != 14 || len(v.Strata) != 3 {
			t.Errorf("dispatcher sees %d items (own only %v), %d strata", v.Total, v.OwnItemsOnly, len(v.Strata))
		}
		for _, it := range v.Items {
			if it.ReviewerID != "u-dispatcher" {
				t.Errorf("dispatcher sees %s's item %s", it.ReviewerID, it.RequestID)
			}
		}
		list, err := f.svc.List(f.As(t, "dispatcher"), "", 0, 0)
		portaltest.Must(t, err, "list")
		if list.Total != 1 || list.Items[0].Items != 14 {
			t.Errorf("dispatcher's list: %d checks, %+v", list.Total, list.Items)
		}
	})
	t.Run("AdminSeesAll", func(t *testing.T) {
		v, err := f.svc.Get(f.As(t, "admin"), c.ID, portal.SpotCheckItemQuery{Department: "dept-drc", PerPage: 5})
		portaltest.Must(t, err, "get")
		if v.OwnItemsOnly || v.Total != 7 || len(v.Items) != 5 {
			t.Errorf("admin, transport filter: %d of %d items", len(v.Items), v.Total)
		}
	})
	t.Run("UninvolvedDispatcherGets404", func(t *testing.T) {
		_, err := f.svc.Get(f.As(t, "dispatcher3"), c.ID, portal.SpotCheckItemQuery{})
		if !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("uninvolved dispatcher: %v", err)
		}
		list, err := f.svc.List(f.As(t, "dispatcher3"), "", 0, 0)
		portaltest.Must(t, err, "list")
		if list.Total != 0 {
			t.Errorf("uninvolved dispatcher lists %d checks", list.Total)
		}
	})
	t.Run("OtherRolesGet403", func(t *testing.T) {
		for _, who := range []string{"handler", "depthead", "enterprise", "committee", "editor"} {
			if _, err := f.svc.Get(f.As(t, who), c.ID, portal.SpotCheckItemQuery{}); !portal.IsCode(err, portal.EFORBIDDEN) {
				t.Errorf("%s: get %v", who, err)
			}
			if _, err := f.svc.List(f.As(t, who), "", 0, 0); !portal.IsCode(err, portal.EFORBIDDEN) {
				t.Errorf("%s: list %v", who, err)
			}
			if _, err := f.svc.Mine(f.As(t, who), portal.SpotCheckItemQuery{}); !portal.IsCode(err, portal.EFORBIDDEN) {
				t.Errorf("%s: mine %v", who, err)
			}
		}
	})
	t.Run("BadQueries", func(t *testing.T) {
		for _, q := range []portal.SpotCheckItemQuery{{State: "done"}, {Page: -1}, {PerPage: 1000}} {
			if _, err := f.svc.Get(f.As(t, "admin"), c.ID, q); !portal.IsCode(err, portal.EINVALID) {
				t.Errorf("query %+v: %v", q, err)
			}
		}
		if _, err := f.svc.List(f.As(t, "admin"), "October", 0, 0); !portal.IsCode(err, portal.EINVALID) {
			t.Errorf("list by a bad month: %v", err)
		}
	})
}

func TestSpotCheckVerify(t *testing.T) {
	f := newSpotFixture(t)
	f.seedOctober(t)
	c, items := f.newCheck(t)
	mine := func(reviewer string, recorded bool) *portal.SpotCheckItem {
		for _, it := range items {
			if it.ReviewerID == reviewer && (it.Recorded != nil) == recorded && it.Verified == nil {
				it.Verified = &portal.Verification{} // taken
				return it
			}
		}
		t.Fatalf("no free item of %s", reviewer)
		return nil
	}
	ctx := context.Background()

	t.Run("Discrepancy", func(t *testing.T) {
		it := mine("u-dispatcher", true)
		before, err := f.Store.FindRequestByID(ctx, it.RequestID)
		portaltest.Must(t, err, "before")
		got, err := f.svc.Verify(f.As(t, "dispatcher"), c.ID, it.RequestID,
			portal.VerifyInput{Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied, Note: "  企业称车辆通行证仍未办下来  "})
		portaltest.Must(t, err, "verify")
		if got.State != portal.ItemDiscrepancy || got.Verified == nil || !got.Verified.Discrepancy || got.Verified.Note != "企业称车辆通行证仍未办下来" {
			t.Errorf("item %+v", got)
		}
		r, err := f.Store.FindRequestByID(ctx, it.RequestID)
		portaltest.Must(t, err, "after")
		v := r.Verified
		if v == nil || v.CheckID != c.ID || v.Solved != portal.Unsolved || v.Satisfaction != portal.Dissatisfied || !v.Discrepancy ||
			v.ReviewerID != "u-dispatcher" || !v.At.Equal(spotClock) {
			t.Fatalf("request verified %+v", v)
		}
		if r.Status != portal.StatusClosed || r.Version != before.Version+1 || r.Feedback == nil || r.Feedback.Solved != portal.SolvedYes {
			t.Errorf("request after verification: status %s, version %d (was %d), feedback %+v", r.Status, r.Version, before.Version, r.Feedback)
		}
		last := r.Timeline[len(r.Timeline)-1]
		if last.Action != "spot_check" || last.ActorID != "u-dispatcher" || portal.ActionNames[portal.Action(last.Action)] != "抽查核实" ||
			last.Note == "" {
			t.Errorf("timeline event %+v", last)
		}
		if solved, sat, ok := r.Outcome(); !ok || solved != portal.Unsolved || sat != portal.Dissatisfied {
			t.Errorf("Outcome = %s %s %v, want the verified one", solved, sat, ok)
		}
		if n := len(f.heard.actions); n == 0 || f.heard.actions[n-1] != "spot_check" || f.heard.after[n-1].Verified == nil {
			t.Errorf("listeners heard %v", f.heard.actions)
		}
		for _, action := range []string{"request.spot_check", "spot_check.verify"} {
			audit, _, err := f.Audit.FindAudit(ctx, portal.AuditFilter{Action: action})
			portaltest.Must(t, err, "audit")
			if len(audit) != 1 || audit[0].ActorID != "u-dispatcher" {
				t.Errorf("audit %s: %+v", action, audit)
			}
		}

		t.Run("SecondTimeIs409", func(t *testing.T) {
			_, err := f.svc.Verify(f.As(t, "dispatcher"), c.ID, it.RequestID,
				portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied})
			if !portal.IsCode(err, portal.ECONFLICT) {
				t.Fatalf("second verification: %v", err)
			}
			again, err := f.Store.FindRequestByID(ctx, it.RequestID)
			portaltest.Must(t, err, "again")
			if again.Version != r.Version || again.Verified.Solved != portal.Unsolved {
				t.Errorf("second verification changed the request: %+v", again.Verified)
			}
		})
		t.Run("ShowsInTheCheck", func(t *testing.T) {
			v, err := f.svc.Get(f.As(t, "admin"), c.ID, portal.SpotCheckItemQuery{State: "discrepancy"})
			portaltest.Must(t, err, "get")
			if v.Total != 1 || v.Items[0].RequestID != it.RequestID || v.Discrepancies != 1 || v.Verified != 1 {
				t.Errorf("discrepancy filter: %d items, %d verified, %d discrepancies", v.Total, v.Verified, v.Discrepancies)
			}
		})
	})

	t.Run("Consistent", func(t *testing.T) {
		it := mine("u-dispatcher2", true)
		got, err := f.svc.Verify(f.As(t, "dispatcher2"), c.ID, it.RequestID,
			portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied})
		portaltest.Must(t, err, "verify")
		r, err := f.Store.FindRequestByID(ctx, it.RequestID)
		portaltest.Must(t, err, "after")
		if got.State != portal.ItemVerified || r.Verified == nil || r.Verified.Discrepancy {
			t.Errorf("consistent answer: item %s, request %+v", got.State, r.Verified)
		}
	})

	t.Run("UnratedButUnsolved", func(t *testing.T) {
		it := mine("u-dispatcher", false)
		got, err := f.svc.Verify(f.As(t, "admin"), c.ID, it.RequestID,
			portal.VerifyInput{Solved: portal.Unsolved, Satisfaction: portal.Basic})
		portaltest.Must(t, err, "admin verifies a dispatcher's item")
		r, err := f.Store.FindRequestByID(ctx, it.RequestID)
		portaltest.Must(t, err, "after")
		if got.State != portal.ItemDiscrepancy || !r.Verified.Discrepancy || r.Verified.ReviewerID != "u-admin" || !r.Unrated {
			t.Errorf("unrated request verified unsolved: item %s, request %+v", got.State, r.Verified)
		}
		if _, _, ok := r.Outcome(); !ok {
			t.Errorf("a verified unrated request has no outcome")
		}
	})

	t.Run("Refused", func(t *testing.T) {
		it := mine("u-dispatcher", true)
		ok := portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied}
		for _, c2 := range []struct {
			name, as, check, req string
			in                   portal.VerifyInput
			code, field          string
		}{
			{"OtherReviewer", "dispatcher2", c.ID, it.RequestID, ok, portal.ENOTFOUND, ""},
			{"Handler", "handler", c.ID, it.RequestID, ok, portal.EFORBIDDEN, ""},
			{"Enterprise", "enterprise", c.ID, it.RequestID, ok, portal.EFORBIDDEN, ""},
			{"UnknownCheck", "dispatcher", "no-such-check", it.RequestID, ok, portal.ENOTFOUND, ""},
			{"NotSampled", "dispatcher", c.ID, "r-nope", ok, portal.ENOTFOUND, ""},
			{"NoSolved", "dispatcher", c.ID, it.RequestID, portal.VerifyInput{Satisfaction: portal.Satisfied}, portal.EINVALID, "solved"},
			{"BadSatisfaction", "dispatcher", c.ID, it.RequestID, portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: "happy"}, portal.EINVALID, "satisfaction"},
			{"LongNote", "dispatcher", c.ID, it.RequestID, portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied,
				Note: strings.Repeat("字", 501)}, portal.EINVALID, "note"},
		} {
			t.Run(c2.name, func(t *testing.T) {
				_, err := f.svc.Verify(f.As(t, c2.as), c2.check, c2.req, c2.in)
				if !portal.IsCode(err, c2.code) || (c2.field != "" && portal.ErrorFields(err)[c2.field] == "") {
					t.Fatalf("err = %v %v, want %s on %q", err, portal.ErrorFields(err), c2.code, c2.field)
				}
				r, err := f.Store.FindRequestByID(ctx, it.RequestID)
				portaltest.Must(t, err, "request")
				stored, err := f.checks.FindSpotCheckItem(ctx, c.ID, it.RequestID)
				portaltest.Must(t, err, "item")
				if r.Verified != nil || stored.Verified != nil || stored.Version != 1 {
					t.Errorf("refused verification left %+v on the request, %+v on the item", r.Verified, stored.Verified)
				}
			})
		}
	})

	t.Run("RequestNoLongerClosed", func(t *testing.T) {
		it := mine("u-dispatcher", true)
		_, err := f.DB.Database().Collection("requests").UpdateOne(ctx, bson.D{{Key: "_id", Value: it.RequestID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: portal.StatusReopened}}}})
		portaltest.Must(t, err, "reopen")
		_, err = f.svc.Verify(f.As(t, "dispatcher"), c.ID, it.RequestID,
			portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied})
		if !portal.IsCode(err, portal.ECONFLICT) || portal.ErrorFields(err)["status"] != "reopened" {
			t.Errorf("reopened request: %v %v", err, portal.ErrorFields(err))
		}
	})

	t.Run("LostItemWriteIsRepaired", func(t *testing.T) {
		it := mine("u-dispatcher2", true)
		_, err := f.svc.Verify(f.As(t, "dispatcher2"), c.ID, it.RequestID,
			portal.VerifyInput{Solved: portal.Partly, Satisfaction: portal.Basic})
		portaltest.Must(t, err, "verify")
		// As if the item's write had been lost after the request's.
		_, err = f.DB.Database().Collection("spot_check_items").UpdateOne(ctx,
			bson.D{{Key: "_id", Value: portal.SpotCheckItemID(c.ID, it.RequestID)}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: portal.ItemPending}}}, {Key: "$unset", Value: bson.D{{Key: "verified", Value: ""}}}})
		portaltest.Must(t, err, "lose the item write")
		_, err = f.svc.Verify(f.As(t, "dispatcher2"), c.ID, it.RequestID,
			portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied})
		if !portal.IsCode(err, portal.ECONFLICT) {
			t.Fatalf("second verification: %v", err)
		}
		stored, err := f.checks.FindSpotCheckItem(ctx, c.ID, it.RequestID)
		portaltest.Must(t, err, "item")
		if stored.State != portal.ItemDiscrepancy || stored.Verified == nil || stored.Verified.Solved != portal.Partly {
			t.Errorf("item not repaired from the request: %+v", stored)
		}
	})

	t.Run("Queue", func(t *testing.T) {
		p, err := f.svc.Mine(f.As(t, "dispatcher"), portal.SpotCheckItemQuery{State: "pending", PerPage: 100})
		portaltest.Must(t, err, "mine")
		for _, it := range p.Items {
			if it.ReviewerID != "u-dispatcher" || it.State != portal.ItemPending {
				t.Errorf("queue holds %+v", it)
			}
		}
		done, err := f.svc.Mine(f.As(t, "dispatcher"), portal.SpotCheckItemQuery{State: "verified", PerPage: 100})
		portaltest.Must(t, err, "mine done")
		if done.Total != 2 || p.Total+done.Total != 14 {
			t.Errorf("dispatcher's queue: %d pending, %d done", p.Total, done.Total)
		}
	})
}

func TestSpotCheckReassign(t *testing.T) {
	f := newSpotFixture(t)
	f.seedOctober(t)
	c, items := f.newCheck(t)
	ctx := context.Background()
	it := items[0]
	if it.ReviewerID != "u-dispatcher" {
		t.Fatalf("first item went to %s", it.ReviewerID)
	}
	for _, bad := range []struct {
		as, reviewer, code string
	}{
		{"dispatcher", "u-dispatcher2", portal.EFORBIDDEN},
		{"handler", "u-dispatcher2", portal.EFORBIDDEN},
		{"admin", "", portal.EINVALID},
		{"admin", "u-nobody", portal.EINVALID},
		{"admin", "u-handler", portal.EINVALID},
	} {
		if _, err := f.svc.Reassign(f.As(t, bad.as), c.ID, it.RequestID, bad.reviewer); !portal.IsCode(err, bad.code) {
			t.Errorf("%s reassigns to %q: %v, want %s", bad.as, bad.reviewer, err, bad.code)
		}
	}
	if stored, _ := f.checks.FindSpotCheckItem(ctx, c.ID, it.RequestID); stored.ReviewerID != "u-dispatcher" || stored.Version != 1 {
		t.Fatalf("refused reassignments changed the item: %+v", stored)
	}
	// A reviewer new to the check finds it once an item is theirs.
	got, err := f.svc.Reassign(f.As(t, "admin"), c.ID, it.RequestID, "u-dispatcher3")
	portaltest.Must(t, err, "reassign")
	if got.ReviewerID != "u-dispatcher3" || got.Version != 2 {
		t.Errorf("reassigned %+v", got)
	}
	v, err := f.svc.Get(f.As(t, "dispatcher3"), c.ID, portal.SpotCheckItemQuery{})
	portaltest.Must(t, err, "the new reviewer sees the check")
	if v.Total != 1 || v.Items[0].RequestID != it.RequestID {
		t.Errorf("new reviewer sees %d items", v.Total)
	}
	if _, err := f.svc.Verify(f.As(t, "dispatcher"), c.ID, it.RequestID,
		portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied}); !portal.IsCode(err, portal.ENOTFOUND) {
		t.Errorf("the former reviewer verifies: %v", err)
	}
	_, err = f.svc.Verify(f.As(t, "dispatcher3"), c.ID, it.RequestID, portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied})
	portaltest.Must(t, err, "the new reviewer verifies")
	if _, err := f.svc.Reassign(f.As(t, "admin"), c.ID, it.RequestID, "u-dispatcher"); !portal.IsCode(err, portal.ECONFLICT) {
		t.Errorf("reassigning a verified item: %v", err)
	}
}
