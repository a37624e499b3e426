// Package workcal is the Chinese statutory working calendar of the district
// and the arithmetic of time limits on it.
//
// A Calendar knows, per year, the statutory days off (法定节假日) and the
// make-up working days (调休上班). Saturdays and Sundays are days off unless
// they are make-up days. The years shipped with the portal (2025 onwards, as
// far as github.com/6tail/lunar-go knows them) come from Builtin; an admin's
// edit of a year replaces it whole. A year nobody has imported yet is
// computed with weekends only, and says so in the version string.
//
// Three units of time limits exist, all computed in the district's zone
// whatever offset the start carries:
//
//   - WorkingDays: the start day is not counted; the deadline is the end of
//     the Nth working day after it, written as 00:00 of the next calendar
//     day. The end is exclusive: a request is overdue when now >= due.
//   - Hours: natural hours added to the start instant.
//   - WorkingHours: only business hours (default 09:00–12:00 and
//     13:30–18:00) on working days count.
//
// Every computation also returns the calendar version it used: the tags of
// the years it looked at, joined by commas, each "<year>:builtin" for the
// shipped data, "<year>:v<n>" for the nth admin edit, or
// "<year>:weekends-only" for a year without data. For example:
//
//	cal, _ := workcal.New(workcal.DefaultLocation(), workcal.DefaultBusinessHours(), workcal.Builtin())
//	due, version, _ := cal.Deadline(start, 3, workcal.WorkingDays)
//	// due = 2026-02-26T00:00:00+08:00, version = "2026:builtin" for a start on 2026-02-13
package workcal
