package web

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/workcal"
)

// newCalendarTestServer is the admin test server with the calendar
// service, showing times in the district's zone.
func newCalendarTestServer(t *testing.T) *adminTestServer {
	t.Helper()
	ts := newAdminTestServer(t)
	ts.opt.Calendar = &portal.CalendarService{Store: mongostore.NewCalendarStore(ts.db),
		Audit: &portal.Auditor{Store: ts.audit, Now: time.Now}, Now: time.Now}
	// Page helpers capture the zone when the templates are parsed.
	ts.opt.Location = workcal.DefaultLocation()
	p, err := loadPages(ts.opt.Location)
	portaltest.Must(t, err, "load pages")
	ts.pages = p
	return ts
}

// calendarStored returns the edited years in the database.
func calendarStored(t *testing.T, db *mongostore.DB) []*portal.CalendarYear {
	t.Helper()
	got, err := mongostore.NewCalendarStore(db).FindCalendarYears(context.Background())
	portaltest.Must(t, err, "find calendar years")
	return got
}

// authzCalendarUnchanged checks that no calendar year was stored.
func authzCalendarUnchanged(t *testing.T, f *authzFixture) {
	n, err := f.db.Database().Collection("calendar_years").CountDocuments(context.Background(), bson.D{})
	portaltest.Must(t, err, "count calendar years")
	if n != 0 {
		t.Errorf("a refused calendar save stored %d years", n)
	}
}

func TestCalendarAPIDeadline(t *testing.T) {
	ts := newCalendarTestServer(t)
	const path = "/api/v1/calendar/deadline?"
	get := func(name, query string, status int, contains ...string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "GET", Path: path + query, Actor: "handler", Status: status, Contains: contains}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		get("working days over 春节", "start=2026-02-13T17:00:00%2B08:00&amount=3&unit=working_days", 200,
			`"due":"2026-02-26T00:00:00+08:00"`, `"calendar_version":"2026:builtin"`, `"start":"2026-02-13T17:00:00+08:00"`),
		get("an unescaped plus sign still reads", "start=2026-02-13T17:00:00+08:00&amount=3&unit=working_days", 200,
			`"due":"2026-02-26T00:00:00+08:00"`),
		get("UTC start, answer in district time", "start=2026-03-02T01:00:00Z&amount=2&unit=working_hours", 200,
			`"due":"2026-03-02T11:00:00+08:00"`, `"start":"2026-03-02T09:00:00+08:00"`),
		get("-05:00 start", "start=2025-09-27T20:00:00-05:00&amount=1&unit=working_days", 200,
			`"due":"2025-09-30T00:00:00+08:00"`),
		get("natural hours", "start=2026-02-13T17:00:00%2B08:00&amount=24&unit=hours", 200,
			`"due":"2026-02-14T17:00:00+08:00"`, `"calendar_version":"natural"`),
		get("a year without data warns", "start=2026-12-30T10:00:00%2B08:00&amount=5&unit=working_days", 200,
			`"calendar_version":"2026:builtin,2027:weekends-only"`, "2027 年的节假日安排尚未导入"),
		get("bad start", "start=yesterday&amount=1&unit=hours", 400, `"code":"invalid"`, `"fields":{"start":`),
		get("start out of range", "start=1999-01-01T00:00:00Z&amount=1&unit=hours", 400, `"fields":{"start":`),
		get("bad amount", "start=2026-03-02T10:00:00Z&amount=two&unit=hours", 400, `"fields":{"amount":`),
		get("amount zero", "start=2026-03-02T10:00:00Z&amount=0&unit=hours", 400, `"fields":{"amount":`),
		get("amount over 3650", "start=2026-03-02T10:00:00Z&amount=3651&unit=working_days", 400, `"fields":{"amount":`),
		get("bad unit", "start=2026-03-02T10:00:00Z&amount=1&unit=days", 400, `"fields":{"unit":`),
		get("nothing given names all three", "", 400, `"amount":`, `"start":`, `"unit":`),
		{Name: "visitors sign in first", Method: "GET", Path: path + "start=2026-03-02T10:00:00Z&amount=1&unit=hours", Status: 401},
	})
}

