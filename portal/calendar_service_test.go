package portal_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/workcal"
)

// calFixture is a calendar service on a fresh database with a clock the
// test moves.
type calFixture struct {
	store *mongostore.CalendarStore
	audit *mongostore.AuditStore
	svc   *portal.CalendarService
	mu    sync.Mutex
	now   time.Time
}

func newCalFixture(t *testing.T) *calFixture {
	t.Helper()
	db := portaltest.DB(t)
	f := &calFixture{store: mongostore.NewCalendarStore(db), audit: mongostore.NewAuditStore(db),
		now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	f.svc = f.service()
	return f
}

// service is another CalendarService on the same store, as a second
// process would have.
func (f *calFixture) service() *portal.CalendarService {
	return &portal.CalendarService{Store: f.store, Audit: &portal.Auditor{Store: f.audit, Now: f.clock}, Now: f.clock}
}

func (f *calFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *calFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func calAs(role portal.Role) context.Context {
	return portal.WithActor(context.Background(), &portal.Actor{UserID: "u-" + string(role), Username: string(role),
		DisplayName: portal.RoleNames[role], Roles: []portal.Role{role}})
}

// stored returns the edited years in the store.
func (f *calFixture) stored(t *testing.T) []*portal.CalendarYear {
	t.Helper()
	got, err := f.store.FindCalendarYears(context.Background())
	portaltest.Must(t, err, "find calendar years")
	return got
}

func (f *calFixture) audits(t *testing.T, action string) []*portal.AuditEntry {
	t.Helper()
	got, _, err := f.audit.FindAudit(context.Background(), portal.AuditFilter{Action: action})
	portaltest.Must(t, err, "audit")
	return got
}

func wantCalCode(t *testing.T, err error, code string) {
	t.Helper()
	if portal.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %q", err, code)
	}
}

// a2027 is a plausible 2027 schedule (元旦, 春节 with a make-up Saturday).
func a2027() portal.CalendarYearInput {
	return portal.CalendarYearInput{
		DaysOff: []string{"2027-01-01", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"},
		DaysOn:  []string{"2027-02-13"},
		Names:   map[string]string{"2027-01-01": "元旦", "2027-02-08": "春节"},
	}
}

func TestCalendarServiceYear(t *testing.T) {
	f := newCalFixture(t)
	y, err := f.svc.Year(calAs(portal.RoleEnterprise), 2026)
	portaltest.Must(t, err, "2026 as an enterprise user")
	if y.Source != "builtin" || y.Version != 0 || y.CalendarVersion != "2026:builtin" || len(y.DaysOff) < 20 ||
		y.DaysOn[0] != "2026-01-04" || y.Names["2026-02-17"] != "春节" {
		t.Errorf("2026 = %+v", y)
	}
	days := y.Days()
	if days[0].Date != "2026-01-01" || !days[0].Off || days[0].Weekday != "星期四" {
		t.Errorf("first listed day = %+v", days[0])
	}
	if !strings.Contains(y.Text(), "2026-02-14 班 春节\n") || !strings.Contains(y.Text(), "2026-10-01 休 国庆节\n") {
		t.Errorf("text export lacks the make-up Saturday or 国庆: %s", y.Text())
	}
	none, err := f.svc.Year(calAs(portal.RoleHandler), 2028)
	portaltest.Must(t, err, "2028")
	if none.Source != "none" || none.CalendarVersion != "2028:weekends-only" || len(none.DaysOff) != 0 || none.DaysOff == nil {
		t.Errorf("2028 = %+v", none)
	}

	t.Run("ErrVisitorAndPending", func(t *testing.T) {
		_, err := f.svc.Year(context.Background(), 2026)
		wantCalCode(t, err, portal.EUNAUTHENTICATED)
		pending := portal.WithActor(context.Background(), &portal.Actor{UserID: "u-p", Roles: []portal.Role{portal.RoleEnterprise}, Pending: true})
		_, err = f.svc.Year(pending, 2026)
		wantCalCode(t, err, portal.EFORBIDDEN)
	})
	t.Run("ErrYearOutOfRange", func(t *testing.T) {
		for _, y := range []int{1999, 2100, 0, -2026} {
			_, err := f.svc.Year(calAs(portal.RoleAdmin), y)
			wantCalCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)["year"] == "" {
				t.Errorf("year %d: error does not name the year: %v", y, err)
			}
		}
	})
	t.Run("EditorForAdminsOnly", func(t *testing.T) {
		ed, err := f.svc.Editor(calAs(portal.RoleAdmin), 2026)
		portaltest.Must(t, err, "editor")
		if ed.Zone != "Asia/Shanghai" || ed.BusinessHours != "09:00–12:00、13:30–18:00" || len(ed.Years) < 2 || ed.Year != 2026 {
			t.Errorf("editor = %+v", ed)
		}
		_, err = f.svc.Editor(calAs(portal.RoleDispatcher), 2026)
		wantCalCode(t, err, portal.EFORBIDDEN)
	})
}

func TestCalendarServiceSaveYear(t *testing.T) {
	f := newCalFixture(t)
	admin := calAs(portal.RoleAdmin)

	t.Run("ErrForbiddenForOthers", func(t *testing.T) {
		for _, r := range []portal.Role{portal.RoleLiaison, portal.RoleDispatcher, portal.RoleEnterprise, portal.RolePolicyEditor} {
			_, err := f.svc.SaveYear(calAs(r), 2027, a2027())
			wantCalCode(t, err, portal.EFORBIDDEN)
		}
		_, err := f.svc.SaveYear(context.Background(), 2027, a2027())
		wantCalCode(t, err, portal.EUNAUTHENTICATED)
		if got := f.stored(t); len(got) != 0 {
			t.Errorf("refused saves stored %d years", len(got))
		}
		if got := f.audits(t, "calendar.save"); len(got) != 4 || got[0].Outcome != portal.OutcomeDenied {
			t.Errorf("denied saves audited as %+v, want 4 denied entries", got)
		}
	})

	for _, tc := range []struct {
		name  string
		year  int
		edit  func(in *portal.CalendarYearInput)
		field string
		msg   string
	}{
		{"not a date", 2027, func(in *portal.CalendarYearInput) { in.DaysOff[1] = "2027-02-30" }, "days_off", "休息日第 2 项：“2027-02-30”不是 YYYY-MM-DD"},
		{"written loosely", 2027, func(in *portal.CalendarYearInput) { in.DaysOn[0] = "2027/2/13" }, "days_on", "调休上班日第 1 项"},
		{"day of another year", 2027, func(in *portal.CalendarYearInput) { in.DaysOff[0] = "2026-12-31" }, "days_off", "2026-12-31 不在 2027 年内"},
		{"listed twice", 2027, func(in *portal.CalendarYearInput) { in.DaysOff = append(in.DaysOff, "2027-02-07") }, "days_off", "2027-02-07 与休息日第 3 项重复"},
		{"both off and on", 2027, func(in *portal.CalendarYearInput) { in.DaysOn = append(in.DaysOn, "2027-02-06") }, "days_on", "2027-02-06 与休息日第 2 项重复"},
		{"make-up day on a weekday", 2027, func(in *portal.CalendarYearInput) { in.DaysOn = []string{"2027-02-15"} }, "days_on", "2027-02-15 是星期一，本来就是工作日"},
		{"no days off", 2027, func(in *portal.CalendarYearInput) { in.DaysOff = nil; in.Names = nil }, "days_off", "至少列出一个法定节假日"},
		{"name of an unlisted day", 2027, func(in *portal.CalendarYearInput) { in.Names["2027-03-01"] = "植树节" }, "names", "2027-03-01"},
		{"name too long", 2027, func(in *portal.CalendarYearInput) { in.Names["2027-01-01"] = strings.Repeat("元", 21) }, "days_off", "不能超过 20 个字"},
		{"negative version", 2027, func(in *portal.CalendarYearInput) { in.Version = -1 }, "version", "负数"},
		{"year out of range", 2100, func(in *portal.CalendarYearInput) {}, "year", "2000–2099"},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			in := a2027()
			tc.edit(&in)
			_, err := f.svc.SaveYear(admin, tc.year, in)
			wantCalCode(t, err, portal.EINVALID)
			if got := portal.ErrorFields(err)[tc.field]; !strings.Contains(got, tc.msg) {
				t.Errorf("fields = %v, want %s to say %q", portal.ErrorFields(err), tc.field, tc.msg)
			}
			if got := f.stored(t); len(got) != 0 {
				t.Errorf("a refused save stored %+v", got[0])
			}
		})
	}

	t.Run("OK", func(t *testing.T) {
		cal, err := f.svc.Current(context.Background())
		portaltest.Must(t, err, "current")
		if cal.Known(2027) {
			t.Fatal("2027 known before it was saved")
		}
		y, err := f.svc.SaveYear(admin, 2027, a2027())
		portaltest.Must(t, err, "save 2027")
		if y.Version != 1 || y.Source != "edited" || y.CalendarVersion != "2027:v1" || y.UpdatedByName != "系统管理员" ||
			y.Names["2027-02-08"] != "春节" || len(y.DaysOff) != 8 {
			t.Errorf("saved = %+v", y)
		}
		cal, err = f.svc.Current(context.Background())
		portaltest.Must(t, err, "current")
		if cal.IsWorkingDay(workcal.NewDate(2027, 2, 8)) || !cal.IsWorkingDay(workcal.NewDate(2027, 2, 13)) {
			t.Error("the saved year is not in force at once")
		}
		p, err := f.svc.PreviewDeadline(calAs(portal.RoleHandler), portal.DeadlineQuery{Start: "2027-02-05T10:00:00+08:00", Amount: "1", Unit: "working_days"})
		portaltest.Must(t, err, "deadline")
		if p.Due.Format(time.RFC3339) != "2027-02-14T00:00:00+08:00" || p.CalendarVersion != "2027:v1" || len(p.Warnings) != 0 {
			t.Errorf("deadline over the saved 春节 = %+v", p)
		}
		var saved []*portal.AuditEntry
		for _, e := range f.audits(t, "calendar.save") {
			if e.Outcome == portal.OutcomeOK {
				saved = append(saved, e)
			}
		}
		if len(saved) != 1 || saved[0].ObjectID != "2027" || saved[0].ActorID != "u-admin" ||
			!strings.Contains(saved[0].Detail, "休息日 8 天，调休上班日 1 天，第 1 版") {
			t.Errorf("successful saves audited as %+v, want one entry", saved)
		}
	})

	t.Run("ErrConflictWhenStale", func(t *testing.T) {
		in := a2027()
		in.DaysOff, in.Names = in.DaysOff[:1], nil // based on version 0, which is no longer in force
		_, err := f.svc.SaveYear(admin, 2027, in)
		wantCalCode(t, err, portal.ECONFLICT)
		got := f.stored(t)
		if len(got) != 1 || got[0].Version != 1 || len(got[0].DaysOff) != 8 {
			t.Errorf("a stale save changed the year: %+v", got)
		}
		in.Version = 1
		y, err := f.svc.SaveYear(admin, 2027, in)
		portaltest.Must(t, err, "save over version 1")
		if y.Version != 2 || len(y.DaysOff) != 1 {
			t.Errorf("second save = %+v", y)
		}
	})

	t.Run("OtherProcessSeesTheEditAfterCacheFor", func(t *testing.T) {
		other := f.service()
		before, err := other.Year(admin, 2026)
		portaltest.Must(t, err, "read 2026 in the other process")
		in := a2027()
		in.DaysOff, in.DaysOn, in.Names = []string{"2026-03-02"}, nil, nil
		_, err = f.svc.SaveYear(admin, 2026, in)
		portaltest.Must(t, err, "replace 2026")
		if y, _ := other.Year(admin, 2026); y.Source != before.Source {
			t.Errorf("the other process reloaded before its cache expired: %s", y.Source)
		}
		f.advance(portal.DefaultCalendarCacheFor)
		y, err := other.Year(admin, 2026)
		portaltest.Must(t, err, "read 2026 again")
		if y.Source != "edited" || len(y.DaysOff) != 1 || y.CalendarVersion != "2026:v1" {
			t.Errorf("after the cache expired the other process sees %+v", y)
		}
	})
}

