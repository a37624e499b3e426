package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// policyPageRoutes registers the catalogue pages: the public search and
// detail, an enterprise's own matches, the editors' list and form, and the
// match lists of liaisons and admins. The services decide who may do what.
func (s *Server) policyPageRoutes() {
	e := s.engine
	e.GET("/policies", s.policySearchPage)
	e.GET("/policies/for-me", s.policiesForMePage)
	e.GET("/policies/:id", s.policyPage)
	e.GET("/admin/policies", s.adminPoliciesPage)
	e.POST("/admin/policies", s.adminPolicyCreate)
	e.GET("/admin/policies/new", s.adminPolicyNewPage)
	e.POST("/admin/policies/preview", s.adminPolicyPreview)
	e.GET("/admin/policies/matches", s.policyMatchPickerPage)
	e.GET("/admin/policies/:id/edit", s.adminPolicyEditPage)
	e.POST("/admin/policies/:id", s.adminPolicyUpdate)
	e.POST("/admin/policies/:id/revoke", s.adminPolicyRevoke)
	e.GET("/admin/policies/:id/matches", s.policyMatchesPage)
}

// policySearchPerPage is how many cards a search page shows: a phone
// screen holds two or three, so ten keep the page short.
const policySearchPerPage = 10

// policyNow is the catalogue's clock.
func (s *Server) policyNow() time.Time {
	if s.opt.Policies != nil && s.opt.Policies.Now != nil {
		return s.opt.Policies.Now()
	}
	return time.Now()
}

// ---------- formatting shared by the policy pages ----------

// amountText writes a sum of yuan the way policies state them: in 万元,
// or 亿元 from one hundred million up; "" for no amount.
func amountText(yuan float64) string {
	switch {
	case yuan <= 0:
		return ""
	case yuan >= 1e8:
		return trimNumber(yuan/1e8) + " 亿元"
	default:
		return trimNumber(yuan/1e4) + " 万元"
	}
}

func trimNumber(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// chineseDate is a day as people write it: 2026年3月31日.
func (s *Server) chineseDate(t time.Time) string {
	return t.In(s.opt.Location).Format("2006年1月2日")
}

// lastDay is the last day of an application period: the end is the first
// instant applications are no longer taken.
func lastDay(end time.Time) time.Time { return end.Add(-time.Nanosecond) }

// civilDays counts the calendar days from a's day to b's day.
func civilDays(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// deadline describes an application end: its last day, how long is left
// and whether that is a week or less.
func (s *Server) deadline(end *time.Time, now time.Time) (day, hint string, urgent bool) {
	if end == nil {
		return "", "长期受理", false
	}
	last := lastDay(*end).In(s.opt.Location)
	day = last.Format("2006年1月2日")
	if !now.Before(*end) {
		return day, "已截止", false
	}
	switch n := civilDays(now.In(s.opt.Location), last); n {
	case 0:
		return day, "今天截止", true
	default:
		return day, fmt.Sprintf("还剩 %d 天", n), n <= 7
	}
}

// safeHighlight turns a search highlight into HTML that can hold nothing
// but <mark>: the index escapes the text already, and every piece between
// the marks is unescaped and escaped again so that no backend can slip
// markup through.
func safeHighlight(h string) template.HTML {
	var b strings.Builder
	for i, open := range strings.Split(h, "<mark>") {
		if i > 0 {
			b.WriteString("<mark>")
		}
		for j, part := range strings.Split(open, "</mark>") {
			if j > 0 {
				b.WriteString("</mark>")
			}
			b.WriteString(template.HTMLEscapeString(html.UnescapeString(part)))
		}
	}
	return template.HTML(b.String()) // #nosec G203 -- only <mark> survives, see above
}

// markdown renders policy bodies: GitHub-flavoured Markdown without raw
// HTML, then sanitised, so that a body can never carry script or handlers.
var (
	markdown  = goldmark.New(goldmark.WithExtensions(extension.GFM))
	sanitizer = bluemonday.UGCPolicy()
)

// renderMarkdown returns the safe HTML of a Markdown text.
func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>") // #nosec G203 -- escaped
	}
	return template.HTML(sanitizer.SanitizeBytes(buf.Bytes())) // #nosec G203 -- sanitised
}

