package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// ---------- which enterprises qualify ----------

// policyMatchRow is one enterprise of a policy's match list.
type policyMatchRow struct {
	ID       string
	Name     string
	USCC     string
	Eligible bool
	Reasons  []string
}

// policyMatchesData is what policy_matches.html shows: the picker when
// Policy is nil, else one policy's enterprises.
type policyMatchesData struct {
	IsAdmin bool
	// The picker.
	Q     string
	Cards []policyCard
	Error string
	// One policy.
	Policy    *policies.Policy
	Published bool
	Rows      []policyMatchRow
	Eligible  int
	NearMiss  int
	// Paging of either.
	Total   int
	Page    int
	Pages   int
	PrevURL string
	NextURL string
}

// policyMatchPickerPage lets a liaison or an admin pick a published policy
// to see which enterprises qualify. It searches the catalogue as the
// public sees it: match lists are about published policies.
func (s *Server) policyMatchPickerPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	if !a.HasAny(portal.RoleLiaison, portal.RoleAdmin) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "只有专班联络员和系统管理员可以查看政策的匹配企业"))
		return
	}
	d := policyMatchesData{IsAdmin: a.IsAdmin(), Q: strings.TrimSpace(c.Query("q"))}
	p := policies.SearchParams{Q: d.Q, Open: true, Sort: "deadline", PerPage: adminPoliciesPerPage}
	if d.Q != "" {
		p.Sort = ""
	}
	page, _, err := pageParams(c)
	p.Page = page
	var res *policies.SearchResult
	if err == nil {
		res, err = s.opt.Policies.Search(portal.WithActor(c.Request.Context(), nil), p)
	}
	switch code := portal.ErrorCode(err); {
	case err == nil:
	case code == portal.EINVALID:
		d.Error = searchErrorText(err)
		s.render(c, http.StatusBadRequest, "policy_matches", "政策匹配", d)
		return
	default:
		s.fail(c, err)
		return
	}
	now := s.policyNow()
	for _, h := range res.Hits {
		d.Cards = append(d.Cards, s.cardOf(policies.PolicySummary{ID: h.ID, Title: h.Title, Issuer: h.Issuer, Level: h.Level,
			Category: h.Category, Kind: h.Kind, Summary: h.Summary, MaxAmount: h.MaxAmount, ApplyEnd: h.ApplyEnd, AutoGrant: h.AutoGrant}, h.Status, now))
	}
	d.Total, d.Page = res.Total, res.Page
	d.Pages = max(1, min((res.Total+adminPoliciesPerPage-1)/adminPoliciesPerPage, 1000))
	link := func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}}
		if d.Q != "" {
			v.Set("q", d.Q)
		}
		return "/admin/policies/matches?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = link(d.Page + 1)
	}
	s.render(c, http.StatusOK, "policy_matches", "政策匹配", d)
}

func (s *Server) policyMatchesPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	if s.opt.Matcher == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "政策匹配服务暂不可用"))
		return
	}
	ctx := c.Request.Context()
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.opt.Matcher.MatchesForPolicy(ctx, c.Param("id"), page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.opt.Policies.Get(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := policyMatchesData{IsAdmin: a.IsAdmin(), Policy: p, Published: p.Status == policies.StatusPublished,
		Eligible: res.Eligible, NearMiss: res.NearMiss, Total: res.Total, Page: res.Page}
	for _, m := range res.Items {
		d.Rows = append(d.Rows, policyMatchRow{ID: m.Enterprise.ID, Name: m.Enterprise.Name, USCC: m.Enterprise.USCC,
			Eligible: m.Status == policies.Eligible, Reasons: m.Reasons})
	}
	d.Pages = max(1, (res.Total+res.PerPage-1)/max(res.PerPage, 1))
	link := func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}}
		if perPage != 0 {
			v.Set("per_page", strconv.Itoa(perPage))
		}
		return "/admin/policies/" + p.ID + "/matches?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = link(d.Page + 1)
	}
	s.render(c, http.StatusOK, "policy_matches", "符合条件的企业："+p.Title, d)
}
