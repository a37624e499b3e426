package workcal

import (
	"sync"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// FirstBuiltinYear is the first year shipped from the holiday library:
// the portal has no deadlines before it, so older schedules are not loaded.
const FirstBuiltinYear = 2025

// Builtin returns the years the holiday library knows, from
// FirstBuiltinYear on (2025 and 2026 with lunar-go v1.4.6). A newer
// library version brings its new years in without any change here.
func Builtin() []Year {
	src := builtin()
	out := make([]Year, len(src))
	for i, y := range src {
		out[i] = y.clone()
	}
	return out
}

var builtin = sync.OnceValue(func() []Year {
	var out []Year
	for y := FirstBuiltinYear; ; y++ {
		l := HolidayUtil.GetHolidaysByYear(y)
		if l.Len() == 0 {
			return out
		}
		yr := Year{Year: y, Source: SourceBuiltin, Names: map[Date]string{}}
		for e := l.Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			d, err := ParseDate(h.GetDay())
			if err != nil || d.Year != y {
				// The library's table is fixed-width and well-formed; a
				// row that does not parse would be a library defect.
				panic("workcal: holiday library returned a bad day " + h.GetDay())
			}
			if h.IsWork() {
				yr.On = append(yr.On, d)
			} else {
				yr.Off = append(yr.Off, d)
			}
			yr.Names[d] = h.GetName()
		}
		out = append(out, yr)
	}
})
