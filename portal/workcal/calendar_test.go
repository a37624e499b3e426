package workcal_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal/workcal"
)

var shanghai = workcal.DefaultLocation()

func mustCal(t *testing.T, years ...workcal.Year) *workcal.Calendar {
	t.Helper()
	c, err := workcal.New(shanghai, nil, append(workcal.Builtin(), years...))
	if err != nil {
		t.Fatalf("new calendar: %v", err)
	}
	return c
}

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

func day(t *testing.T, s string) workcal.Date {
	t.Helper()
	d, err := workcal.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWorkcalBuiltinMatchesStateCouncil cross-checks days the State
// Council's notices for 2025 and 2026 fix, so that the data really comes
// through from the library.
func TestWorkcalBuiltinMatchesStateCouncil(t *testing.T) {
	c := mustCal(t)
	if got := c.Years(); !slices.Contains(got, 2025) || !slices.Contains(got, 2026) {
		t.Fatalf("builtin years = %v, want 2025 and 2026", got)
	}
	for _, tc := range []struct {
		day     string
		working bool
		why     string
	}{
		{"2026-02-14", true, "2026 春节 make-up Saturday"},
		{"2026-02-15", false, "2026 春节 first day off (Sunday)"},
		{"2026-02-17", false, "2026 春节 (Tuesday)"},
		{"2026-02-23", false, "2026 春节 last day off (Monday)"},
		{"2026-02-24", true, "first working day after 2026 春节"},
		{"2026-02-28", true, "2026 春节 make-up Saturday"},
		{"2026-01-01", false, "2026 元旦"},
		{"2026-01-02", false, "2026 元旦 (Friday)"},
		{"2026-01-04", true, "2026 元旦 make-up Sunday"},
		{"2025-01-26", true, "2025 春节 make-up Sunday"},
		{"2025-09-28", true, "2025 国庆 make-up Sunday"},
		{"2025-10-01", false, "2025 国庆"},
		{"2025-10-08", false, "2025 国庆中秋 last day (Wednesday)"},
		{"2025-10-09", true, "after 2025 国庆"},
		{"2025-10-11", true, "2025 国庆 make-up Saturday"},
		{"2025-10-12", false, "an ordinary Sunday"},
		{"2025-10-13", true, "an ordinary Monday"},
	} {
		if got := c.IsWorkingDay(day(t, tc.day)); got != tc.working {
			t.Errorf("%s (%s): working = %v, want %v", tc.day, tc.why, got, tc.working)
		}
	}
	y := c.Year(2026)
	if y.Source != workcal.SourceBuiltin || y.Names[day(t, "2026-02-17")] != "春节" || y.Tag() != "2026:builtin" {
		t.Errorf("2026 = source %s, name of 02-17 %q, tag %s", y.Source, y.Names[day(t, "2026-02-17")], y.Tag())
	}
	// Builtin hands out copies: changing one does not change the next.
	b := workcal.Builtin()
	b[0].Off[0] = day(t, "2025-03-03")
	if workcal.Builtin()[0].Off[0] == b[0].Off[0] {
		t.Error("Builtin shares its data with callers")
	}
}

func TestWorkcalWorkingDayDeadlines(t *testing.T) {
	c := mustCal(t)
	for _, tc := range []struct {
		name, start string
		n           int
		due, ver    string
	}{
		{"three days over 春节 2026, make-up Saturday counts", "2026-02-13T17:00:00+08:00", 3, "2026-02-26T00:00:00+08:00", "2026:builtin"},
		{"one day: the make-up Saturday", "2026-02-13T17:00:00+08:00", 1, "2026-02-15T00:00:00+08:00", "2026:builtin"},
		{"start inside a holiday", "2026-02-18T10:00:00+08:00", 1, "2026-02-25T00:00:00+08:00", "2026:builtin"},
		{"start on a working day does not count it", "2026-03-02T08:00:00+08:00", 1, "2026-03-04T00:00:00+08:00", "2026:builtin"},
		{"start at the last instant of a day", "2026-03-02T23:59:59+08:00", 1, "2026-03-04T00:00:00+08:00", "2026:builtin"},
		{"year end: 元旦 2026 then make-up Sunday", "2025-12-31T09:00:00+08:00", 1, "2026-01-05T00:00:00+08:00", "2025:builtin,2026:builtin"},
		{"year end: two days", "2025-12-31T09:00:00+08:00", 2, "2026-01-06T00:00:00+08:00", "2025:builtin,2026:builtin"},
		{"make-up Sunday 2025-01-26", "2025-01-24T10:00:00+08:00", 1, "2025-01-27T00:00:00+08:00", "2025:builtin"},
		{"make-up Saturday 2025-10-11", "2025-10-10T10:00:00+08:00", 1, "2025-10-12T00:00:00+08:00", "2025:builtin"},
		{"春节 2025 across a month end", "2025-01-27T10:00:00+08:00", 1, "2025-02-06T00:00:00+08:00", "2025:builtin"},
		{"国庆 2025", "2025-09-30T10:00:00+08:00", 1, "2025-10-10T00:00:00+08:00", "2025:builtin"},
		{"five working days over 劳动节 with a make-up Saturday", "2026-04-30T15:00:00+08:00", 5, "2026-05-12T00:00:00+08:00", "2026:builtin"},
		// 16:30 UTC on the 13th is 00:30 on Saturday the 14th in the district:
		// the 14th is the start day, so counting begins after the holiday.
		{"UTC input is a day later in the district", "2026-02-13T16:30:00Z", 1, "2026-02-25T00:00:00+08:00", "2026:builtin"},
		// 20:00 at -05:00 on Saturday the 27th is 09:00 on Sunday the 28th,
		// a make-up day: it is the start day and does not count.
		{"-05:00 input", "2025-09-27T20:00:00-05:00", 1, "2025-09-30T00:00:00+08:00", "2025:builtin"},
		{"year without data counts weekends only", "2026-12-30T10:00:00+08:00", 5, "2027-01-07T00:00:00+08:00", "2026:builtin,2027:weekends-only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			due, ver, err := c.Deadline(at(t, tc.start), tc.n, workcal.WorkingDays)
			if err != nil {
				t.Fatal(err)
			}
			if got := due.Format(time.RFC3339); got != tc.due || ver != tc.ver {
				t.Errorf("Deadline(%s, %d working days) = %s %q, want %s %q", tc.start, tc.n, got, ver, tc.due, tc.ver)
			}
			d2, v2, err := c.AddWorkingDays(at(t, tc.start), tc.n)
			if err != nil || !d2.Equal(due) || v2 != ver {
				t.Errorf("AddWorkingDays disagrees with Deadline: %s %q %v", d2, v2, err)
			}
		})
	}
}

