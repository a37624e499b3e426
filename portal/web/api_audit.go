package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// auditFilterFrom reads the audit filters. Dates are either a day
// (YYYY-MM-DD) in the district's zone — "from" starts at its midnight and
// "to" includes the whole day — or an RFC 3339 instant.
func auditFilterFrom(c *gin.Context, loc *time.Location) (portal.AuditFilter, adminPaging, error) {
	pg, err := readAdminPaging(c)
	if err != nil {
		return portal.AuditFilter{}, pg, err
	}
	f := portal.AuditFilter{
		ActorID:    strings.TrimSpace(c.Query("actor_id")),
		Action:     strings.TrimSpace(c.Query("action")),
		ObjectType: strings.TrimSpace(c.Query("object_type")),
		ObjectID:   strings.TrimSpace(c.Query("object_id")),
		Outcome:    strings.TrimSpace(c.Query("outcome")),
		Offset:     pg.offset(),
		Limit:      pg.PerPage,
	}
	bad := map[string]string{}
	if v := strings.TrimSpace(c.Query("from")); v != "" {
		t, _, ok := parseAuditTime(v, loc)
		if !ok {
			bad["from"] = "日期格式应为 YYYY-MM-DD 或 RFC 3339 时间"
		}
		f.From = t
	}
	if v := strings.TrimSpace(c.Query("to")); v != "" {
		t, day, ok := parseAuditTime(v, loc)
		if !ok {
			bad["to"] = "日期格式应为 YYYY-MM-DD 或 RFC 3339 时间"
		}
		if day {
			t = t.AddDate(0, 0, 1) // the whole day is included
		}
		f.To = t
	}
	if len(bad) > 0 {
		return f, pg, portal.Invalid("审计日志筛选条件有误", bad)
	}
	return f, pg, nil
}

// parseAuditTime reads a day in loc or an RFC 3339 instant; day reports
// which it was.
func parseAuditTime(v string, loc *time.Location) (t time.Time, day, ok bool) {
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t, true, true
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, false, true
	}
	return time.Time{}, false, false
}

// listAudit answers GET /api/v1/audit (admin), newest first.
func (s *Server) listAudit(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	f, pg, err := auditFilterFrom(c, s.opt.Location)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.opt.Admin.AuditLog.Find(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "page": pg.Page, "per_page": pg.PerPage})
}