// policyCard is one policy as a result card.
type policyCard struct {
	ID           string
	Title        string
	TitleHTML    template.HTML // the highlighted title, when the search has one
	Summary      string
	SummaryHTML  template.HTML
	Category     policies.Category
	CategoryName string
	LevelName    string
	Product      bool
	AutoGrant    bool
	Status       policies.Status
	StatusName   string
	ShowStatus   bool // editors see the status of what is not published
	Issuer       string
	Amount       string
	Deadline     string
	DeadlineHint string
	Urgent       bool
}

func (s *Server) cardOf(sum policies.PolicySummary, status policies.Status, now time.Time) policyCard {
	c := policyCard{ID: sum.ID, Title: sum.Title, Summary: sum.Summary, Category: sum.Category,
		CategoryName: policies.CategoryNames[sum.Category], LevelName: policies.LevelNames[sum.Level],
		Product: sum.Kind == policies.KindServiceProduct, AutoGrant: sum.AutoGrant, Status: status,
		StatusName: policies.StatusNames[status], ShowStatus: status != policies.StatusPublished,
		Issuer: sum.Issuer, Amount: amountText(sum.MaxAmount)}
	c.Deadline, c.DeadlineHint, c.Urgent = s.deadline(sum.ApplyEnd, now)
	return c
}

// summaryOf is the part of a policy a card shows.
func summaryOf(p *policies.Policy) policies.PolicySummary {
	return policies.PolicySummary{ID: p.ID, Title: p.Title, Issuer: p.Issuer, Level: p.Level, Category: p.Category,
		Kind: p.Kind, Summary: p.Summary, Benefit: p.Benefit, MaxAmount: p.MaxAmount, ApplyStart: p.ApplyStart,
		ApplyEnd: p.ApplyEnd, AutoGrant: p.AutoGrant}
}

// choice is one option of a select or one filter chip.
type choice struct {
	Value    string
	Label    string
	Count    int
	Selected bool
	URL      string
}

// ---------- /policies: search ----------

// policySearchData is what policies.html shows.
type policySearchData struct {
	Params     policies.SearchParams
	Error      string
	Errors     map[string]string
	Total      int
	Took       string
	Cards      []policyCard
	Categories []choice
	AllURL     string // the chips' "全部"
	Levels     []choice
	Sorts      []choice
	Page       int
	Pages      int
	PrevURL    string
	NextURL    string
	Filtered   bool   // a filter besides the text narrows the result
	ClearURL   string // the same words without filters
	Popular    []choice
}

