package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// policyInput is the JSON an editor sends; dates may be YYYY-MM-DD (in the
// district zone; an end date means the end of that day) or RFC 3339.
type policyInput struct {
	Version    int               `json:"version"`
	Title      string            `json:"title"`
	DocNo      string            `json:"doc_no"`
	Issuer     string            `json:"issuer"`
	Level      policies.Level    `json:"level"`
	Category   policies.Category `json:"category"`
	Kind       policies.Kind     `json:"kind"`
	Summary    string            `json:"summary"`
	Body       string            `json:"body"`
	Benefit    string            `json:"benefit"`
	MaxAmount  float64           `json:"max_amount"`
	ApplyStart string            `json:"apply_start"`
	ApplyEnd   string            `json:"apply_end"`
	HowToApply string            `json:"how_to_apply"`
	Contact    string            `json:"contact"`
	Tags       []string          `json:"tags"`
	Industries []string          `json:"industries"`
	Regions    []string          `json:"regions"`
	Criteria   []policies.Clause `json:"criteria"`
	AutoGrant  bool              `json:"auto_grant"`
}

// policy converts the input, naming any date it cannot read.
func (in *policyInput) policy(loc *time.Location) (*policies.Policy, error) {
	p := &policies.Policy{
		Title: in.Title, DocNo: in.DocNo, Issuer: in.Issuer, Level: in.Level, Category: in.Category, Kind: in.Kind,
		Summary: in.Summary, Body: in.Body, Benefit: in.Benefit, MaxAmount: in.MaxAmount, HowToApply: in.HowToApply,
		Contact: in.Contact, Tags: in.Tags, Industries: in.Industries, Regions: in.Regions, Criteria: in.Criteria,
		AutoGrant: in.AutoGrant,
	}
	fields := map[string]string{}
	var err error
	if p.ApplyStart, err = parseDate(in.ApplyStart, loc, false); err != nil {
		fields["apply_start"] = err.Error()
	}
	if p.ApplyEnd, err = parseDate(in.ApplyEnd, loc, true); err != nil {
		fields["apply_end"] = err.Error()
	}
	if len(fields) > 0 {
		return nil, portal.Invalid("日期格式错误", fields)
	}
	return p, nil
}

// parseDate reads YYYY-MM-DD in the district zone or an RFC 3339 instant;
// an end date given as a day means the end of that day.
func parseDate(s string, loc *time.Location, endOfDay bool) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		t = t.UTC()
		return &t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, errDate
	}
	t = t.UTC()
	return &t, nil
}

var errDate = dateError("应为 YYYY-MM-DD 或 RFC 3339 时间，例如 2026-12-31")

type dateError string

func (e dateError) Error() string { return string(e) }

func (s *Server) policyRoutes(api *gin.RouterGroup) {
	api.GET("/policies/search", s.apiSearchPolicies)
	api.POST("/policies", s.apiCreatePolicy)
	api.GET("/policies/:id", s.apiGetPolicy)
	api.PUT("/policies/:id", s.apiUpdatePolicy)
	api.POST("/policies/:id/publish", s.apiPolicyTransition((*policies.Service).Publish))
	api.POST("/policies/:id/revoke", s.apiPolicyTransition((*policies.Service).Revoke))
	api.GET("/policies/:id/versions", s.apiPolicyVersions)
}

func (s *Server) apiCreatePolicy(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in policyInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	p, err := in.policy(s.opt.Location)
	if err == nil {
		p, err = s.opt.Policies.Create(c.Request.Context(), p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, p)
}

func (s *Server) apiUpdatePolicy(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in policyInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	p, err := in.policy(s.opt.Location)
	if err == nil {
		p, err = s.opt.Policies.Update(c.Request.Context(), c.Param("id"), in.Version, p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) apiGetPolicy(c *gin.Context) {
	p, err := s.opt.Policies.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) apiPolicyTransition(do func(*policies.Service, context.Context, string) (*policies.Policy, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.actor(c) == nil {
			return
		}
		p, err := do(s.opt.Policies, c.Request.Context(), c.Param("id"))
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, p)
	}
}

func (s *Server) apiPolicyVersions(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	vs, err := s.opt.Policies.History(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": vs, "total": len(vs)})
}

// searchParams reads the catalogue query string, naming a bad number.
func searchParams(c *gin.Context) (policies.SearchParams, error) {
	p := policies.SearchParams{
		Q: c.Query("q"), Category: c.Query("category"), Level: c.Query("level"), Industry: c.Query("industry"),
		Region: c.Query("region"), Sort: c.Query("sort"),
	}
	fields := map[string]string{}
	for name, dst := range map[string]*int{"page": &p.Page, "per_page": &p.PerPage} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fields[name] = "应为整数"
			}
			*dst = n
		}
	}
	switch c.Query("open") {
	case "", "false", "0":
	case "true", "1":
		p.Open = true
	default:
		fields["open"] = "应为 true 或 false"
	}
	if len(fields) > 0 {
		return p, portal.Invalid("搜索参数有误", fields)
	}
	return p, nil
}

func (s *Server) apiSearchPolicies(c *gin.Context) {
	p, err := searchParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.opt.Policies.Search(c.Request.Context(), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
