package portal

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/huiqi/huiqi/portal/workcal"
)

// CalendarYear is one year of the working calendar: its statutory days off
// and make-up working days, where they come from ("builtin" from the
// holiday library, "edited" by an admin, or "none": weekends only) and,
// for edited years, the edit's version and author.
type CalendarYear struct {
	Year    int               `json:"year" bson:"_id"`
	DaysOff []string          `json:"days_off" bson:"days_off"`
	DaysOn  []string          `json:"days_on" bson:"days_on"`
	Names   map[string]string `json:"names,omitempty" bson:"names,omitempty"`
	// Version counts the admin edits of the year: 0 for builtin data and
	// years without data, 1 after the first edit. A save names the version
	// it was based on.
	Version int    `json:"version" bson:"version"`
	Source  string `json:"source" bson:"-"`
	// CalendarVersion is the year's tag in deadline version strings.
	CalendarVersion string    `json:"calendar_version" bson:"-"`
	UpdatedBy       string    `json:"updated_by,omitempty" bson:"updated_by,omitempty"`
	UpdatedByName   string    `json:"updated_by_name,omitempty" bson:"updated_by_name,omitempty"`
	UpdatedAt       time.Time `json:"updated_at,omitzero" bson:"updated_at"`
}

// CalendarDay is one listed day of a year, for lists and previews.
type CalendarDay struct {
	Date    string `json:"date"`
	Weekday string `json:"weekday"`
	Off     bool   `json:"off"` // a day off; false for a make-up working day
	Name    string `json:"name,omitempty"`
}