func TestWorkcalExclusiveEnd(t *testing.T) {
	c := mustCal(t)
	due, _, err := c.Deadline(at(t, "2026-03-02T10:00:00+08:00"), 1, workcal.WorkingDays)
	if err != nil {
		t.Fatal(err)
	}
	// The whole of the 3rd is in time; midnight starting the 4th is late.
	if workcal.Overdue(at(t, "2026-03-03T23:59:59+08:00").Add(999*time.Millisecond), due) {
		t.Error("overdue before the end of the last working day")
	}
	if !workcal.Overdue(due, due) {
		t.Error("not overdue at the due instant")
	}
	if !workcal.Overdue(at(t, "2026-03-03T16:00:00Z"), due) {
		t.Error("not overdue at the due instant written in UTC")
	}
}

func TestWorkcalHoursDeadlines(t *testing.T) {
	c := mustCal(t)
	for _, tc := range []struct {
		name, start string
		n           int
		unit        workcal.Unit
		due, ver    string
	}{
		{"natural hours ignore holidays", "2026-02-13T17:00:00+08:00", 24, workcal.Hours, "2026-02-14T17:00:00+08:00", "natural"},
		{"natural hours from UTC, answered in district time", "2026-02-13T09:00:00Z", 4, workcal.Hours, "2026-02-13T21:00:00+08:00", "natural"},
		{"working hours across lunch", "2026-03-02T11:00:00+08:00", 2, workcal.WorkingHours, "2026-03-02T14:30:00+08:00", "2026:builtin"},
		{"start during lunch", "2026-03-02T12:30:00+08:00", 1, workcal.WorkingHours, "2026-03-02T14:30:00+08:00", "2026:builtin"},
		{"start before 09:00", "2026-03-02T08:00:00+08:00", 1, workcal.WorkingHours, "2026-03-02T10:00:00+08:00", "2026:builtin"},
		{"ending exactly at noon", "2026-03-02T09:00:00+08:00", 3, workcal.WorkingHours, "2026-03-02T12:00:00+08:00", "2026:builtin"},
		{"start after 18:00", "2026-03-02T19:00:00+08:00", 1, workcal.WorkingHours, "2026-03-03T10:00:00+08:00", "2026:builtin"},
		{"start exactly at 18:00", "2026-03-02T18:00:00+08:00", 1, workcal.WorkingHours, "2026-03-03T10:00:00+08:00", "2026:builtin"},
		{"across a weekend", "2026-03-06T17:00:00+08:00", 2, workcal.WorkingHours, "2026-03-09T10:00:00+08:00", "2026:builtin"},
		{"into a make-up Saturday", "2026-02-13T17:00:00+08:00", 2, workcal.WorkingHours, "2026-02-14T10:00:00+08:00", "2026:builtin"},
		{"across 春节", "2026-02-13T17:00:00+08:00", 10, workcal.WorkingHours, "2026-02-24T10:30:00+08:00", "2026:builtin"},
		{"start inside 国庆", "2025-10-03T10:00:00+08:00", 1, workcal.WorkingHours, "2025-10-09T10:00:00+08:00", "2025:builtin"},
		{"UTC start inside business hours", "2026-03-02T03:00:00Z", 1, workcal.WorkingHours, "2026-03-02T12:00:00+08:00", "2026:builtin"},
		{"-05:00 evening is the district's Monday morning", "2026-03-01T20:30:00-05:00", 1, workcal.WorkingHours, "2026-03-02T10:30:00+08:00", "2026:builtin"},
		{"across the year end", "2025-12-31T17:00:00+08:00", 2, workcal.WorkingHours, "2026-01-04T10:00:00+08:00", "2025:builtin,2026:builtin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			due, ver, err := c.Deadline(at(t, tc.start), tc.n, tc.unit)
			if err != nil {
				t.Fatal(err)
			}
			if got := due.Format(time.RFC3339); got != tc.due || ver != tc.ver {
				t.Errorf("Deadline(%s, %d %s) = %s %q, want %s %q", tc.start, tc.n, tc.unit, got, ver, tc.due, tc.ver)
			}
		})
	}
}