func TestCalendarServiceImport(t *testing.T) {
	f := newCalFixture(t)
	admin := calAs(portal.RoleAdmin)
	good := "# 2027 年安排\n2027-01-01 休 元旦\n\n2027-02-06~2027-02-12 休 春节\r\n2027-02-13 班 春节\n2027-10-01 至 2027-10-07 off 国庆节\n2027-09-26,on\n"

	t.Run("Preview", func(t *testing.T) {
		imp, err := f.svc.ImportYear(admin, 2027, good, 0, false)
		portaltest.Must(t, err, "preview")
		if len(imp.Days) != 17 || len(imp.Added) != 17 || len(imp.Removed) != 0 || len(imp.LineErrors) != 0 || imp.Saved != nil {
			t.Errorf("preview = %d days, %d added, %d removed, errors %v", len(imp.Days), len(imp.Added), len(imp.Removed), imp.LineErrors)
		}
		if d := imp.Days[1]; d.Date != "2027-02-06" || !d.Off || d.Name != "春节" || d.Weekday != "星期六" {
			t.Errorf("second day = %+v", d)
		}
		if got := f.stored(t); len(got) != 0 {
			t.Error("a preview stored the year")
		}
	})

	t.Run("ErrBadLinesNamedByNumber", func(t *testing.T) {
		bad := "2027-01-01 休 元旦\n" + // 1 ok
			"2027-01-32 休\n" + // 2 not a date
			"2027-02-13\n" + // 3 no mark
			"2027-02-14 加班\n" + // 4 unknown mark
			"2027-02-10~2027-02-01 休\n" + // 5 backwards range
			"2027-03-01 班\n" + // 6 make-up on a Monday
			"2026-12-31 休\n" + // 7 other year
			"2027-01-01 休\n" + // 8 repeats line 1
			"2027-05-01~2027-06-30 休\n" // 9 range too long
		imp, err := f.svc.ImportYear(admin, 2027, bad, 0, true)
		wantCalCode(t, err, portal.EINVALID)
		want := map[int]string{2: "“2027-01-32”不是", 3: "缺少“休”或“班”", 4: "“加班”应为", 5: "结束早于开始", 6: "是星期一",
			7: "不在 2027 年内", 8: "与第 1 行重复", 9: "超过 31 天"}
		if imp == nil || len(imp.LineErrors) != len(want) {
			t.Fatalf("line errors = %+v, want %d", imp, len(want))
		}
		for i, le := range imp.LineErrors {
			if i > 0 && le.Line < imp.LineErrors[i-1].Line {
				t.Errorf("line errors out of order: %v", imp.LineErrors)
			}
			if !strings.HasPrefix(le.Message, "第 ") || !strings.Contains(le.Message, want[le.Line]) {
				t.Errorf("line %d: %q, want it to say %q", le.Line, le.Message, want[le.Line])
			}
		}
		if portal.ErrorFields(err)["line_6"] == "" {
			t.Errorf("fields do not name line 6: %v", portal.ErrorFields(err))
		}
		if got := f.stored(t); len(got) != 0 {
			t.Error("an import with bad lines stored the year")
		}
		_, err = f.svc.ImportYear(admin, 2027, "# 只有注释\n\n", 0, false)
		wantCalCode(t, err, portal.EINVALID)
	})

	t.Run("ErrForbiddenForOthers", func(t *testing.T) {
		_, err := f.svc.ImportYear(calAs(portal.RoleCommittee), 2027, good, 0, true)
		wantCalCode(t, err, portal.EFORBIDDEN)
		if got := f.stored(t); len(got) != 0 {
			t.Error("a refused import stored the year")
		}
	})

	t.Run("SaveThenDiff", func(t *testing.T) {
		imp, err := f.svc.ImportYear(admin, 2027, good, 0, true)
		portaltest.Must(t, err, "import")
		if imp.Saved == nil || imp.Saved.Version != 1 || len(imp.Saved.DaysOff) != 15 || imp.Saved.DaysOn[1] != "2027-09-26" {
			t.Fatalf("saved = %+v", imp.Saved)
		}
		// The next import of the same year shows what changes.
		next := strings.Replace(good, "2027-01-01 休 元旦\n", "", 1) + "2027-02-20 班\n"
		imp, err = f.svc.ImportYear(admin, 2027, next, 1, false)
		portaltest.Must(t, err, "preview the change")
		if len(imp.Added) != 1 || imp.Added[0].Date != "2027-02-20" || len(imp.Removed) != 1 || imp.Removed[0].Date != "2027-01-01" {
			t.Errorf("diff = added %+v removed %+v", imp.Added, imp.Removed)
		}
		_, err = f.svc.ImportYear(admin, 2027, next, 0, true)
		wantCalCode(t, err, portal.ECONFLICT)
		if got := f.stored(t); got[0].Version != 1 || len(got[0].DaysOff) != 15 {
			t.Errorf("a stale import changed the year: %+v", got[0])
		}
	})
}

