package workcal

import (
	"fmt"
	"strconv"
	"strings"
)

// Window is one stretch of business hours within a working day, in
// minutes after midnight; To is exclusive and may be 24:00.
type Window struct {
	From, To int
}

// BusinessHours are the windows of a working day that count towards
// working-hour limits, in order and not overlapping.
type BusinessHours []Window

// DefaultBusinessHoursSpec is the default business day: 09:00–12:00 and 13:30–18:00.
const DefaultBusinessHoursSpec = "09:00-12:00,13:30-18:00"

// DefaultBusinessHours returns 09:00–12:00 and 13:30–18:00.
func DefaultBusinessHours() BusinessHours {
	return BusinessHours{{9 * 60, 12 * 60}, {13*60 + 30, 18 * 60}}
}

// ParseBusinessHours reads windows written "HH:MM-HH:MM", separated by
// commas, in order and not overlapping, e.g. "09:00-12:00,13:30-18:00".
func ParseBusinessHours(spec string) (BusinessHours, error) {
	var out BusinessHours
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("%q is not a window written HH:MM-HH:MM", part)
		}
		f, err := parseClock(strings.TrimSpace(from))
		if err != nil {
			return nil, err
		}
		t, err := parseClock(strings.TrimSpace(to))
		if err != nil {
			return nil, err
		}
		if t <= f {
			return nil, fmt.Errorf("window %q ends before it starts", part)
		}
		if n := len(out); n > 0 && f < out[n-1].To {
			return nil, fmt.Errorf("window %q starts before the window before it ends", part)
		}
		out = append(out, Window{f, t})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no business hours given (for example %s)", DefaultBusinessHoursSpec)
	}
	return out, nil
}

// parseClock reads HH:MM from 00:00 to 24:00 as minutes after midnight.
func parseClock(s string) (int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, errH := strconv.Atoi(hh)
	m, errM := strconv.Atoi(mm)
	if !ok || errH != nil || errM != nil || len(hh) != 2 || len(mm) != 2 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day written HH:MM (00:00 to 24:00)", s)
	}
	return h*60 + m, nil
}

// String writes the windows as ParseBusinessHours reads them.
func (b BusinessHours) String() string {
	parts := make([]string, len(b))
	for i, w := range b {
		parts[i] = clock(w.From) + "-" + clock(w.To)
	}
	return strings.Join(parts, ",")
}

// Label writes the windows for people, e.g. "09:00–12:00、13:30–18:00".
func (b BusinessHours) Label() string {
	parts := make([]string, len(b))
	for i, w := range b {
		parts[i] = clock(w.From) + "–" + clock(w.To)
	}
	return strings.Join(parts, "、")
}

func clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }
