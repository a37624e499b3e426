package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// categoryHints say in a few words what each default category covers;
// categories an admin adds later show their request types only.
var categoryHints = map[string]string{
	"policy":      "政策怎么理解、能否申报、如何办理",
	"finance":     "贷款、担保、融资对接、再贷款",
	"talent":      "招工用工、人才引进、社保稳岗、培训",
	"land":        "用地、厂房、租金、产业空间",
	"approval":    "证照审批、办事流程、材料退补",
	"traffic":     "道路、停车、货车通行、公交",
	"enforcement": "检查频次、处罚、执法尺度",
	"dispute":     "合同、欠款、劳资等纠纷调处",
	"park":        "园区水电、网络、物业、配套服务",
	"other":       "以上都不是，请直接描述",
}

// requestForm is the filing form as typed.
type requestForm struct {
	EnterpriseID string
	Title        string
	Description  string
	Category     string
	Type         string
	Channel      string
	SourceID     string // the meeting or visit, when the form was opened from its page
	SourceName   string
	ContactName  string
	ContactPhone string
	Urgent       bool
}

// categoryOption is one category of the helper, with the types it takes.
type categoryOption struct {
	Code      string
	Name      string
	Hint      string
	Types     string // the type codes, space-separated, for the page's type filter
	TypeNames string
	Selected  bool
}

// channelOption is one intake channel; Source marks those that name the
// meeting or visit.
type channelOption struct {
	choice
	Source bool
}

// enterprisePicker is the enterprise select of staff filing for others.
type enterprisePicker struct {
	Options []choice
	Search  bool // offer the search: the scope is larger than the select, or a search is on
	Capped  bool // the select lists only the first matches
	Q       string
	Error   string
}

// requestNewData is what requests_new.html shows.
type requestNewData struct {
	Form         requestForm
	Errors       map[string]string
	Error        string
	ForSelf      bool
	Enterprise   *portal.Enterprise // the actor's own, when filing for itself
	Picker       enterprisePicker
	Channels     []channelOption
	Types        []choice
	Categories   []categoryOption
	UploadMaxMiB int64
	MaxFiles     int
	HadUploads   bool // a refused form loses its files: the browser cannot refill them
}

// pickerSize is how many enterprises the select lists before a search is
// needed: a liaison's caseload fits, a district does not.
const pickerSize = 100

// enterprisePicker lists the enterprises the actor may file for, matching
// q, with selected kept even when it is not among the first.
func (s *Server) enterprisePicker(c *gin.Context, q, selected string) (enterprisePicker, error) {
	p := enterprisePicker{Q: q}
	if s.opt.Enterprises == nil {
		return p, nil
	}
	ctx := c.Request.Context()
	page, err := s.opt.Enterprises.List(ctx, portal.EnterpriseQuery{Q: q, PerPage: pickerSize})
	if portal.ErrorCode(err) == portal.EINVALID {
		p.Error = cmpOr(portal.ErrorFields(err)["q"], portal.ErrorMessage(err))
		page, err = s.opt.Enterprises.List(ctx, portal.EnterpriseQuery{PerPage: pickerSize})
	}
	if err != nil {
		return p, err
	}
	p.Capped = page.Total > len(page.Items)
	p.Search = p.Capped || q != ""
	found := false
	for _, e := range page.Items {
		p.Options = append(p.Options, choice{Value: e.ID, Label: e.Name, Selected: e.ID == selected})
		found = found || e.ID == selected
	}
	if selected != "" && !found {
		if e, err := s.opt.Enterprises.Get(ctx, selected); err == nil {
			p.Options = append([]choice{{Value: e.ID, Label: e.Name, Selected: true}}, p.Options...)
		}
	}
	return p, nil
}

