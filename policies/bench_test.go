package policies_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// The benchmarks run only with -bench:
//
//	go test ./policies -run '^$' -bench . -benchmem
//
// They match generated data shaped like the district's: policies with two
// to six conditions (some restricted to industries or sub-districts) and
// enterprises with full or partial profiles. Those named for 1k policies
// and 100k enterprises run in memory; MatchForEnterprise1kPolicies and
// ScanAndMatch10kEnterprises read from embedded FerretDB and show what the
// database adds (and why the published list is cached).

var benchNow = time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)

func rawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

var (
	benchSections     = []string{"C", "G", "I", "M", "H", "F", "L"}
	benchDivisions    = map[string][]string{"C": {"24", "27", "35", "39"}, "G": {"55", "58", "59"}, "I": {"64", "65"}, "M": {"73", "74"}, "H": {"61", "62"}, "F": {"51", "52"}, "L": {"71", "72"}}
	benchSubdistricts = []string{"sd-haigang", "sd-jinsha", "sd-meilin", "sd-dongwan"}
	benchChains       = []string{"chain-port", "chain-jewelry", "chain-health", "chain-tourism"}
)

// benchPolicies returns n published, open policies with realistic criteria.
func benchPolicies(rng *rand.Rand, n int) []*policies.Policy {
	clause := func() policies.Clause {
		switch rng.IntN(8) {
		case 0:
			return policies.Clause{Field: "revenue", Op: "lte", Value: rawJSON(float64(1000 * (1 + rng.IntN(40)))), Label: "营业收入不超过限额"}
		case 1:
			lo := 5 * rng.IntN(20)
			return policies.Clause{Field: "employees", Op: "between", Value: rawJSON([]int{lo, lo + 50 + rng.IntN(500)})}
		case 2:
			return policies.Clause{Field: "qualifications", Op: "has", Value: rawJSON(portal.Qualifications[rng.IntN(len(portal.Qualifications))])}
		case 3:
			return policies.Clause{Field: "tax_rating", Op: "in", Value: rawJSON([]string{"A", "B"})}
		case 4:
			return policies.Clause{Field: "founded", Op: "within_years", Value: rawJSON(3 + rng.IntN(8))}
		case 5:
			return policies.Clause{Field: "size_class", Op: "in", Value: rawJSON([]string{"small", "micro"})}
		case 6:
			return policies.Clause{Field: "chains", Op: "has", Value: rawJSON(benchChains[rng.IntN(len(benchChains))])}
		default:
			return policies.Clause{Field: "assets", Op: "gte", Value: rawJSON(float64(100 * rng.IntN(50)))}
		}
	}
	out := make([]*policies.Policy, n)
	for i := range out {
		p := &policies.Policy{ID: fmt.Sprintf("pol-%05d", i), Title: fmt.Sprintf("扶持政策第 %d 号", i),
			Status: policies.StatusPublished, Version: 2, Category: policies.CatSmallMicro}
		if rng.IntN(10) < 3 {
			p.Industries = []string{benchSections[rng.IntN(len(benchSections))], "58"}
		}
		if rng.IntN(10) < 2 {
			p.Regions = []string{benchSubdistricts[rng.IntN(len(benchSubdistricts))]}
		}
		for range 2 + rng.IntN(5) {
			p.Criteria = append(p.Criteria, clause())
		}
		out[i] = p
	}
	return out
}

// benchEnterprises returns n enterprises; one in ten lacks part of its profile.
func benchEnterprises(rng *rand.Rand, n int) []*portal.Enterprise {
	out := make([]*portal.Enterprise, n)
	for i := range out {
		sec := benchSections[rng.IntN(len(benchSections))]
		divs := benchDivisions[sec]
		e := &portal.Enterprise{ID: fmt.Sprintf("ent-%06d", i), Name: fmt.Sprintf("企业%06d", i),
			IndustrySection: sec, IndustryDivision: divs[rng.IntN(len(divs))],
			SubdistrictID: benchSubdistricts[rng.IntN(len(benchSubdistricts))],
			ChainIDs:      []string{benchChains[rng.IntN(len(benchChains))]}}
		emp, rev, ast := 5+rng.IntN(800), float64(50+rng.IntN(60000)), float64(20+rng.IntN(30000))
		founded := benchNow.AddDate(-rng.IntN(30), -rng.IntN(12), 0)
		e.Profile = portal.EnterpriseProfile{Employees: &emp, Revenue: &rev, Assets: &ast, Founded: &founded,
			TaxRating: portal.TaxRatings[rng.IntN(len(portal.TaxRatings))]}
		for _, q := range portal.Qualifications {
			if rng.IntN(5) == 0 {
				e.Profile.Qualifications = append(e.Profile.Qualifications, q)
			}
		}
		if rng.IntN(10) == 0 {
			e.Profile.Assets, e.Profile.TaxRating = nil, ""
		}
		e.Classify()
		out[i] = e
	}
	return out
}

// benchPolicyStore serves a fixed list of published policies; the
// Matcher reads nothing else of it.
type benchPolicyStore struct {
	policies.Store
	list []*policies.Policy
}

func (s benchPolicyStore) FindPolicies(context.Context, policies.Filter) ([]*policies.Policy, int, error) {
	return s.list, len(s.list), nil
}