func TestWorkcalCustomBusinessHours(t *testing.T) {
	hours, err := workcal.ParseBusinessHours("08:30-17:30")
	if err != nil {
		t.Fatal(err)
	}
	c, err := workcal.New(shanghai, hours, workcal.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	due, _, err := c.Deadline(at(t, "2026-03-02T17:00:00+08:00"), 1, workcal.WorkingHours)
	if err != nil {
		t.Fatal(err)
	}
	if got := due.Format(time.RFC3339); got != "2026-03-03T09:00:00+08:00" {
		t.Errorf("one working hour from 17:00 with 08:30–17:30 = %s", got)
	}
	if c.BusinessHours().String() != "08:30-17:30" {
		t.Errorf("business hours = %s", c.BusinessHours())
	}
}

func TestWorkcalPausedTime(t *testing.T) {
	c := mustCal(t)
	from, to := at(t, "2026-02-13T17:00:00+08:00"), at(t, "2026-02-24T10:30:00+08:00")
	if got := c.WorkingTimeBetween(from, to); got != 10*time.Hour {
		t.Errorf("business time from Fri 17:00 over 春节 to Tue 10:30 = %s, want 10h", got)
	}
	if got := c.WorkingTimeBetween(to, from); got != 0 {
		t.Errorf("reversed interval = %s, want 0", got)
	}
	// A 4-hour limit paused after 2.5 business hours has 1.5 left from the resume.
	start, pause, resume := at(t, "2026-03-02T10:00:00+08:00"), at(t, "2026-03-02T14:00:00+08:00"), at(t, "2026-03-04T08:00:00+08:00")
	used := c.WorkingTimeBetween(start, pause)
	if used != 150*time.Minute {
		t.Fatalf("used = %s, want 2h30m", used)
	}
	due, _, err := c.AddWorkingTime(resume, 4*time.Hour-used)
	if err != nil || due.Format(time.RFC3339) != "2026-03-04T10:30:00+08:00" {
		t.Errorf("rest after resume = %s %v, want 2026-03-04T10:30:00+08:00", due, err)
	}
	if got, _, _ := c.AddWorkingTime(resume, 0); !got.Equal(resume) {
		t.Errorf("nothing left = %s, want the resume instant", got)
	}
	if got := c.WorkingDaysBetween(day(t, "2026-02-13"), day(t, "2026-02-25")); got != 3 {
		t.Errorf("working days after 02-13 up to 02-25 = %d, want 3 (14, 24, 25)", got)
	}
	if got := c.WorkingDaysBetween(day(t, "2026-02-25"), day(t, "2026-02-13")); got != 0 {
		t.Errorf("reversed = %d, want 0", got)
	}
}

func TestWorkcalDeadlineBadInput(t *testing.T) {
	c := mustCal(t)
	ok := at(t, "2026-03-02T10:00:00+08:00")
	for _, tc := range []struct {
		name   string
		start  time.Time
		amount int
		unit   workcal.Unit
		field  string
	}{
		{"zero amount", ok, 0, workcal.WorkingDays, "amount"},
		{"negative amount", ok, -3, workcal.Hours, "amount"},
		{"amount over ten years", ok, workcal.MaxAmount + 1, workcal.WorkingHours, "amount"},
		{"unknown unit", ok, 1, "days", "unit"},
		{"empty unit", ok, 1, "", "unit"},
		{"zero start", time.Time{}, 1, workcal.WorkingDays, "start"},
		{"start before 2000", at(t, "1999-12-31T10:00:00+08:00"), 1, workcal.WorkingDays, "start"},
		{"start after 2099", at(t, "2100-01-01T10:00:00+08:00"), 1, workcal.Hours, "start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := c.Deadline(tc.start, tc.amount, tc.unit)
			var fe *workcal.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || fe.Message == "" {
				t.Errorf("error = %v, want a FieldError on %s", err, tc.field)
			}
		})
	}
	if _, _, err := c.Deadline(ok, workcal.MaxAmount, workcal.WorkingDays); err != nil {
		t.Errorf("the largest amount is refused: %v", err)
	}
}

