package workcal

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Source says where a year's days off and make-up days come from.
type Source string

// The sources of a year.
const (
	SourceBuiltin Source = "builtin" // shipped from the holiday library
	SourceEdited  Source = "edited"  // imported or edited by an admin
	SourceNone    Source = "none"    // no data: weekends only
)

// Year is one year's statutory days off and make-up working days.
type Year struct {
	Year int
	// Off are the statutory days off (法定节假日), including the weekend
	// days inside a holiday run.
	Off []Date
	// On are the make-up working days (调休上班), always Saturdays or Sundays.
	On []Date
	// Names gives the holiday a listed day belongs to, where known.
	Names   map[Date]string
	Source  Source
	Version int // the admin edit this is (1, 2, …); 0 for builtin data
}

// Tag identifies the content of the year in version strings:
// "2026:builtin", "2027:v3" or "2028:weekends-only".
func (y Year) Tag() string {
	switch y.Source {
	case SourceBuiltin:
		return strconv.Itoa(y.Year) + ":builtin"
	case SourceEdited:
		return strconv.Itoa(y.Year) + ":v" + strconv.Itoa(y.Version)
	default:
		return strconv.Itoa(y.Year) + ":weekends-only"
	}
}

func (y Year) clone() Year {
	y.Off, y.On, y.Names = slices.Clone(y.Off), slices.Clone(y.On), maps.Clone(y.Names)
	return y
}

// Unit is the unit of a time limit.
type Unit string

// The units of time limits.
const (
	WorkingDays  Unit = "working_days"  // N 个工作日
	Hours        Unit = "hours"         // N 小时（自然时间）
	WorkingHours Unit = "working_hours" // N 个工作小时
)

// UnitNames are the Chinese names of the units.
var UnitNames = map[Unit]string{WorkingDays: "个工作日", Hours: "小时", WorkingHours: "个工作小时"}

// MaxAmount bounds the amount of a time limit (ten years of days).
const MaxAmount = 3650

// The years a deadline may start in. Arithmetic may run past MaxYear.
const (
	MinYear = 2000
	MaxYear = 2099
)

// NaturalVersion is the version of natural-hour deadlines, which do not
// consult the calendar.
const NaturalVersion = "natural"

// FieldError is bad input to a computation, naming the input.
type FieldError struct {
	Field   string // start, amount or unit
	Message string // in Chinese, for people
}

// Error implements the error interface.
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Calendar is an immutable snapshot of the working calendar in one zone
// with one set of business hours; it is safe for concurrent use.
type Calendar struct {
	loc   *time.Location
	hours BusinessHours
	years map[int]Year
	// kind holds every listed day: true for a make-up working day, false
	// for a statutory day off. Unlisted days follow the weekend rule.
	kind map[Date]bool
}

// New builds a calendar. Later entries for the same year replace earlier
// ones, so an admin's edits can follow Builtin(). A nil loc is the
// default zone and empty hours the default business hours.
func New(loc *time.Location, hours BusinessHours, years []Year) (*Calendar, error) {
	if loc == nil {
		loc = DefaultLocation()
	}
	if len(hours) == 0 {
		hours = DefaultBusinessHours()
	}
	if _, err := ParseBusinessHours(hours.String()); err != nil {
		return nil, fmt.Errorf("business hours: %w", err)
	}
	c := &Calendar{loc: loc, hours: slices.Clone(hours), years: map[int]Year{}, kind: map[Date]bool{}}
	for _, y := range years {
		c.years[y.Year] = y.clone()
	}
	for _, y := range c.years {
		for _, l := range []struct {
			days []Date
			on   bool
		}{{y.Off, false}, {y.On, true}} {
			for _, d := range l.days {
				if d.Year != y.Year {
					return nil, fmt.Errorf("year %d lists %s, a day of another year", y.Year, d)
				}
				if prev, dup := c.kind[d]; dup && prev != l.on {
					return nil, fmt.Errorf("year %d lists %s both as a day off and as a make-up working day", y.Year, d)
				}
				c.kind[d] = l.on
			}
		}
	}
	return c, nil
}

// Location returns the district's zone the calendar computes in.
func (c *Calendar) Location() *time.Location { return c.loc }

// BusinessHours returns the business hours of a working day.
func (c *Calendar) BusinessHours() BusinessHours { return slices.Clone(c.hours) }

// Year returns the data of year y; a year without data has SourceNone.
func (c *Calendar) Year(y int) Year {
	if yr, ok := c.years[y]; ok {
		return yr.clone()
	}
	return Year{Year: y, Source: SourceNone}
}

// Years returns the years with data, in order.
func (c *Calendar) Years() []int {
	return slices.Sorted(maps.Keys(c.years))
}

// Known reports whether year y has data (builtin or edited).
func (c *Calendar) Known(y int) bool {
	_, ok := c.years[y]
	return ok
}

// IsWorkingDay reports whether d is a working day: a make-up day, or a
// weekday that is not a statutory day off.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if on, listed := c.kind[d]; listed {
		return on
	}
	return !d.IsWeekend()
}

// Version returns the version string of a computation that looked at the
// days from first to last: the tags of their years, joined by commas.
func (c *Calendar) Version(first, last Date) string {
	if last.Before(first) {
		first, last = last, first
	}
	tags := make([]string, 0, last.Year-first.Year+1)
	for y := first.Year; y <= last.Year; y++ {
		tags = append(tags, c.Year(y).Tag())
	}
	return strings.Join(tags, ",")
}

