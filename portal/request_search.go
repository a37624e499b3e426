package portal

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/search"
)

// RequestIndexName is the search index holding requests that are not
// final, used to find similar open requests while a new one is typed.
const RequestIndexName = "requests"

// RequestSchema is how requests are indexed: the title and description
// for text similarity, keywords for the filters that decide which
// requests count as the same matter, and the filing time for ordering.
var RequestSchema = search.Schema{
	Searchable: []string{"title", "description"},
	Filterable: []string{"no", "enterprise_id", "park_id", "subdistrict_id", "category", "status", "open", "similar_keys"},
	Sortable:   []string{"created_at"},
}

// Task type of the request index.
const (
	// TypeRequestIndexRepair re-indexes recently changed requests, healing
	// index writes that were lost (drift repair).
	TypeRequestIndexRepair = "request:index-repair"
)

// RequestIndexRepairWindow is how far back the repair job looks for
// changed requests; it runs far more often, so a missed run is covered.
const RequestIndexRepairWindow = time.Hour

// Similar-request search limits.
const (
	// SimilarLimit is how many similar requests are shown.
	SimilarLimit = 5
	// MinSimilarText is the shortest draft text (in characters) searched for.
	MinSimilarText = 2
	// MaxSimilarText is the longest draft text (in characters) accepted.
	MaxSimilarText = 200
	// similarCandidates is how many ranked candidates one probe returns;
	// scope and exclusion are applied to them afterwards.
	similarCandidates = 25
	// maxSimilarProbes bounds the index queries of one draft.
	maxSimilarProbes = 12
	// probeRunes is the length of the pieces Chinese text is cut into:
	// three two-character pieces, two of which the index requires.
	probeRunes = 4
)

// similarKeys are the keyword values that make two requests the same
// matter: the same enterprise, or the same park and category. A document
// holds its own keys; a query asks for any of the draft's.
func similarKeys(enterpriseID, parkID, category string) []string {
	keys := []string{"enterprise:" + enterpriseID}
	if parkID != "" && category != "" {
		keys = append(keys, "park:"+parkID+":"+category)
	}
	return keys
}

// RequestDocument is the derived copy of a request kept in the search
// index. Dates are unix seconds.
func RequestDocument(r *Request) search.Document {
	open := "false"
	if r.Status.Open() {
		open = "true"
	}
	return search.Document{ID: r.ID, Fields: map[string]any{
		"no":              r.No,
		"title":           r.Title,
		"description":     r.Description,
		"enterprise_id":   r.EnterpriseID,
		"enterprise_name": r.EnterpriseName,
		"park_id":         r.ParkID,
		"subdistrict_id":  r.SubdistrictID,
		"category":        r.Category,
		"status":          string(r.Status),
		"open":            open,
		"similar_keys":    similarKeys(r.EnterpriseID, r.ParkID, r.Category),
		"created_at":      float64(r.CreatedAt.Unix()),
	}}
}

// RequestIndexSource reads the requests the search index is derived from.
type RequestIndexSource interface {
	// FindRequestsChangedSince returns up to limit requests, without their
	// timelines, ordered by (updated_at, id) and coming after the cursor
	// (since, afterID); with an empty afterID, from since itself.
	FindRequestsChangedSince(ctx context.Context, since time.Time, afterID string, limit int) ([]*Request, error)
}

// RequestSearch keeps the search index of requests and finds the requests
// in it that resemble a draft. It is the RequestService's Index.
type RequestSearch struct {
	Index search.Index
	// Store is read by the repair job and rebuilds; Similar does not need it.
	Store RequestIndexSource
	Log   *slog.Logger
	Now   func() time.Time
}

var _ RequestIndexer = (*RequestSearch)(nil)

// IndexRequest writes r's entry, or removes it once r is final: nothing
// final is ever offered as a duplicate. Resolved requests stay indexed
// (marked not open) because feedback can reopen them.
func (x *RequestSearch) IndexRequest(ctx context.Context, r *Request) error {
	if r.Status.Final() {
		return x.Index.Delete(ctx, r.ID)
	}
	return x.Index.Upsert(ctx, RequestDocument(r))
}

// indexPage is how many requests the repair and rebuild read at a time.
const indexPage = 500

