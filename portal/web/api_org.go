package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/search"
)

// listOrgUnits answers GET /api/v1/org-units: public, optionally by tier
// or by part of a name through the search index.
func (s *Server) listOrgUnits(c *gin.Context) {
	f := portal.OrgUnitFilter{}
	if t := c.Query("tier"); t != "" {
		tier := portal.Tier(t)
		if !tier.Valid() {
			s.fail(c, portal.Invalid("参数 tier 必须是 A、B 或 C", map[string]string{"tier": "无效的层级"}))
			return
		}
		f.Tier = &tier
	}
	if q := strings.TrimSpace(c.Query("q")); q != "" {
		if len([]rune(q)) > 50 {
			s.fail(c, portal.Invalid("查询词不能超过 50 个字", map[string]string{"q": "过长"}))
			return
		}
		res, err := s.opt.OrgIndex.Search(c, search.Query{Text: q, PerPage: 100})
		if err != nil {
			s.fail(c, portal.Internal(err))
			return
		}
		f.IDs = make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			f.IDs = append(f.IDs, h.ID)
		}
	}
	units, err := s.opt.Org.FindOrgUnits(c, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": units, "total": len(units)})
}

// getOrgUnit answers GET /api/v1/org-units/{id}: public.
func (s *Server) getOrgUnit(c *gin.Context) {
	d, err := s.opt.Admin.Org.FindUnit(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// createOrgUnit answers POST /api/v1/org-units (admin).
func (s *Server) createOrgUnit(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.OrgUnitInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.opt.Admin.Org.CreateUnit(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.indexOrgUnit(c, u)
	c.JSON(http.StatusCreated, u)
}

// updateOrgUnit answers PUT /api/v1/org-units/{id} (admin).
func (s *Server) updateOrgUnit(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.OrgUnitInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.opt.Admin.Org.UpdateUnit(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.indexOrgUnit(c, u)
	c.JSON(http.StatusOK, u)
}

// indexOrgUnit refreshes the unit's copy in the search index so that a
// renamed unit is found by its new name. The database already holds the
// change, so a failure is logged rather than reported: `huiqi reindex`
// rebuilds the index.
func (s *Server) indexOrgUnit(c *gin.Context, u *portal.OrgUnit) {
	if s.opt.OrgIndex == nil {
		return
	}
	if err := s.opt.OrgIndex.Upsert(c.Request.Context(), u.SearchDocument()); err != nil {
		s.logger(c).Error("index org unit", "unit", u.ID, "err", err)
	}
}