// searchURL is the search page for p at page, keeping every parameter set.
func searchURL(p policies.SearchParams, page int) string {
	v := url.Values{}
	for k, x := range map[string]string{"q": strings.TrimSpace(p.Q), "category": p.Category, "level": p.Level,
		"industry": p.Industry, "region": p.Region, "sort": p.Sort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if p.Open {
		v.Set("open", "true")
	}
	if p.PerPage != 0 && p.PerPage != policySearchPerPage {
		v.Set("per_page", strconv.Itoa(p.PerPage))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/policies"
	}
	return "/policies?" + v.Encode()
}

// popularCategories are offered when a search finds nothing.
var popularCategories = []policies.Category{policies.CatTalentFunding, policies.CatRelending, policies.CatSmallMicro, policies.CatTechInnovation}

var policySorts = []choice{{Value: "", Label: "相关度"}, {Value: "newest", Label: "最新发布"}, {Value: "deadline", Label: "截止日期"}, {Value: "amount", Label: "金额最高"}}

var levelOrder = []policies.Level{policies.LevelNational, policies.LevelProvincial, policies.LevelMunicipal, policies.LevelDistrict}

func (s *Server) policySearchPage(c *gin.Context) {
	p, err := searchParams(c)
	if err == nil && p.PerPage == 0 {
		p.PerPage = policySearchPerPage
	}
	var res *policies.SearchResult
	if err == nil {
		res, err = s.opt.Policies.Search(c.Request.Context(), p)
	}
	d := policySearchData{Params: p, Popular: make([]choice, 0, len(popularCategories))}
	for _, cat := range popularCategories {
		d.Popular = append(d.Popular, choice{Label: policies.CategoryNames[cat],
			URL: searchURL(policies.SearchParams{Category: string(cat)}, 1)})
	}
	for _, o := range policySorts {
		o.Selected = o.Value == p.Sort || (o.Value == "" && p.Sort == "relevance")
		d.Sorts = append(d.Sorts, o)
	}
	status := http.StatusOK
	switch code := portal.ErrorCode(err); {
	case err == nil:
		s.fillSearch(&d, res)
	case code == portal.EINVALID:
		status, d.Error, d.Errors = http.StatusBadRequest, searchErrorText(err), portal.ErrorFields(err)
	default:
		s.fail(c, err)
		return
	}
	for _, lv := range levelOrder {
		o := choice{Value: string(lv), Label: policies.LevelNames[lv], Selected: string(lv) == p.Level}
		if res != nil {
			o.Count = res.Facets["level"][string(lv)]
		}
		d.Levels = append(d.Levels, o)
	}
	title := "政策查询"
	if q := strings.TrimSpace(p.Q); q != "" && err == nil {
		title = q + " - 政策查询"
	}
	s.render(c, status, "policies", title, d)
}

// searchErrorText is the invalid-parameter message with each field's own.
func searchErrorText(err error) string {
	msg := portal.ErrorMessage(err)
	fields := portal.ErrorFields(err)
	names := map[string]string{"q": "搜索词", "category": "类别", "level": "层级", "industry": "行业", "region": "区域",
		"sort": "排序", "page": "页码", "per_page": "每页条数", "open": "申报状态"}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, cmpOr(names[k], k)+"："+fields[k])
	}
	if len(parts) == 0 {
		return msg
	}
	return msg + "（" + strings.Join(parts, "；") + "）"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fillSearch lays out a search result: cards, facet chips and paging.
func (s *Server) fillSearch(d *policySearchData, res *policies.SearchResult) {
	p, now := d.Params, s.policyNow()
	d.Total, d.Page = res.Total, res.Page
	d.Took = strconv.FormatFloat(math.Round(res.TookMS*10)/10, 'f', -1, 64)
	for _, h := range res.Hits {
		card := s.cardOf(policies.PolicySummary{ID: h.ID, Title: h.Title, Issuer: h.Issuer, Level: h.Level, Category: h.Category,
			Kind: h.Kind, Summary: h.Summary, MaxAmount: h.MaxAmount, ApplyEnd: h.ApplyEnd, AutoGrant: h.AutoGrant}, h.Status, now)
		// A highlight is a snippet: it replaces the text only where it
		// marks something, else the whole text reads better.
		if t := h.Highlight["title"]; strings.Contains(t, "<mark>") {
			card.TitleHTML = safeHighlight(t)
		}
		if t := h.Highlight["summary"]; strings.Contains(t, "<mark>") {
			card.SummaryHTML = safeHighlight(t)
		}
		d.Cards = append(d.Cards, card)
	}
	all := p
	all.Category, all.Page = "", 0
	d.AllURL = searchURL(all, 1)
	for _, cat := range policies.CategoryOrder {
		n := res.Facets["category"][string(cat)]
		selected := string(cat) == p.Category
		if n == 0 && !selected {
			continue
		}
		pick := p
		pick.Category, pick.Page = string(cat), 0
		d.Categories = append(d.Categories, choice{Value: string(cat), Label: policies.CategoryNames[cat], Count: n,
			Selected: selected, URL: searchURL(pick, 1)})
	}
	perPage := max(res.PerPage, 1)
	d.Pages = max(1, min((res.Total+perPage-1)/perPage, 1000))
	if d.Page > 1 {
		d.PrevURL = searchURL(p, d.Page-1)
	}
	if d.Page < d.Pages {
		d.NextURL = searchURL(p, d.Page+1)
	}
	d.Filtered = p.Category != "" || p.Level != "" || p.Open || p.Industry != "" || p.Region != ""
	d.ClearURL = searchURL(policies.SearchParams{Q: p.Q, Sort: p.Sort}, 1)
}

// ---------- /policies/{id}: detail ----------