func TestCalendarServiceDeadline(t *testing.T) {
	f := newCalFixture(t)
	as := calAs(portal.RoleLiaison)
	for _, tc := range []struct {
		name              string
		q                 portal.DeadlineQuery
		due, ver, warning string
	}{
		{"working days over 春节", portal.DeadlineQuery{"2026-02-13T17:00:00+08:00", "3", "working_days"}, "2026-02-26T00:00:00+08:00", "2026:builtin", ""},
		{"plus sign lost in a query string", portal.DeadlineQuery{"2026-02-13T17:00:00 08:00", "3", "working_days"}, "2026-02-26T00:00:00+08:00", "2026:builtin", ""},
		{"UTC start answered in district time", portal.DeadlineQuery{"2026-03-02T01:00:00Z", "2", "working_hours"}, "2026-03-02T11:00:00+08:00", "2026:builtin", ""},
		{"no offset is district time", portal.DeadlineQuery{"2026-03-02T17:00", "2", "working_hours"}, "2026-03-03T10:00:00+08:00", "2026:builtin", ""},
		{"a bare date is district midnight", portal.DeadlineQuery{" 2026-03-02 ", " 24 ", " hours "}, "2026-03-03T00:00:00+08:00", "natural", ""},
		{"a year without data warns", portal.DeadlineQuery{"2026-12-30T10:00:00+08:00", "5", "working_days"}, "2027-01-07T00:00:00+08:00",
			"2026:builtin,2027:weekends-only", "2027 年的节假日安排尚未导入"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := f.svc.PreviewDeadline(as, tc.q)
			portaltest.Must(t, err, "preview")
			if p.Due.Format(time.RFC3339) != tc.due || p.CalendarVersion != tc.ver {
				t.Errorf("due %s %q, want %s %q", p.Due.Format(time.RFC3339), p.CalendarVersion, tc.due, tc.ver)
			}
			if got := strings.Join(p.Warnings, ""); !strings.Contains(got, tc.warning) || (tc.warning == "") != (got == "") {
				t.Errorf("warnings %q, want %q", got, tc.warning)
			}
			if p.Due.Location().String() != "Asia/Shanghai" || p.Start.Location().String() != "Asia/Shanghai" {
				t.Errorf("answered in %s", p.Due.Location())
			}
		})
	}
	for _, tc := range []struct {
		name   string
		q      portal.DeadlineQuery
		fields []string
	}{
		{"everything missing", portal.DeadlineQuery{}, []string{"start", "amount", "unit"}},
		{"start not a time", portal.DeadlineQuery{"tomorrow", "1", "hours"}, []string{"start"}},
		{"start before 2000", portal.DeadlineQuery{"1999-12-31T10:00:00+08:00", "1", "hours"}, []string{"start"}},
		{"amount not a number", portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "three", "hours"}, []string{"amount"}},
		{"amount zero", portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "0", "hours"}, []string{"amount"}},
		{"amount too big", portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "3651", "working_days"}, []string{"amount"}},
		{"amount fractional", portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "1.5", "hours"}, []string{"amount"}},
		{"unit unknown", portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "1", "days"}, []string{"unit"}},
		{"two bad values", portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "-1", "weeks"}, []string{"amount", "unit"}},
	} {
		t.Run("ErrInvalid/"+tc.name, func(t *testing.T) {
			_, err := f.svc.PreviewDeadline(as, tc.q)
			wantCalCode(t, err, portal.EINVALID)
			fields := portal.ErrorFields(err)
			if len(fields) != len(tc.fields) {
				t.Errorf("fields = %v, want exactly %v", fields, tc.fields)
			}
			for _, k := range tc.fields {
				if fields[k] == "" {
					t.Errorf("fields = %v, want %s named", fields, k)
				}
			}
		})
	}
	_, err := f.svc.PreviewDeadline(context.Background(), portal.DeadlineQuery{"2026-03-02T10:00:00+08:00", "1", "hours"})
	wantCalCode(t, err, portal.EUNAUTHENTICATED)
}