func TestWorkcalEditedYearReplacesBuiltin(t *testing.T) {
	edited := workcal.Year{Year: 2026, Source: workcal.SourceEdited, Version: 3,
		Off: []workcal.Date{day(t, "2026-03-02")}, On: []workcal.Date{day(t, "2026-03-07")}}
	c := mustCal(t, edited)
	if !c.IsWorkingDay(day(t, "2026-02-17")) {
		t.Error("the builtin 春节 still applies after the year was replaced")
	}
	if c.IsWorkingDay(day(t, "2026-03-02")) || !c.IsWorkingDay(day(t, "2026-03-07")) {
		t.Error("the edited days off and on do not apply")
	}
	_, ver, err := c.Deadline(at(t, "2025-12-31T10:00:00+08:00"), 2, workcal.WorkingDays)
	if err != nil || ver != "2025:builtin,2026:v3" {
		t.Errorf("version = %q %v, want 2025:builtin,2026:v3", ver, err)
	}
	if got := c.MissingYears(day(t, "2026-12-01"), day(t, "2028-01-02")); !slices.Equal(got, []int{2027, 2028}) {
		t.Errorf("missing years = %v", got)
	}
	if c.Known(2027) || c.Year(2027).Source != workcal.SourceNone || c.Year(2027).Tag() != "2027:weekends-only" {
		t.Errorf("2027 = %+v", c.Year(2027))
	}
}

