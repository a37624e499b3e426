package portal_test

import (
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func goodRaised(title string) portal.RaisedRequest {
	return portal.RaisedRequest{Title: title, Category: "traffic", Type: portal.TypeHelp,
		Description: "企业反映港区周边货车夜间通行受限，影响集装箱按时进出港，希望协调办理通行证。"}
}

func goodVisit(f *mtgFixture) portal.VisitInput {
	return portal.VisitInput{EnterpriseID: "ent-001", At: f.now.In(mtgZone).Format("2006-01-02"),
		PeopleMet: "陈海燕（行政总监）、刘工（车队长）", Notes: "企业生产经营正常，四季度订单增长约两成。",
		Requests: []portal.RaisedRequest{goodRaised("港区货车夜间通行证办理"), goodRaised("港前路增设货车临时停车位")}}
}

func TestVisitRecordFilesRaisedRequests(t *testing.T) {
	f := newMtgFixture(t)
	v, err := f.Visits.Record(f.As(t, "liaison"), goodVisit(f))
	portaltest.Must(t, err, "record")
	if v.LiaisonID != "u-liaison" || v.EnterpriseName != "海湾国际物流有限公司" || !v.At.Equal(f.now) || len(v.RequestIDs) != 2 ||
		!f.audited(t, "visit.create", v.ID) {
		t.Fatalf("visit %+v", v)
	}
	wantSource := "走访 海湾国际物流有限公司 " + f.now.In(mtgZone).Format("2006-01-02")
	for _, id := range v.RequestIDs {
		r, err := f.Requests.Get(f.As(t, "liaison"), id)
		portaltest.Must(t, err, "raised request")
		if r.Channel != portal.ChannelVisit || r.Source == nil || r.Source.ID != v.ID || r.Source.Name != wantSource ||
			r.EnterpriseID != "ent-001" || r.FiledByID != "u-liaison" {
			t.Fatalf("raised request %+v (source %+v)", r, r.Source)
		}
	}
	page, err := f.Visits.Raised(f.As(t, "liaison"), v.ID)
	portaltest.Must(t, err, "raised")
	if page.Total != 2 {
		t.Fatalf("raised lists %d", page.Total)
	}

	// A visit recorded afterwards, without requests, is dated on its day.
	in := goodVisit(f)
	in.At, in.Requests, in.EnterpriseID = f.now.In(mtgZone).AddDate(0, 0, -3).Format("2006-01-02"), nil, "ent-003"
	old, err := f.Visits.Record(f.As(t, "liaison"), in)
	portaltest.Must(t, err, "record afterwards")
	if old.At.In(mtgZone).Format("2006-01-02 15:04") != in.At+" 12:00" || len(old.RequestIDs) != 0 {
		t.Fatalf("visit afterwards at %v with %d requests", old.At, len(old.RequestIDs))
	}

	// A dispatcher records a visit anywhere; lists and reads are scoped.
	in = goodVisit(f)
	in.EnterpriseID, in.Requests = "ent-002", nil
	other, err := f.Visits.Record(f.As(t, "dispatcher"), in)
	portaltest.Must(t, err, "dispatcher records")
	for user, want := range map[string]int{"liaison": 2, "dispatcher": 3, "admin": 3, "liaison2": 0} {
		p, err := f.Visits.List(f.As(t, user), portal.VisitQuery{})
		portaltest.Must(t, err, "list as %s", user)
		if p.Total != want {
			t.Errorf("%s lists %d visits, want %d", user, p.Total, want)
		}
	}
	p, err := f.Visits.List(f.As(t, "dispatcher"), portal.VisitQuery{Mine: true})
	portaltest.Must(t, err, "mine")
	if p.Total != 1 || p.Items[0].ID != other.ID {
		t.Errorf("the dispatcher's own visits: %d", p.Total)
	}
	p, err = f.Visits.List(f.As(t, "liaison"), portal.VisitQuery{Q: "冷链"})
	portaltest.Must(t, err, "search")
	if p.Total != 1 || p.Items[0].ID != old.ID {
		t.Errorf("search lists %d", p.Total)
	}
	_, err = f.Visits.Get(f.As(t, "liaison2"), v.ID)
	mtgWant(t, err, portal.ENOTFOUND, "another liaison's visit")
	_, err = f.Visits.Get(f.As(t, "liaison"), other.ID)
	mtgWant(t, err, portal.ENOTFOUND, "the dispatcher's visit, for a liaison")
	for _, user := range []string{"handler", "committee", "enterprise", "editor"} {
		_, err = f.Visits.Get(f.As(t, user), v.ID)
		mtgWant(t, err, portal.EFORBIDDEN, user+" reading a visit")
		_, err = f.Visits.List(f.As(t, user), portal.VisitQuery{})
		mtgWant(t, err, portal.EFORBIDDEN, user+" listing visits")
	}
}

func TestVisitBadInputStoresNothing(t *testing.T) {
	f := newMtgFixture(t)
	for name, c := range map[string]struct {
		user  string
		mod   func(*portal.VisitInput)
		code  string
		field string
	}{
		"OutsideCaseload":   {"liaison", func(in *portal.VisitInput) { in.EnterpriseID = "ent-002" }, portal.ENOTFOUND, "enterprise_id"},
		"UnknownEnterprise": {"liaison", func(in *portal.VisitInput) { in.EnterpriseID = "ent-999" }, portal.ENOTFOUND, "enterprise_id"},
		"NoEnterprise":      {"liaison", func(in *portal.VisitInput) { in.EnterpriseID = "" }, portal.EINVALID, "enterprise_id"},
		"FutureDate": {"liaison", func(in *portal.VisitInput) {
			in.At = f.now.In(mtgZone).AddDate(0, 0, 1).Format("2006-01-02")
		}, portal.EINVALID, "at"},
		"BadDate":        {"liaison", func(in *portal.VisitInput) { in.At = "昨天" }, portal.EINVALID, "at"},
		"NobodyMet":      {"liaison", func(in *portal.VisitInput) { in.PeopleMet = "" }, portal.EINVALID, "people_met"},
		"SecondBadTitle": {"liaison", func(in *portal.VisitInput) { in.Requests[1].Title = "短" }, portal.EINVALID, "requests.1.title"},
		"FirstBadType":   {"liaison", func(in *portal.VisitInput) { in.Requests[0].Type = "order" }, portal.EINVALID, "requests.0.type"},
		"CategoryRefusesType": {"liaison", func(in *portal.VisitInput) {
			in.Requests[1].Category, in.Requests[1].Type = "policy", portal.TypeComplaint
		}, portal.EINVALID, "requests.1.category"},
		"UnknownCategory": {"liaison", func(in *portal.VisitInput) { in.Requests[0].Category = "moon" }, portal.EINVALID, "requests.0.category"},
		"TooMany": {"liaison", func(in *portal.VisitInput) {
			for len(in.Requests) <= portal.MaxRaisedRequests {
				in.Requests = append(in.Requests, goodRaised("港区货车夜间通行证办理"))
			}
		}, portal.EINVALID, "requests"},
		"Handler":   {"handler", func(*portal.VisitInput) {}, portal.EFORBIDDEN, ""},
		"Committee": {"committee", func(*portal.VisitInput) {}, portal.EFORBIDDEN, ""},
	} {
		t.Run(name, func(t *testing.T) {
			in := goodVisit(f)
			c.mod(&in)
			_, err := f.Visits.Record(f.As(t, c.user), in)
			mtgWant(t, err, c.code, name)
			if _, ok := portal.ErrorFields(err)[c.field]; c.field != "" && !ok {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), c.field)
			}
		})
	}
	if v, r := f.count(t, "visits"), f.count(t, "requests"); v != 0 || r != 0 {
		t.Fatalf("bad visits stored %d visits and %d requests", v, r)
	}
}