// Days returns the year's listed days in date order.
func (y *CalendarYear) Days() []CalendarDay {
	out := make([]CalendarDay, 0, len(y.DaysOff)+len(y.DaysOn))
	for _, l := range []struct {
		days []string
		off  bool
	}{{y.DaysOff, true}, {y.DaysOn, false}} {
		for _, s := range l.days {
			d := CalendarDay{Date: s, Off: l.off, Name: y.Names[s]}
			if v, err := workcal.ParseDate(s); err == nil {
				d.Weekday = v.WeekdayName()
			}
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b CalendarDay) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// Text writes the year in the import format, one day a line, so that an
// admin can start an edit from what is in force.
func (y *CalendarYear) Text() string {
	var b strings.Builder
	for _, d := range y.Days() {
		mark := "班"
		if d.Off {
			mark = "休"
		}
		b.WriteString(d.Date + " " + mark)
		if d.Name != "" {
			b.WriteString(" " + d.Name)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// CalendarStore keeps the years admins have edited. SaveCalendarYear
// writes y only over version y.Version-1 (none stored for version 1) and
// answers ECONFLICT otherwise, so that of two admins saving the same year
// at once exactly one wins.
type CalendarStore interface {
	FindCalendarYears(ctx context.Context) ([]*CalendarYear, error)
	SaveCalendarYear(ctx context.Context, y *CalendarYear) error
}

// CalendarYearInput is a year's new days off and make-up days, based on
// version Version of the year (0 for builtin data or none).
type CalendarYearInput struct {
	DaysOff []string          `json:"days_off"`
	DaysOn  []string          `json:"days_on"`
	Names   map[string]string `json:"names,omitempty"`
	Version int               `json:"version"`
}

// DeadlineQuery asks when a time limit ends, with each value as written by
// the caller: Start is RFC 3339 (an instant without an offset, or a bare
// date, is taken in the district's zone), Amount a whole number, Unit
// working_days, hours or working_hours.
type DeadlineQuery struct {
	Start, Amount, Unit string
}

// DeadlinePreview is when a time limit ends and the calendar version used.
type DeadlinePreview struct {
	Start           time.Time    `json:"start"`
	Amount          int          `json:"amount"`
	Unit            workcal.Unit `json:"unit"`
	Due             time.Time    `json:"due"`
	CalendarVersion string       `json:"calendar_version"`
	// Warnings name the years the limit ran through without data.
	Warnings []string `json:"warnings,omitempty"`
}

// CalendarEditor is what the admin calendar page shows for one year.
type CalendarEditor struct {
	*CalendarYear
	Years         []int  // years with data, for the year picker
	Zone          string // the district's zone
	BusinessHours string // e.g. 09:00–12:00、13:30–18:00
}

// CalendarLineError is a problem with one line of an imported text.
type CalendarLineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// CalendarImport is the result of reading a year's text: the days it
// lists, how they differ from the year in force, the bad lines, and the
// saved year once saved.
type CalendarImport struct {
	Year       int
	Version    int // the version the import is based on
	Days       []CalendarDay
	Added      []CalendarDay // listed now, not before (or listed with the other kind)
	Removed    []CalendarDay // listed before, not now
	LineErrors []CalendarLineError
	Saved      *CalendarYear
}

// DefaultCalendarCacheFor is how long a loaded calendar is used before the
// store is read again, so that other processes pick up an admin's edit.
const DefaultCalendarCacheFor = time.Minute

// CalendarService runs the working calendar: any signed-in user may read a
// year and preview deadlines; admins import and edit years, which replace
// the shipped data of that year. Deadline computations elsewhere (SLA
// legs) take an immutable snapshot from Current.
type CalendarService struct {
	Store         CalendarStore
	Audit         *Auditor
	Now           func() time.Time
	Zone          *time.Location        // nil: Asia/Shanghai
	BusinessHours workcal.BusinessHours // empty: 09:00–12:00 and 13:30–18:00
	// CacheFor bounds how long a loaded calendar is used; 0 is
	// DefaultCalendarCacheFor, negative reads the store every time.
	CacheFor time.Duration

	mu   sync.Mutex
	snap *calendarSnapshot
}

// calendarSnapshot is a loaded calendar with the edited years it holds.
type calendarSnapshot struct {
	cal    *workcal.Calendar
	edited map[int]*CalendarYear
	at     time.Time
}

func (s *CalendarService) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *CalendarService) zone() *time.Location {
	if s.Zone == nil {
		return workcal.DefaultLocation()
	}
	return s.Zone
}

// Current returns the calendar in force: the shipped years with the
// admins' edits over them. It needs no actor: jobs compute deadlines too.
func (s *CalendarService) Current(ctx context.Context) (*workcal.Calendar, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.cal, nil
}

func (s *CalendarService) snapshot(ctx context.Context) (*calendarSnapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ttl := s.CacheFor
	if ttl == 0 {
		ttl = DefaultCalendarCacheFor
	}
	now := s.now()
	if s.snap != nil && ttl > 0 && now.Sub(s.snap.at) < ttl && !now.Before(s.snap.at) {
		return s.snap, nil
	}
	stored, err := s.Store.FindCalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	years := workcal.Builtin()
	edited := map[int]*CalendarYear{}
	for _, y := range stored {
		wy, err := toWorkcalYear(y)
		if err != nil {
			return nil, Internal(fmt.Errorf("stored calendar year %d: %w", y.Year, err))
		}
		years = append(years, wy)
		edited[y.Year] = y
	}
	cal, err := workcal.New(s.zone(), s.BusinessHours, years)
	if err != nil {
		return nil, Internal(fmt.Errorf("build calendar: %w", err))
	}
	s.snap = &calendarSnapshot{cal: cal, edited: edited, at: now}
	return s.snap, nil
}

// toWorkcalYear turns a stored year into the calendar's form.
func toWorkcalYear(y *CalendarYear) (workcal.Year, error) {
	out := workcal.Year{Year: y.Year, Source: workcal.SourceEdited, Version: y.Version, Names: map[workcal.Date]string{}}
	for _, l := range []struct {
		from []string
		to   *[]workcal.Date
	}{{y.DaysOff, &out.Off}, {y.DaysOn, &out.On}} {
		for _, s := range l.from {
			d, err := workcal.ParseDate(s)
			if err != nil {
				return out, err
			}
			*l.to = append(*l.to, d)
			if n := y.Names[s]; n != "" {
				out.Names[d] = n
			}
		}
	}
	return out, nil
}

// yearView returns year y of snap as shown to people.
func yearView(snap *calendarSnapshot, y int) *CalendarYear {
	wy := snap.cal.Year(y)
	out := yearDoc(wy)
	out.Source, out.CalendarVersion = string(wy.Source), wy.Tag()
	if e, ok := snap.edited[y]; ok {
		out.Version, out.UpdatedBy, out.UpdatedByName, out.UpdatedAt = e.Version, e.UpdatedBy, e.UpdatedByName, e.UpdatedAt
	}
	return out
}

// yearDoc writes the days of wy as strings, in date order.
func yearDoc(wy workcal.Year) *CalendarYear {
	out := &CalendarYear{Year: wy.Year, DaysOff: []string{}, DaysOn: []string{}}
	for _, d := range wy.Off {
		out.DaysOff = append(out.DaysOff, d.String())
	}
	for _, d := range wy.On {
		out.DaysOn = append(out.DaysOn, d.String())
	}
	slices.Sort(out.DaysOff)
	slices.Sort(out.DaysOn)
	if len(wy.Names) > 0 {
		out.Names = map[string]string{}
		for d, n := range wy.Names {
			out.Names[d.String()] = n
		}
	}
	return out
}

func checkCalendarYear(y int) error {
	if y < workcal.MinYear || y > workcal.MaxYear {
		msg := fmt.Sprintf("年份必须是 %d–%d 之间的整数", workcal.MinYear, workcal.MaxYear)
		return Invalid(msg, map[string]string{"year": msg})
	}
	return nil
}

// Year returns year y of the calendar in force, for any signed-in user.
// A year without data answers with empty lists and source "none".
func (s *CalendarService) Year(ctx context.Context, y int) (*CalendarYear, error) {
	if err := denyVisitors(ctx); err != nil {
		return nil, err
	}
	if err := checkCalendarYear(y); err != nil {
		return nil, err
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return yearView(snap, y), nil
}

// Editor returns what the admin calendar page shows for year y (admins only).
func (s *CalendarService) Editor(ctx context.Context, y int) (*CalendarEditor, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "calendar.view", "calendar_year", strconv.Itoa(y)); err != nil {
		return nil, err
	}
	if err := checkCalendarYear(y); err != nil {
		return nil, err
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return &CalendarEditor{CalendarYear: yearView(snap, y), Years: snap.cal.Years(), Zone: s.zone().String(),
		BusinessHours: snap.cal.BusinessHours().Label()}, nil
}

// rfc3339SpaceOffset matches an RFC 3339 instant whose "+" before the
// offset became a space, as happens when "+08:00" is put in a query
// string without escaping it.
var rfc3339SpaceOffset = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)? \d{2}:\d{2}$`)

// parseStart reads the start of a deadline query in loc.
func parseStart(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if rfc3339SpaceOffset.MatchString(v) {
		v = v[:len(v)-6] + "+" + v[len(v)-5:]
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// PreviewDeadline answers when a time limit started at q.Start ends, for
// any signed-in user; every bad value is named.
func (s *CalendarService) PreviewDeadline(ctx context.Context, q DeadlineQuery) (*DeadlinePreview, error) {
	if err := denyVisitors(ctx); err != nil {
		return nil, err
	}
	loc := s.zone()
	bad := map[string]string{}
	p := &DeadlinePreview{Unit: workcal.Unit(strings.TrimSpace(q.Unit))}
	switch v := strings.TrimSpace(q.Start); {
	case v == "":
		bad["start"] = "请填写起算时间（RFC 3339 格式，如 2026-02-13T17:00:00+08:00）"
	default:
		t, ok := parseStart(v, loc)
		if y := t.In(loc).Year(); !ok {
			bad["start"] = "起算时间格式应为 RFC 3339，如 2026-02-13T17:00:00+08:00"
		} else if y < workcal.MinYear || y > workcal.MaxYear {
			bad["start"] = fmt.Sprintf("起算时间必须在 %d–%d 年之间", workcal.MinYear, workcal.MaxYear)
		}
		p.Start = t
	}
	switch v := strings.TrimSpace(q.Amount); {
	case v == "":
		bad["amount"] = "请填写时限数量"
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > workcal.MaxAmount {
			bad["amount"] = fmt.Sprintf("时限数量必须是 1–%d 的整数", workcal.MaxAmount)
		}
		p.Amount = n
	}
	if _, ok := workcal.UnitNames[p.Unit]; !ok {
		bad["unit"] = "时限单位必须是 working_days（工作日）、hours（小时）或 working_hours（工作小时）"
	}
	if len(bad) > 0 {
		return nil, Invalid("时限查询参数有误", bad)
	}
	cal, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	due, version, err := cal.Deadline(p.Start, p.Amount, p.Unit)
	var fe *workcal.FieldError
	switch {
	case errors.As(err, &fe):
		return nil, Invalid(fe.Message, map[string]string{fe.Field: fe.Message})
	case err != nil:
		return nil, Internal(err)
	}
	p.Start, p.Due, p.CalendarVersion = p.Start.In(loc), due, version
	if p.Unit != workcal.Hours {
		// The last day a working-day limit looks at is the one before its
		// exclusive end; a working-hour limit ends inside its last day.
		last := workcal.DateOf(due, loc)
		if p.Unit == workcal.WorkingDays {
			last = last.AddDays(-1)
		}
		for _, y := range cal.MissingYears(workcal.DateOf(p.Start, loc), last) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%d 年的节假日安排尚未导入，该年按周末休息计算，请管理员导入后再核对", y))
		}
	}
	return p, nil
}

// maxCalendarName bounds a holiday's name.
const maxCalendarName = 20

// calendarEntry is one day (or one line's range of days) as written.
type calendarEntry struct {
	date  workcal.Date
	raw   string
	on    bool
	name  string
	where string // where it was written, for messages: "第 3 项" or "第 3 行"
	key   string // the field problems are reported under
	line  int
}

// checkCalendarEntries checks the days of year y: in the year, each listed
// once, make-up days on weekends only. Problems are grouped by entry key.
func checkCalendarEntries(y int, entries []calendarEntry) (workcal.Year, map[string][]string) {
	out := workcal.Year{Year: y, Names: map[workcal.Date]string{}}
	problems := map[string][]string{}
	seen := map[workcal.Date]string{}
	for _, e := range entries {
		add := func(format string, args ...any) {
			problems[e.key] = append(problems[e.key], e.where+"："+fmt.Sprintf(format, args...))
		}
		switch {
		case e.date.Year != y:
			add("%s 不在 %d 年内", e.date, y)
		case seen[e.date] != "":
			add("%s 与%s重复", e.date, seen[e.date])
		case e.on && !e.date.IsWeekend():
			add("%s 是%s，本来就是工作日，不能列为调休上班日", e.date, e.date.WeekdayName())
		case utf8.RuneCountInString(e.name) > maxCalendarName:
			add("节日名称不能超过 %d 个字", maxCalendarName)
		default:
			seen[e.date] = e.where
			if e.on {
				out.On = append(out.On, e.date)
			} else {
				out.Off = append(out.Off, e.date)
			}
			if e.name != "" {
				out.Names[e.date] = e.name
			}
		}
	}
	return out, problems
}

// SaveYear replaces year y with in (admins only): every day must be in the
// year and listed once, make-up days must be Saturdays or Sundays, and
// in.Version must be the version in force, else ECONFLICT and nothing
// changes.
func (s *CalendarService) SaveYear(ctx context.Context, y int, in CalendarYearInput) (*CalendarYear, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "calendar.save", "calendar_year", strconv.Itoa(y)); err != nil {
		return nil, err
	}
	if err := checkCalendarYear(y); err != nil {
		return nil, err
	}
	bad := map[string]string{}
	var entries []calendarEntry
	for _, l := range []struct {
		key  string
		days []string
		on   bool
	}{{"days_off", in.DaysOff, false}, {"days_on", in.DaysOn, true}} {
		var parseErrs []string
		for i, raw := range l.days {
			where := fmt.Sprintf("%s第 %d 项", map[bool]string{false: "休息日", true: "调休上班日"}[l.on], i+1)
			d, err := workcal.ParseDate(strings.TrimSpace(raw))
			if err != nil {
				parseErrs = append(parseErrs, fmt.Sprintf("%s：“%s”不是 YYYY-MM-DD 格式的有效日期", where, raw))
				continue
			}
			entries = append(entries, calendarEntry{date: d, raw: raw, on: l.on, name: strings.TrimSpace(in.Names[raw]), where: where, key: l.key})
		}
		if len(parseErrs) > 0 {
			bad[l.key] = joinProblems(parseErrs)
		}
	}
	for day := range in.Names {
		if !slices.Contains(in.DaysOff, day) && !slices.Contains(in.DaysOn, day) {
			bad["names"] = fmt.Sprintf("名称所指的日期 %s 不在休息日或调休上班日中", day)
		}
	}
	if in.Version < 0 {
		bad["version"] = "版本号不能为负数"
	}
	wy, problems := checkCalendarEntries(y, entries)
	for key, p := range problems {
		if bad[key] == "" {
			bad[key] = joinProblems(p)
		}
	}
	if len(in.DaysOff) == 0 && bad["days_off"] == "" {
		bad["days_off"] = "至少列出一个法定节假日"
	}
	if len(bad) > 0 {
		return nil, Invalid(fmt.Sprintf("%d 年的工作日历有误", y), bad)
	}
	return s.save(ctx, wy, in.Version, "编辑")
}

// joinProblems writes up to five problems on one line.
func joinProblems(p []string) string {
	if len(p) > 5 {
		return strings.Join(p[:5], "；") + fmt.Sprintf("；另有 %d 处问题", len(p)-5)
	}
	return strings.Join(p, "；")
}

// save stores wy as the edit after version base and reloads the calendar.
func (s *CalendarService) save(ctx context.Context, wy workcal.Year, base int, how string) (*CalendarYear, error) {
	a := ActorFrom(ctx)
	doc := yearDoc(wy)
	doc.Version, doc.UpdatedBy, doc.UpdatedByName, doc.UpdatedAt = base+1, a.UserID, a.Name(), s.now().UTC()
	if err := s.Store.SaveCalendarYear(ctx, doc); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.snap = nil
	s.mu.Unlock()
	detail := fmt.Sprintf("%s：休息日 %d 天，调休上班日 %d 天，第 %d 版", how, len(doc.DaysOff), len(doc.DaysOn), doc.Version)
	if err := s.Audit.Record(ctx, "calendar.save", "calendar_year", strconv.Itoa(wy.Year), OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return yearView(snap, wy.Year), nil
}

// calendarRange is "2027-02-06~2027-02-12" (or 至, –, — between the days).
var calendarRange = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\s*[~～至–—]\s*(\d{4}-\d{2}-\d{2})$`)

// maxCalendarRange bounds the days one line may list.
const maxCalendarRange = 31

// calendarMarks maps the second column of an import line to "on" (a
// make-up working day) or not (a day off).
var calendarMarks = map[string]bool{"休": false, "休息": false, "放假": false, "off": false, "班": true, "上班": true, "on": true}

// ImportYear reads text, one day or range of days a line:
//
//	2027-01-01 休 元旦
//	2027-02-06~2027-02-12 休 春节
//	2027-02-13 班 春节
//
// ("off"/"on" work as 休/班; empty lines and lines starting with # are
// skipped). It answers the days read and how they differ from the year in
// force; with save it also stores them over version base. Bad lines are
// named by number and nothing is saved. Admins only.
func (s *CalendarService) ImportYear(ctx context.Context, y int, text string, base int, save bool) (*CalendarImport, error) {
	action := "calendar.preview"
	if save {
		action = "calendar.save"
	}
	if err := denyUnlessAdmin(ctx, s.Audit, action, "calendar_year", strconv.Itoa(y)); err != nil {
		return nil, err
	}
	if err := checkCalendarYear(y); err != nil {
		return nil, err
	}
	imp := &CalendarImport{Year: y, Version: base}
	entries, lineErrs := parseCalendarText(text)
	wy, problems := checkCalendarEntries(y, entries)
	for _, e := range entries {
		if p := problems[e.key]; len(p) > 0 {
			lineErrs = append(lineErrs, CalendarLineError{Line: e.line, Message: strings.Join(p, "；")})
			delete(problems, e.key)
		}
	}
	if len(lineErrs) == 0 && len(entries) == 0 {
		lineErrs = append(lineErrs, CalendarLineError{Line: 1, Message: "没有读到任何日期：每行写一个日期（或日期范围）和“休”或“班”"})
	}
	slices.SortStableFunc(lineErrs, func(a, b CalendarLineError) int { return a.Line - b.Line })
	imp.LineErrors = lineErrs
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	imp.Days = yearDoc(wy).Days()
	imp.Added, imp.Removed = diffDays(yearView(snap, y).Days(), imp.Days)
	if len(lineErrs) > 0 {
		fields := map[string]string{}
		for _, le := range lineErrs {
			k := "line_" + strconv.Itoa(le.Line)
			if fields[k] == "" {
				fields[k] = le.Message
			}
		}
		return imp, Invalid(fmt.Sprintf("导入内容有 %d 处错误，请改正后再预览", len(lineErrs)), fields)
	}
	if !save {
		return imp, nil
	}
	if base < 0 {
		return imp, Invalid("版本号不能为负数", map[string]string{"version": "版本号不能为负数"})
	}
	imp.Saved, err = s.save(ctx, wy, base, "导入")
	return imp, err
}

// parseCalendarText reads the lines of an import; each entry is keyed by
// its line so that problems found later are named by line too.
func parseCalendarText(text string) ([]calendarEntry, []CalendarLineError) {
	var entries []calendarEntry
	var errs []CalendarLineError
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, args ...any) {
			errs = append(errs, CalendarLineError{Line: n, Message: fmt.Sprintf("第 %d 行：", n) + fmt.Sprintf(format, args...)})
		}
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '，' || r == '　' })
		// A range written with spaces around its sign is one field again.
		if len(fields) >= 3 && strings.ContainsAny(fields[1], "~～至–—") && utf8.RuneCountInString(fields[1]) == 1 {
			fields = append([]string{fields[0] + fields[1] + fields[2]}, fields[3:]...)
		}
		if len(fields) < 2 {
			bad("“%s”缺少“休”或“班”：格式为“日期 休/班 [节日名称]”", line)
			continue
		}
		on, ok := calendarMarks[strings.ToLower(fields[1])]
		if !ok {
			bad("“%s”应为“休”或“班”（也可写 off 或 on）", fields[1])
			continue
		}
		name := strings.Join(fields[2:], " ")
		from, to := fields[0], fields[0]
		if m := calendarRange.FindStringSubmatch(fields[0]); m != nil {
			from, to = m[1], m[2]
		}
		d1, err1 := workcal.ParseDate(from)
		d2, err2 := workcal.ParseDate(to)
		switch {
		case err1 != nil || err2 != nil:
			bad("“%s”不是 YYYY-MM-DD 格式的有效日期或日期范围", fields[0])
			continue
		case d2.Before(d1):
			bad("日期范围 %s 的结束早于开始", fields[0])
			continue
		case d1.AddDays(maxCalendarRange - 1).Before(d2):
			bad("日期范围 %s 超过 %d 天", fields[0], maxCalendarRange)
			continue
		}
		for d := d1; !d2.Before(d); d = d.AddDays(1) {
			entries = append(entries, calendarEntry{date: d, raw: d.String(), on: on, name: name,
				where: fmt.Sprintf("第 %d 行", n), key: "line_" + strconv.Itoa(n), line: n})
		}
	}
	return entries, errs
}

// diffDays returns the days of next that before lacks (or lists as the
// other kind), and the days of before that next lacks.
func diffDays(before, next []CalendarDay) (added, removed []CalendarDay) {
	was := map[string]bool{}
	for _, d := range before {
		was[d.Date] = d.Off
	}
	is := map[string]bool{}
	for _, d := range next {
		is[d.Date] = d.Off
		if off, ok := was[d.Date]; !ok || off != d.Off {
			added = append(added, d)
		}
	}
	for _, d := range before {
		if _, ok := is[d.Date]; !ok {
			removed = append(removed, d)
		}
	}
	return added, removed
}