func TestWorkcalNewRefusesInconsistentYears(t *testing.T) {
	for name, y := range map[string]workcal.Year{
		"day of another year": {Year: 2027, Off: []workcal.Date{day(t, "2026-10-01")}},
		"both off and on":     {Year: 2027, Off: []workcal.Date{day(t, "2027-02-06")}, On: []workcal.Date{day(t, "2027-02-06")}},
	} {
		if _, err := workcal.New(shanghai, nil, []workcal.Year{y}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := workcal.New(shanghai, workcal.BusinessHours{{600, 540}}, nil); err == nil {
		t.Error("backwards business hours accepted")
	}
}

func TestWorkcalAtFraction(t *testing.T) {
	start, due := at(t, "2026-03-02T10:00:00+08:00"), at(t, "2026-03-06T10:00:00+08:00")
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0.75, "2026-03-05T10:00:00+08:00"},
		{0.5, "2026-03-04T10:00:00+08:00"},
		{0, "2026-03-02T10:00:00+08:00"},
		{1, "2026-03-06T10:00:00+08:00"},
		{-1, "2026-03-02T10:00:00+08:00"},
		{2, "2026-03-06T10:00:00+08:00"},
		{math.NaN(), "2026-03-02T10:00:00+08:00"},
	} {
		if got := workcal.AtFraction(start, due, tc.f); !got.Equal(at(t, tc.want)) {
			t.Errorf("AtFraction(%v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}

func TestWorkcalBusinessHoursSpec(t *testing.T) {
	h, err := workcal.ParseBusinessHours(" 09:00-12:00 , 13:30-18:00 ")
	if err != nil || h.String() != workcal.DefaultBusinessHoursSpec || !slices.Equal(h, workcal.DefaultBusinessHours()) {
		t.Errorf("default spec = %v %v", h, err)
	}
	if h.Label() != "09:00–12:00、13:30–18:00" {
		t.Errorf("label = %s", h.Label())
	}
	if h, err := workcal.ParseBusinessHours("00:00-24:00"); err != nil || h[0].To != 24*60 {
		t.Errorf("whole day = %v %v", h, err)
	}
	for _, bad := range []string{"", " , ", "9-12", "09:00", "09:00-08:00", "09:00-12:00,11:00-13:00", "25:00-26:00",
		"09:60-10:00", "24:30-24:45", "9:00-12:00", "aa:bb-cc:dd"} {
		if _, err := workcal.ParseBusinessHours(bad); err == nil {
			t.Errorf("ParseBusinessHours(%q) accepted", bad)
		}
	}
}

func TestWorkcalDates(t *testing.T) {
	if _, err := workcal.ParseDate("2026-02-30"); err == nil {
		t.Error("2026-02-30 accepted")
	}
	if _, err := workcal.ParseDate("2026-2-3"); err == nil {
		t.Error("2026-2-3 accepted")
	}
	d := day(t, "2025-12-31")
	if d.AddDays(1).String() != "2026-01-01" || d.AddDays(-365).String() != "2024-12-31" {
		t.Errorf("AddDays: %s %s", d.AddDays(1), d.AddDays(-365))
	}
	if !d.Before(day(t, "2026-01-01")) || d.Compare(d) != 0 || day(t, "2026-01-01").Compare(d) != 1 {
		t.Error("Compare")
	}
	if d.WeekdayName() != "星期三" || d.IsWeekend() || !day(t, "2026-01-03").IsWeekend() {
		t.Errorf("weekday of %s = %s", d, d.WeekdayName())
	}
	var back workcal.Date
	text, _ := d.MarshalText()
	if err := back.UnmarshalText(text); err != nil || back != d {
		t.Errorf("text round trip = %v %v", back, err)
	}
	if workcal.DateOf(at(t, "2025-12-31T16:00:00Z"), shanghai).String() != "2026-01-01" {
		t.Error("DateOf ignores the zone")
	}
}