// MissingYears returns the years from first to last that have no data
// and were computed with weekends only.
func (c *Calendar) MissingYears(first, last Date) []int {
	if last.Before(first) {
		first, last = last, first
	}
	var out []int
	for y := first.Year; y <= last.Year; y++ {
		if !c.Known(y) {
			out = append(out, y)
		}
	}
	return out
}

// Deadline returns when a time limit of amount units started at start
// ends, in the district's zone, and the calendar version it used. The
// end is exclusive: overdue when now >= due (see Overdue).
func (c *Calendar) Deadline(start time.Time, amount int, unit Unit) (time.Time, string, error) {
	if err := checkStart(start, c.loc); err != nil {
		return time.Time{}, "", err
	}
	if amount < 1 || amount > MaxAmount {
		return time.Time{}, "", &FieldError{"amount", fmt.Sprintf("时限数量必须是 1–%d 的整数", MaxAmount)}
	}
	switch unit {
	case WorkingDays:
		return c.AddWorkingDays(start, amount)
	case Hours:
		return start.In(c.loc).Add(time.Duration(amount) * time.Hour), NaturalVersion, nil
	case WorkingHours:
		return c.AddWorkingTime(start, time.Duration(amount)*time.Hour)
	default:
		return time.Time{}, "", &FieldError{"unit", "时限单位必须是 working_days（工作日）、hours（小时）或 working_hours（工作小时）"}
	}
}

func checkStart(start time.Time, loc *time.Location) error {
	if y := start.In(loc).Year(); start.IsZero() || y < MinYear || y > MaxYear {
		return &FieldError{"start", fmt.Sprintf("起算时间必须在 %d–%d 年之间", MinYear, MaxYear)}
	}
	return nil
}

// AddWorkingDays returns the end of the nth working day after the day
// start falls on (the start day itself never counts, even when it is a
// working day): 00:00 of the calendar day after it, in the district's zone.
func (c *Calendar) AddWorkingDays(start time.Time, n int) (time.Time, string, error) {
	if err := checkStart(start, c.loc); err != nil {
		return time.Time{}, "", err
	}
	if n < 1 || n > MaxAmount {
		return time.Time{}, "", &FieldError{"amount", fmt.Sprintf("工作日数必须是 1–%d 的整数", MaxAmount)}
	}
	first := DateOf(start, c.loc)
	d := first
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			counted++
		}
	}
	return d.AddDays(1).In(c.loc, 0), c.Version(first, d), nil
}

// errNoBusinessTime stops a walk that finds no business hours at all,
// which only a year edited to be entirely days off can cause.
var errNoBusinessTime = errors.New("no working day found within ten years")

// AddWorkingTime returns the instant d of business time after start:
// only business hours of working days count, and a start outside them
// begins counting at the next business hour. d <= 0 returns start.
func (c *Calendar) AddWorkingTime(start time.Time, d time.Duration) (time.Time, string, error) {
	if err := checkStart(start, c.loc); err != nil {
		return time.Time{}, "", err
	}
	t := start.In(c.loc)
	first := DateOf(t, c.loc)
	if d <= 0 {
		return t, c.Version(first, first), nil
	}
	day := first
	for i := 0; i < 366*10; i++ {
		if c.IsWorkingDay(day) {
			for _, w := range c.hours {
				ws, we := day.In(c.loc, w.From), day.In(c.loc, w.To)
				if !t.Before(we) {
					continue
				}
				s := t
				if s.Before(ws) {
					s = ws
				}
				avail := we.Sub(s)
				if d <= avail {
					return s.Add(d), c.Version(first, day), nil
				}
				d -= avail
				t = we
			}
		}
		day = day.AddDays(1)
		t = day.In(c.loc, 0)
	}
	return time.Time{}, "", errNoBusinessTime
}

// WorkingDaysBetween counts the working days after from up to and
// including to; 0 when to is not after from.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !to.Before(d); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// WorkingTimeBetween returns how much business time lies between from and
// to (0 when to is not after from): what a paused working-hour limit had
// used, so that the rest can be added from the resume with AddWorkingTime.
func (c *Calendar) WorkingTimeBetween(from, to time.Time) time.Duration {
	if !from.Before(to) {
		return 0
	}
	var sum time.Duration
	for day, last := DateOf(from, c.loc), DateOf(to, c.loc); !last.Before(day); day = day.AddDays(1) {
		if !c.IsWorkingDay(day) {
			continue
		}
		for _, w := range c.hours {
			ws, we := day.In(c.loc, w.From), day.In(c.loc, w.To)
			if ws.Before(from) {
				ws = from
			}
			if we.After(to) {
				we = to
			}
			if ws.Before(we) {
				sum += we.Sub(ws)
			}
		}
	}
	return sum
}

// Overdue reports whether a deadline has passed: the end is exclusive,
// so a request is overdue from the due instant on.
func Overdue(now, due time.Time) bool { return !now.Before(due) }

// AtFraction returns the instant at fraction f (0 to 1) of the natural
// time from start to due, e.g. 0.75 for the warning before a deadline.
// f is clamped to [0, 1]; NaN is taken as 0.
func AtFraction(start, due time.Time, f float64) time.Time {
	switch {
	case math.IsNaN(f) || f <= 0:
		return start
	case f >= 1:
		return due
	}
	return start.Add(time.Duration(math.Round(float64(due.Sub(start)) * f)))
}