// renderRequestNew shows the filing form with what was typed and err.
func (s *Server) renderRequestNew(c *gin.Context, status int, form requestForm, err error, hadUploads bool) {
	ctx := c.Request.Context()
	a := portal.ActorFrom(ctx)
	_, cats, cerr := s.categoryNames(ctx)
	if cerr != nil {
		s.fail(c, cerr)
		return
	}
	d := requestNewData{Form: form, Errors: portal.ErrorFields(err), ForSelf: forSelf(a), UploadMaxMiB: s.uploadMaxMiB(),
		MaxFiles: portal.MaxAttachments, HadUploads: hadUploads}
	if err != nil {
		d.Error = portal.ErrorMessage(err)
	}
	for _, t := range portal.RequestTypes {
		d.Types = append(d.Types, choice{Value: string(t), Label: portal.RequestTypeNames[t], Selected: string(t) == form.Type})
	}
	for _, cat := range cats {
		o := categoryOption{Code: cat.Code, Name: cat.Name, Hint: categoryHints[cat.Code], Selected: cat.Code == form.Category}
		var codes, names []string
		for _, t := range cat.Types {
			codes, names = append(codes, string(t)), append(names, portal.RequestTypeNames[t])
		}
		o.Types, o.TypeNames = strings.Join(codes, " "), strings.Join(names, "、")
		d.Categories = append(d.Categories, o)
	}
	if d.ForSelf {
		if s.opt.Enterprises != nil {
			e, gerr := s.opt.Enterprises.Get(ctx, a.EnterpriseID)
			if gerr != nil && portal.ErrorCode(gerr) != portal.ENOTFOUND {
				s.fail(c, gerr)
				return
			}
			d.Enterprise = e
		}
	} else {
		for _, ch := range portal.Channels {
			d.Channels = append(d.Channels, channelOption{choice: choice{Value: string(ch), Label: portal.ChannelNames[ch],
				Selected: string(ch) == form.Channel}, Source: ch.NeedsSource()})
		}
		var perr error
		if d.Picker, perr = s.enterprisePicker(c, c.Query("enterprise_q"), form.EnterpriseID); perr != nil {
			s.fail(c, perr)
			return
		}
	}
	title := "提交诉求"
	if !d.ForSelf {
		title = "代企业提交诉求"
	}
	s.render(c, status, "requests_new", title, d)
}

func (s *Server) requestNewPage(c *gin.Context) {
	a := s.requestActor(c)
	if a == nil {
		return
	}
	if !s.opt.Requests.MayFile(c.Request.Context()) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "只有企业用户、专班联络员和分拨员可以提交诉求"))
		return
	}
	form := requestForm{EnterpriseID: strings.TrimSpace(c.Query("enterprise"))}
	if !forSelf(a) {
		// Liaisons collect requests on visits; dispatchers mostly take calls.
		form.Channel = string(portal.ChannelPhone)
		if a.Has(portal.RoleLiaison) {
			form.Channel = string(portal.ChannelVisit)
		}
		// A meeting's page links here with its channel and itself as the source.
		if ch := portal.Channel(c.Query("channel")); ch.NeedsSource() {
			form.Channel, form.SourceID, form.SourceName = string(ch), c.Query("source_id"), c.Query("source_name")
		}
	}
	s.renderRequestNew(c, http.StatusOK, form, nil, false)
}

