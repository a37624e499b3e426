package workcal

import (
	"fmt"
	"time"

	// The district's zone must load on hosts without a zoneinfo database
	// (slim containers); embedding it costs about 450 KB.
	_ "time/tzdata"
)

// DefaultZone is the district's time zone unless configured otherwise.
const DefaultZone = "Asia/Shanghai"

// DefaultLocation returns the district's default zone, Asia/Shanghai.
func DefaultLocation() *time.Location {
	loc, err := time.LoadLocation(DefaultZone)
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// Date is a calendar day, without a time of day or a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the day y-m-d, normalised as time.Date does (Feb 30 is Mar 2).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// DateOf returns the day instant t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	t = t.In(loc)
	return Date{t.Year(), t.Month(), t.Day()}
}

// ParseDate reads a day written YYYY-MM-DD; a day that does not exist
// (2026-02-30) is refused rather than normalised.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String writes the day as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalText writes the day as YYYY-MM-DD (for JSON and map keys).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a day written YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns the day n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// IsWeekend reports whether the day is a Saturday or a Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(d.Year - o.Year)
	case d.Month != o.Month:
		return sign(int(d.Month) - int(o.Month))
	default:
		return sign(d.Day - o.Day)
	}
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// In returns the instant the day starts in loc, plus minutes.
func (d Date) In(loc *time.Location, minutes int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, minutes/60, minutes%60, 0, 0, loc)
}

// WeekdayName is the Chinese name of the day of the week (星期一 …).
func (d Date) WeekdayName() string { return weekdayNames[d.Weekday()] }

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