// RepairIndex re-indexes every request changed within
// RequestIndexRepairWindow and returns how many it wrote or removed.
func (x *RequestSearch) RepairIndex(ctx context.Context) (int, error) {
	n := 0
	err := eachRequestPage(ctx, x.Store, x.Now().Add(-RequestIndexRepairWindow), func(page []*Request) error {
		var docs []search.Document
		var gone []string
		for _, r := range page {
			if r.Status.Final() {
				gone = append(gone, r.ID)
			} else {
				docs = append(docs, RequestDocument(r))
			}
		}
		if len(docs) > 0 {
			if err := x.Index.Upsert(ctx, docs...); err != nil {
				return err
			}
		}
		if len(gone) > 0 {
			if err := x.Index.Delete(ctx, gone...); err != nil {
				return err
			}
		}
		n += len(page)
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("repair request index: %w", err)
	}
	return n, nil
}

// HandleRepairTask runs RepairIndex for the periodic request:index-repair
// task. Running it twice is harmless.
func (x *RequestSearch) HandleRepairTask(ctx context.Context, _ *asynq.Task) error {
	n, err := x.RepairIndex(ctx)
	if err != nil {
		return err
	}
	if x.Log != nil && n > 0 {
		x.Log.Debug("request index repaired", "requests", n)
	}
	return nil
}

// RequestIndexDocuments derives the whole request index from the store:
// one document per request that is not final. `huiqi reindex` and the
// start-up rebuild use it.
func RequestIndexDocuments(ctx context.Context, src RequestIndexSource) ([]search.Document, error) {
	var docs []search.Document
	err := eachRequestPage(ctx, src, time.Time{}, func(page []*Request) error {
		for _, r := range page {
			if !r.Status.Final() {
				docs = append(docs, RequestDocument(r))
			}
		}
		return nil
	})
	return docs, err
}

// eachRequestPage hands fn the requests changed since since, a page at a
// time, following the (updated_at, id) cursor so that none is skipped.
func eachRequestPage(ctx context.Context, src RequestIndexSource, since time.Time, fn func([]*Request) error) error {
	afterID := ""
	for {
		page, err := src.FindRequestsChangedSince(ctx, since, afterID, indexPage)
		if err != nil {
			return err
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
			last := page[len(page)-1]
			since, afterID = last.UpdatedAt, last.ID
		}
		if len(page) < indexPage {
			return nil
		}
	}
}

// FindSimilar returns the ids of open requests holding any of keys whose
// text resembles text, best first, at most limit.
//
// The index finds a document when it holds most of a query's two-character
// pieces, which a paragraph of a new request never satisfies even when it
// tells the same story in other words. So the text is cut into short
// probes (see similarProbes), each probe is one query, and a document
// counts as similar when at least a third of the probes find it; documents
// are ranked by how many probes found them, then by their summed scores.
func (x *RequestSearch) FindSimilar(ctx context.Context, text string, keys []string, limit int) ([]string, error) {
	type rank struct {
		probes int
		score  float64
	}
	ranks := map[string]*rank{}
	probes := similarProbes(text)
	for _, p := range probes {
		res, err := x.Index.Search(ctx, search.Query{Text: p, PerPage: similarCandidates, Filters: []search.Filter{
			{Field: "similar_keys", Values: keys},
			{Field: "open", Values: []string{"true"}},
		}})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			r := ranks[h.ID]
			if r == nil {
				r = &rank{}
				ranks[h.ID] = r
			}
			r.probes++
			r.score += h.Score
		}
	}
	need := (len(probes) + 2) / 3
	ids := make([]string, 0, len(ranks))
	for id, r := range ranks {
		if r.probes >= need {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		ra, rb := ranks[a], ranks[b]
		switch {
		case ra.probes != rb.probes:
			return rb.probes - ra.probes
		case ra.score > rb.score:
			return -1
		case ra.score < rb.score:
			return 1
		}
		return strings.Compare(a, b)
	})
	if len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

// similarProbes cuts draft text into the short pieces FindSimilar queries,
// the first maxSimilarProbes distinct ones (the title is typed first, so
// it always counts): each run of Chinese characters in pieces of
// probeRunes characters overlapping by one, so that every two adjacent
// characters share a piece, and each other word of two or more letters or
// digits whole.
func similarProbes(text string) []string {
	var out []string
	add := func(p []rune) {
		if s := string(p); len(p) >= MinSimilarText && !slices.Contains(out, s) && len(out) < maxSimilarProbes {
			out = append(out, s)
		}
	}
	run := func(rs []rune, han bool) {
		if !han || len(rs) <= probeRunes {
			add(rs)
			return
		}
		for i := 0; i+1 < len(rs); i += probeRunes - 1 {
			add(rs[i:min(i+probeRunes, len(rs))])
		}
	}
	var cur []rune
	curHan := false
	for _, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		han := unicode.Is(unicode.Han, r)
		if !word || (len(cur) > 0 && han != curHan) {
			run(cur, curHan)
			cur = cur[:0]
		}
		if word {
			cur, curHan = append(cur, r), han
		}
	}
	run(cur, curHan)
	return out
}

// SimilarFinder finds open requests whose text resembles a draft. The
// RequestService's Index answers Similar when it is one (RequestSearch is).
type SimilarFinder interface {
	// FindSimilar returns the ids of open requests holding any of keys
	// whose text resembles text, best first, at most limit.
	FindSimilar(ctx context.Context, text string, keys []string, limit int) ([]string, error)
}

// SimilarQuery is a draft request as typed so far.
type SimilarQuery struct {
	// EnterpriseID is the enterprise the draft is for; an enterprise
	// user's own company when empty.
	EnterpriseID string
	// Category is the draft's category code; without one only the
	// enterprise's own requests are compared.
	Category string
	// Text is the title and description typed so far.
	Text string
	// Exclude is a request to leave out (the one being edited).
	Exclude string
}