// requestFileSubmit files the posted form with its attachments and opens
// the new request's page.
func (s *Server) requestFileSubmit(c *gin.Context) {
	a := s.requestActor(c)
	if a == nil {
		return
	}
	form := requestForm{EnterpriseID: strings.TrimSpace(c.PostForm("enterprise_id")), Title: c.PostForm("title"),
		Description: c.PostForm("description"), Category: c.PostForm("category"), Type: c.PostForm("type"),
		Channel: c.PostForm("channel"), SourceID: strings.TrimSpace(c.PostForm("source_id")), SourceName: c.PostForm("source_name"),
		ContactName: c.PostForm("contact_name"), ContactPhone: c.PostForm("contact_phone"), Urgent: c.PostForm("urgent") != ""}
	uploads, err := formUploads(c, "attachments", s.uploadLimit())
	if err != nil {
		s.fail(c, err)
		return
	}
	in := portal.RequestInput{EnterpriseID: form.EnterpriseID, Title: form.Title, Description: form.Description,
		Category: form.Category, Type: portal.RequestType(form.Type), Channel: portal.Channel(form.Channel),
		SourceID: form.SourceID, SourceName: form.SourceName, ContactName: form.ContactName, ContactPhone: form.ContactPhone, Urgent: form.Urgent}
	// The page hides the source field for channels without one, so what
	// it still holds from an earlier choice is not the visitor's intent.
	if !in.Channel.NeedsSource() {
		in.SourceID, in.SourceName = "", ""
	}
	r, err := s.opt.Requests.File(c.Request.Context(), in, uploads)
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", fmt.Sprintf("诉求已提交，编号 %s。分拨员会尽快把它交给承办单位，办理进度可在本页查看。", r.No))
		c.Redirect(http.StatusSeeOther, "/requests/"+r.ID)
	case portal.EINVALID:
		s.renderRequestNew(c, http.StatusBadRequest, form, err, len(uploads) > 0)
	default:
		s.fail(c, err)
	}
}

// requestEnterpriseOptions answers the enterprise search of the filing
// form with a fresh select (an htmx fragment).
func (s *Server) requestEnterpriseOptions(c *gin.Context) {
	if s.fragmentActor(c) == nil {
		return
	}
	p, err := s.enterprisePicker(c, c.Query("enterprise_q"), strings.TrimSpace(c.Query("enterprise_id")))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderFragment(c, "requests_new", "request-enterprise-select", p)
}

// policyHint is one policy suggested while a request is typed.
type policyHint struct {
	ID, Title, Issuer string
}

// maxPolicyHints is how many policies the filing form suggests.
const maxPolicyHints = 5

// requestPolicyHints suggests published policies matching what is being
// typed into the filing form (an htmx fragment): a consultation may be
// answered by a policy at once.
func (s *Server) requestPolicyHints(c *gin.Context) {
	if s.fragmentActor(c) == nil {
		return
	}
	q := strings.TrimSpace(strings.Join(strings.Fields(c.Query("q")+" "+c.Query("title")+" "+c.Query("description")), " "))
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	var hints []policyHint
	if s.opt.Policies != nil && utf8.RuneCountInString(q) >= 2 {
		res, err := s.opt.Policies.Search(c.Request.Context(), policies.SearchParams{Q: q, PerPage: maxPolicyHints * 2})
		if err != nil {
			// Suggestions are a help, not the form: a search failure leaves the list empty.
			s.logger(c).Warn("policy hints", "err", err)
		} else {
			for _, h := range res.Hits {
				if h.Status == policies.StatusPublished && len(hints) < maxPolicyHints {
					hints = append(hints, policyHint{ID: h.ID, Title: h.Title, Issuer: h.Issuer})
				}
			}
		}
	}
	s.renderFragment(c, "requests_new", "request-policy-hints", hints)
}

// fragmentActor is requestActor for htmx fragments: when the session has
// ended while the form was open, it answers 401, which htmx leaves alone,
// instead of swapping the login page into the form.
func (s *Server) fragmentActor(c *gin.Context) *portal.Actor {
	if portal.ActorFrom(c.Request.Context()) == nil && c.GetHeader("HX-Request") == "true" {
		c.AbortWithStatus(http.StatusUnauthorized)
		return nil
	}
	return s.requestActor(c)
}

// renderFragment writes one block of a page's templates, for htmx.
func (s *Server) renderFragment(c *gin.Context, page, block string, data any) {
	t, ok := s.pages.byName[page]
	if !ok {
		s.fail(c, fmt.Errorf("no template %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		s.fail(c, fmt.Errorf("render %s/%s: %w", page, block, err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}