// eligibilityBox is how the signed-in enterprise stands against a policy.
type eligibilityBox struct {
	Enterprise *portal.Enterprise
	Status     policies.MatchStatus
	Headline   string
	Passed     []string
	Failed     []string
	Missing    []string
	NoCriteria bool
}

// policyDetailData is what policy.html shows.
type policyDetailData struct {
	P            *policies.Policy
	CategoryName string
	LevelName    string
	KindName     string
	StatusName   string
	Start        string
	End          string
	DeadlineHint string
	Urgent       bool
	Expired      bool // ended or marked expired
	NotYetOpen   bool
	Revoked      bool
	Amount       string
	Body         template.HTML
	Conditions   []string
	Eligibility  *eligibilityBox
	LoginURL     string // offered to visitors to see whether they qualify
	CanEdit      bool
	CanMatch     bool // liaisons and admins see which enterprises qualify
	Updated      time.Time
}

var matchHeadlines = map[policies.MatchStatus]string{
	policies.Eligible:   "符合条件：贵企业满足本政策的全部条件",
	policies.NearMiss:   "差一点：贵企业还差一个条件",
	policies.NeedsInfo:  "需补充信息：企业档案缺少判断所需的信息",
	policies.Ineligible: "暂不符合：贵企业有两个或以上条件不满足",
}