// SimilarRequest is an open request that may be the same matter as a draft.
type SimilarRequest struct {
	ID             string    `json:"id"`
	No             string    `json:"no"`
	Title          string    `json:"title"`
	Status         Status    `json:"status"`
	EnterpriseName string    `json:"enterprise_name"`
	CreatedAt      time.Time `json:"created_at"`
}

// SimilarDraftText joins a draft's title and description into the text
// Similar compares, cut to MaxSimilarText characters: a form sends what
// was typed, however long, and the first part says what the matter is.
func SimilarDraftText(title, description string) string {
	text := strings.TrimSpace(strings.TrimSpace(title) + "\n" + strings.TrimSpace(description))
	if utf8.RuneCountInString(text) > MaxSimilarText {
		text = string([]rune(text)[:MaxSimilarText])
	}
	return text
}

// Similar returns up to SimilarLimit open requests that may be the same
// matter as the draft — the same enterprise's, or those of the same park
// and category — whose text resembles it, most similar first, and only
// those the actor may see. Enterprises, liaisons, dispatchers and admins
// may ask, for an enterprise they may file for. A text shorter than
// MinSimilarText characters, or a liaison's draft without an enterprise
// yet, finds nothing.
func (s *RequestService) Similar(ctx context.Context, q SimilarQuery) ([]*SimilarRequest, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HasAny(RoleEnterprise, RoleLiaison, RoleDispatcher, RoleAdmin) {
		return nil, Errorf(EFORBIDDEN, "您没有查看相似诉求的权限")
	}
	out := []*SimilarRequest{}
	f := map[string]string{}
	text, ok := cleanText(q.Text)
	switch {
	case !ok:
		f["q"] = "查询内容含有不可见的控制字符"
	case utf8.RuneCountInString(text) > MaxSimilarText:
		f["q"] = fmt.Sprintf("查询内容不能超过 %d 个字", MaxSimilarText)
	}
	if len(q.Exclude) > 64 {
		f["exclude"] = "要排除的诉求编号不正确"
	}
	category := strings.TrimSpace(q.Category)
	if category != "" {
		cat, err := s.Categories.CategoryByCode(ctx, category)
		switch {
		case IsCode(err, ENOTFOUND) || (err == nil && !cat.Active):
			f["category"] = "未知的诉求分类"
		case err != nil:
			return nil, err
		}
	}
	entID := strings.TrimSpace(q.EnterpriseID)
	if entID == "" && a.Has(RoleEnterprise) && !a.HasAny(RoleLiaison, RoleDispatcher, RoleAdmin) {
		entID = a.EnterpriseID
	}
	var ent *Enterprise
	if entID != "" {
		if ent, err = s.similarEnterprise(ctx, a, entID); err != nil {
			return nil, err
		}
		if ent == nil {
			f["enterprise_id"] = "企业不存在或不在您的负责范围内"
		}
	}
	if len(f) > 0 {
		// The message names the problems too: the filing form shows it
		// without the fields.
		var msgs []string
		for _, k := range []string{"enterprise_id", "category", "q", "exclude"} {
			if m := f[k]; m != "" {
				msgs = append(msgs, m)
			}
		}
		return nil, Invalid("查询参数有误："+strings.Join(msgs, "；"), f)
	}
	finder, ok := s.Index.(SimilarFinder)
	if ent == nil || !ok || utf8.RuneCountInString(text) < MinSimilarText {
		return out, nil
	}
	ids, err := finder.FindSimilar(ctx, text, similarKeys(ent.ID, ent.ParkID, category), similarCandidates)
	if err != nil {
		s.log().Error("find similar requests", "enterprise", ent.ID, "err", err)
		return nil, &Error{Code: EUNAVAILABLE, Message: "相似诉求查询暂时不可用，请稍后重试", Err: err}
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == q.Exclude })
	if len(ids) == 0 {
		return out, nil
	}
	// The index ranks; MongoDB, the truth, decides what is still open,
	// still the same matter and visible to the actor.
	all, anyOf, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	filter := RequestFilter{IDs: ids, Statuses: OpenStatuses, Limit: len(ids)}
	if !all {
		filter.AnyOf = anyOf
	}
	found, _, err := s.Store.FindRequests(ctx, filter)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Request, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	for _, id := range ids {
		r := byID[id]
		if r == nil || !(r.EnterpriseID == ent.ID || (ent.ParkID != "" && category != "" && r.ParkID == ent.ParkID && r.Category == category)) {
			continue
		}
		out = append(out, &SimilarRequest{ID: r.ID, No: r.No, Title: r.Title, Status: r.Status,
			EnterpriseName: r.EnterpriseName, CreatedAt: r.CreatedAt})
		if len(out) == SimilarLimit {
			break
		}
	}
	return out, nil
}

// similarEnterprise returns the enterprise a draft is for when a may file
// for it, nil when it is unknown or not a's to file for.
func (s *RequestService) similarEnterprise(ctx context.Context, a *Actor, id string) (*Enterprise, error) {
	if len(id) > 64 {
		return nil, nil
	}
	ent, err := s.Enterprises.FindEnterpriseByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.mayFileFor(ctx, a, ent)
	if err != nil || !ok {
		return nil, err
	}
	return ent, nil
}