func TestCalendarAPIYear(t *testing.T) {
	ts := newCalendarTestServer(t)
	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := calendarStored(t, ts.db); len(got) != 1 || got[0].Version != 1 || len(got[0].DaysOff) != 2 {
			t.Errorf("the stored 2027 changed: %+v", got)
		}
	}
	valid := map[string]any{"days_off": []string{"2027-01-01", "2027-02-08"}, "days_on": []string{"2027-02-13"},
		"names": map[string]string{"2027-02-08": "春节"}, "version": 0}
	put := func(name, actor string, body any, status int, contains ...string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "PUT", Path: "/api/v1/calendar/2027", Actor: actor, Body: body,
			Status: status, Contains: contains}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "2026 as shipped", Method: "GET", Path: "/api/v1/calendar/2026", Actor: "enterprise", Status: 200,
			Contains: []string{`"year":2026`, `"source":"builtin"`, `"version":0`, `"2026-02-17"`, `"days_on":["2026-01-04","2026-02-14"`,
				`"2026-02-17":"春节"`, `"calendar_version":"2026:builtin"`}},
		{Name: "a year without data", Method: "GET", Path: "/api/v1/calendar/2030", Actor: "enterprise", Status: 200,
			Contains: []string{`"source":"none"`, `"days_off":[]`, `"calendar_version":"2030:weekends-only"`}},
		{Name: "year not a number", Method: "GET", Path: "/api/v1/calendar/twenty", Actor: "enterprise", Status: 400,
			Contains: []string{`"fields":{"year":`}},
		{Name: "year out of range", Method: "GET", Path: "/api/v1/calendar/1999", Actor: "enterprise", Status: 400,
			Contains: []string{`"fields":{"year":`}},
		{Name: "visitors sign in first", Method: "GET", Path: "/api/v1/calendar/2026", Status: 401},

		put("a liaison may not save", "liaison", valid, 403),
		put("bad days name the field", "admin", map[string]any{"days_off": []string{"2026-12-31"}, "version": 0}, 400,
			`"fields":{"days_off":`, "不在 2027 年内"),
		put("a weekday make-up day", "admin", map[string]any{"days_off": []string{"2027-01-01"}, "days_on": []string{"2027-01-04"}, "version": 0}, 400,
			`"days_on":`, "是星期一"),
		put("unknown field", "admin", map[string]any{"days_off": []string{"2027-01-01"}, "versoin": 0}, 400, "未知字段 versoin"),
		{Name: "nothing was stored", Method: "GET", Path: "/api/v1/calendar/2027", Actor: "admin", Status: 200,
			Contains: []string{`"source":"none"`}},
		put("admin saves", "admin", valid, 200, `"version":1`, `"source":"edited"`, `"calendar_version":"2027:v1"`, `"updated_by":"u-admin"`),
		{Name: "deadlines use the saved year at once", Method: "GET",
			Path: "/api/v1/calendar/deadline?start=2027-02-05T10:00:00%2B08:00&amount=2&unit=working_days", Actor: "handler", Status: 200,
			Contains: []string{`"due":"2027-02-11T00:00:00+08:00"`, `"calendar_version":"2027:v1"`}},
		{Name: "a stale version is 409 and changes nothing", Method: "PUT", Path: "/api/v1/calendar/2027", Actor: "admin",
			Body: map[string]any{"days_off": []string{"2027-05-01"}, "version": 0}, Status: 409, Contains: []string{`"code":"conflict"`},
			After: unchanged},
		{Name: "a liaison's save over the current version is 403 and changes nothing", Method: "PUT", Path: "/api/v1/calendar/2027",
			Actor: "liaison", Body: map[string]any{"days_off": []string{"2027-05-01"}, "version": 1}, Status: 403, After: unchanged},
		put("saving over the current version", "admin", map[string]any{"days_off": []string{"2027-05-01"}, "version": 1}, 200, `"version":2`),
	})
	if got := ts.auditEntries(t, "calendar.save"); len(got) < 3 {
		t.Errorf("calendar saves audited %d times, want the two saves and the refusals", len(got))
	}
}