func (s *Server) policyPage(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.opt.Policies.Get(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	a, now := portal.ActorFrom(ctx), s.policyNow()
	d := policyDetailData{P: p, CategoryName: policies.CategoryNames[p.Category], LevelName: policies.LevelNames[p.Level],
		KindName: policies.KindNames[p.Kind], StatusName: policies.StatusNames[p.Status], Amount: amountText(p.MaxAmount),
		Body: renderMarkdown(p.Body), CanEdit: policies.CanEdit(ctx), Updated: p.UpdatedAt,
		CanMatch: p.Status == policies.StatusPublished && a.HasAny(portal.RoleLiaison, portal.RoleAdmin) && s.opt.Matcher != nil,
		Revoked:  p.Status == policies.StatusRevoked}
	if p.ApplyStart != nil {
		d.Start = s.chineseDate(*p.ApplyStart)
		d.NotYetOpen = now.Before(*p.ApplyStart)
	}
	d.End, d.DeadlineHint, d.Urgent = s.deadline(p.ApplyEnd, now)
	d.Expired = p.Status == policies.StatusExpired || (p.ApplyEnd != nil && !now.Before(*p.ApplyEnd))
	names, err := s.unitNames(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Conditions = policyConditions(p, names)
	switch {
	case a == nil:
		d.LoginURL = "/login?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	case a.Has(portal.RoleEnterprise) && a.EnterpriseID != "" && s.opt.Enterprises != nil:
		e, err := s.opt.Enterprises.Get(ctx, a.EnterpriseID)
		switch {
		case err == nil:
			m := policies.MatchEnterprise(p, e, now)
			d.Eligibility = &eligibilityBox{Enterprise: e, Status: m.Status, Headline: matchHeadlines[m.Status],
				Passed: m.Passed, Failed: m.Failed, Missing: m.Missing,
				NoCriteria: len(p.Criteria) == 0 && len(p.Industries) == 0 && len(p.Regions) == 0}
		case portal.ErrorCode(err) != portal.ENOTFOUND:
			s.fail(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "policy", p.Title, d)
}

// unitNames names the org units, for regions.
func (s *Server) unitNames(c *gin.Context) (map[string]string, error) {
	names := map[string]string{}
	if s.opt.Org == nil {
		return names, nil
	}
	units, err := s.opt.Org.FindOrgUnits(c.Request.Context(), portal.OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return names, nil
}

// industryName names a GB/T 4754 section or division code.
func industryName(code string) string {
	if sec, ok := portal.IndustrySection(code); ok {
		return sec.Name
	}
	if _, name, ok := portal.DivisionSection(code); ok {
		return name
	}
	return code
}

// policyConditions are a policy's conditions as people read them.
func policyConditions(p *policies.Policy, units map[string]string) []string {
	var out []string
	if len(p.Industries) > 0 {
		names := make([]string, len(p.Industries))
		for i, in := range p.Industries {
			names[i] = industryName(in)
		}
		out = append(out, "适用行业："+strings.Join(names, "、"))
	}
	if len(p.Regions) > 0 {
		names := make([]string, len(p.Regions))
		for i, r := range p.Regions {
			names[i] = cmpOr(units[r], r)
		}
		out = append(out, "适用区域："+strings.Join(names, "、"))
	}
	for _, cl := range p.Criteria {
		out = append(out, describeClause(cl, units))
	}
	return out
}

// ---------- /policies/for-me ----------

// forMeItem is one policy of an enterprise's matches, with its reasons.
type forMeItem struct {
	Card    policyCard
	Reasons []string
	Passed  []string
}

// forMeGroup is one of 符合条件 / 差一点 / 需补充信息.
type forMeGroup struct {
	Key   string
	Title string
	Hint  string
	Empty string
	Items []forMeItem
}

// forMeData is what policies_for_me.html shows.
type forMeData struct {
	Enterprise *portal.Enterprise
	Groups     []forMeGroup
	Total      int
}

func (s *Server) policiesForMePage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	if !a.Has(portal.RoleEnterprise) || a.EnterpriseID == "" || s.opt.Enterprises == nil {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "“适合我的政策”只对企业用户开放；您可以在政策查询中浏览全部政策"))
		return
	}
	ctx := c.Request.Context()
	e, err := s.opt.Enterprises.Get(ctx, a.EnterpriseID)
	if err != nil {
		s.fail(c, err)
		return
	}
	m, err := s.enterpriseMatches(c, e)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.policyNow()
	items := func(list []policies.PolicyMatch) []forMeItem {
		out := make([]forMeItem, 0, len(list))
		for _, pm := range list {
			out = append(out, forMeItem{Card: s.cardOf(pm.Policy, policies.StatusPublished, now), Reasons: pm.Reasons, Passed: pm.Passed})
		}
		return out
	}
	d := forMeData{Enterprise: e, Groups: []forMeGroup{
		{Key: "eligible", Title: "符合条件", Hint: "贵企业满足这些政策的全部条件，可以直接申报。",
			Empty: "暂时没有完全符合条件的政策。", Items: items(m.Eligible)},
		{Key: "near_miss", Title: "差一点", Hint: "只差一个条件，看看能否补上。",
			Empty: "没有只差一个条件的政策。", Items: items(m.NearMiss)},
		{Key: "needs_info", Title: "需补充信息", Hint: "企业档案缺少判断所需的信息，补充后即可判断。",
			Empty: "企业档案信息齐全，没有需要补充的。", Items: items(m.NeedsInfo)},
	}}
	d.Total = len(m.Eligible) + len(m.NearMiss) + len(m.NeedsInfo)
	s.render(c, http.StatusOK, "policies_for_me", "适合我的政策", d)
}

// enterpriseMatches asks the Matcher; without one, it matches the open
// published policies itself.
func (s *Server) enterpriseMatches(c *gin.Context, e *portal.Enterprise) (*policies.EnterpriseMatches, error) {
	ctx := c.Request.Context()
	if s.opt.Matcher != nil {
		return s.opt.Matcher.MatchForEnterprise(ctx, e.ID)
	}
	status := policies.StatusPublished
	list, _, err := s.opt.Policies.Store.FindPolicies(ctx, policies.Filter{Status: &status})
	if err != nil {
		return nil, err
	}
	now := s.policyNow()
	out := &policies.EnterpriseMatches{EnterpriseID: e.ID}
	for _, p := range list {
		if !p.OpenAt(now) {
			continue
		}
		r := policies.MatchEnterprise(p, e, now)
		pm := policies.PolicyMatch{Policy: summaryOf(p), Match: r, Reasons: r.Reasons()}
		switch r.Status {
		case policies.Eligible:
			out.Eligible = append(out.Eligible, pm)
		case policies.NearMiss:
			out.NearMiss = append(out.NearMiss, pm)
		case policies.NeedsInfo:
			out.NeedsInfo = append(out.NeedsInfo, pm)
		}
	}
	return out, nil
}