// benchDirectory shows every enterprise to every caller.
type benchDirectory map[string]*portal.Enterprise

func (d benchDirectory) Get(_ context.Context, id string) (*portal.Enterprise, error) {
	return d[id], nil
}

// BenchmarkMatchOneEnterpriseAgainst1kPolicies is what an enterprise's
// match page costs once the published list is cached (target ≤ 5 ms/op):
// "page" is MatchForEnterprise, "explained" matches every pair with reasons.
func BenchmarkMatchOneEnterpriseAgainst1kPolicies(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	pols := benchPolicies(rng, 1000)
	ents := benchEnterprises(rng, 64)
	dir := benchDirectory{}
	for _, e := range ents {
		dir[e.ID] = e
	}
	b.Run("page", func(b *testing.B) {
		m := &policies.Matcher{Policies: benchPolicyStore{list: pols}, Visibility: dir, Now: func() time.Time { return benchNow }, CacheFor: time.Hour}
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := m.MatchForEnterprise(ctx, ents[i%len(ents)].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("explained", func(b *testing.B) {
		var compiled []*policies.Compiled
		for _, p := range pols {
			compiled = append(compiled, policies.Compile(p))
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			e := ents[i%len(ents)]
			for _, c := range compiled {
				_ = c.Match(e, benchNow)
			}
		}
	})
}

// BenchmarkMatchOnePolicyAgainst100kEnterprises is what publishing a policy
// costs in matching (target ≤ 1 s/op): "status" is what the publish job and
// the 免申即享 list compute, "explained" adds every reason.
func BenchmarkMatchOnePolicyAgainst100kEnterprises(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	pols := benchPolicies(rng, 16)
	ents := benchEnterprises(rng, 100_000)
	b.Run("status", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c := policies.Compile(pols[i%len(pols)])
			for _, e := range ents {
				_ = c.Status(e, benchNow)
			}
		}
	})
	b.Run("explained", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c := policies.Compile(pols[i%len(pols)])
			for _, e := range ents {
				_ = c.Match(e, benchNow)
			}
		}
	})
}

// benchStore seeds a fresh database with n published policies and m
// enterprises, written in bulk.
func benchStore(b *testing.B, n, m int) (*mongostore.DB, *policystore.Store, *mongostore.EnterpriseStore) {
	b.Helper()
	ctx := context.Background()
	db := portaltest.DB(b)
	rng := rand.New(rand.NewPCG(5, 6))
	var docs []any
	for _, p := range benchPolicies(rng, n) {
		p.Summary, p.Body = "对符合条件的企业给予资金支持。", strings.Repeat("政策正文。", 400)
		p.CreatedAt, p.UpdatedAt = benchNow, benchNow
		docs = append(docs, p)
	}
	if len(docs) > 0 {
		if _, err := db.Database().Collection("policies").InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	docs = docs[:0]
	for _, e := range benchEnterprises(rng, m) {
		e.USCC = e.ID // unique is all the index needs here
		docs = append(docs, e)
		if len(docs) == 1000 {
			if _, err := db.Database().Collection("enterprises").InsertMany(ctx, docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	if len(docs) > 0 {
		if _, err := db.Database().Collection("enterprises").InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	return db, policystore.New(db.Database()), mongostore.NewEnterpriseStore(db)
}

// benchVisible lets every caller see every enterprise.
type benchVisible struct{ s *mongostore.EnterpriseStore }

func (v benchVisible) Get(ctx context.Context, id string) (*portal.Enterprise, error) {
	return v.s.FindEnterpriseByID(ctx, id)
}

// BenchmarkMatchForEnterprise1kPolicies measures the enterprise match page
// on FerretDB with 1k published policies: "cached" reuses the compiled
// list, "per-call" reads and compiles it on every call.
func BenchmarkMatchForEnterprise1kPolicies(b *testing.B) {
	_, pols, ents := benchStore(b, 1000, 16)
	for _, mode := range []struct {
		name string
		ttl  time.Duration
	}{{"cached", time.Hour}, {"per-call", -1}} {
		b.Run(mode.name, func(b *testing.B) {
			m := &policies.Matcher{Policies: pols, Enterprises: ents, Visibility: benchVisible{ents},
				Now: func() time.Time { return benchNow }, CacheFor: mode.ttl}
			ctx := context.Background()
			// The first call fills the cache; b.Loop times only what follows.
			if _, err := m.MatchForEnterprise(ctx, "ent-000000"); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := m.MatchForEnterprise(ctx, fmt.Sprintf("ent-%06d", i%16)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScanAndMatch10kEnterprises measures reading 10k enterprises from
// FerretDB through one cursor and matching them against one policy: the
// database's share of a publish-time run.
func BenchmarkScanAndMatch10kEnterprises(b *testing.B) {
	_, _, ents := benchStore(b, 0, 10_000)
	c := policies.Compile(benchPolicies(rand.New(rand.NewPCG(7, 8)), 1)[0])
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := ents.ScanEnterprises(ctx, portal.EnterpriseFilter{}, 500, func(es []*portal.Enterprise) error {
			for _, e := range es {
				if c.Match(e, benchNow).Status == policies.Eligible {
					n++
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
