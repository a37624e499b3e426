package policies

import (
	"github.com/huiqi/huiqi/search"
)

// IndexName is the search index holding policies.
const IndexName = "policies"

// SearchDocument is the derived copy of a policy kept in the search index:
// its text for matching, and keywords and numbers for filters, facets and
// sorting. Dates are unix seconds; absent dates index as open-ended.
func SearchDocument(p *Policy) search.Document {
	start, end := int64(0), int64(openEnded)
	if p.ApplyStart != nil {
		start = p.ApplyStart.Unix()
	}
	if p.ApplyEnd != nil {
		end = p.ApplyEnd.Unix()
	}
	body := p.Body
	if r := []rune(body); len(r) > 4000 {
		body = string(r[:4000])
	}
	return search.Document{ID: p.ID, Fields: map[string]any{
		"title":       p.Title,
		"summary":     p.Summary,
		"tags":        p.Tags,
		"issuer":      p.Issuer,
		"doc_no":      p.DocNo,
		"benefit":     p.Benefit,
		"body":        body,
		"category":    string(p.Category),
		"level":       string(p.Level),
		"kind":        string(p.Kind),
		"status":      string(p.Status),
		"industry":    orAny(p.Industries),
		"region":      orAny(p.Regions),
		"auto_grant":  boolString(p.AutoGrant),
		"apply_start": float64(start),
		"apply_end":   float64(end),
		"max_amount":  p.MaxAmount,
		"updated_at":  float64(p.UpdatedAt.Unix()),
		"version":     float64(p.Version),
	}}
}

// openEnded is the apply_end indexed for a policy without an end date.
const openEnded = 1 << 53

// orAny indexes an empty restriction as applying to everything.
func orAny(list []string) []string {
	if len(list) == 0 {
		return []string{anyValue}
	}
	return list
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
