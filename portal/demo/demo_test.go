package demo

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// demoNow is the fixed moment the catalogue tests use, so that counts do
// not drift with the calendar.
var demoNow = time.Date(2026, 11, 22, 10, 0, 0, 0, districtZone)

func TestPoliciesValid(t *testing.T) {
	ps := Policies(demoNow)
	if len(ps) < 150 {
		t.Fatalf("got %d policies, want at least 150", len(ps))
	}
	units := orgUnitsByID()
	chains := map[string]bool{}
	for _, c := range Chains() {
		chains[c.ID] = true
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	idPattern := regexp.MustCompile(`^pol-\d{3}$`)
	for i, p := range ps {
		name := p.ID + " " + p.Title
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v (%v)", name, err, portal.ErrorFields(err))
		}
		if want := fmt.Sprintf("pol-%03d", i+1); p.ID != want || !idPattern.MatchString(p.ID) {
			t.Errorf("policy %d has id %q, want %q", i, p.ID, want)
		}
		if ids[p.ID] || titles[p.Title] {
			t.Errorf("%s: id or title repeated", name)
		}
		ids[p.ID], titles[p.Title] = true, true
		normalized := *p
		normalized.Normalize()
		if !reflect.DeepEqual(&normalized, p) {
			t.Errorf("%s: not in normalized form", name)
		}
		if n := utf8.RuneCountInString(p.Summary); n < 20 || n > 120 {
			t.Errorf("%s: summary has %d characters, want 20–120", name, n)
		}
		for _, section := range []string{"## 支持对象", "## 支持标准", "## 申报材料"} {
			if !strings.Contains(p.Body, section) {
				t.Errorf("%s: body lacks section %q", name, section)
			}
		}
		for field, text := range map[string]string{"title": p.Title, "doc_no": p.DocNo, "summary": p.Summary, "body": p.Body, "benefit": p.Benefit, "how_to_apply": p.HowToApply} {
			if strings.Contains(text, "{y") {
				t.Errorf("%s: %s keeps a year placeholder: %q", name, field, text)
			}
		}
		if p.DocNo == "" || p.Benefit == "" || p.HowToApply == "" || p.Contact == "" || len(p.Tags) == 0 {
			t.Errorf("%s: doc_no, benefit, how_to_apply, contact and tags must all be filled", name)
		}
		if p.ApplyStart == nil {
			t.Errorf("%s: no apply_start", name)
		}
		if p.Version != 1 || p.CreatedAt.IsZero() || p.UpdatedAt.Before(p.CreatedAt) {
			t.Errorf("%s: version %d, created %v, updated %v", name, p.Version, p.CreatedAt, p.UpdatedAt)
		}
		for _, r := range p.Regions {
			if units[r] == nil {
				t.Errorf("%s: region %q is not a demo org unit", name, r)
			}
		}
		for _, c := range p.Criteria {
			var values []string
			switch c.Field {
			case "chains", "qualifications":
				if json.Unmarshal(c.Value, &values) != nil {
					var one string
					if err := json.Unmarshal(c.Value, &one); err != nil {
						t.Fatalf("%s: clause %s %s value %s: %v", name, c.Field, c.Op, c.Value, err)
					}
					values = []string{one}
				}
			}
			for _, v := range values {
				if c.Field == "chains" && !chains[v] {
					t.Errorf("%s: chain %q does not exist", name, v)
				}
				if c.Field == "qualifications" && !slices.Contains(portal.Qualifications, v) {
					t.Errorf("%s: qualification %q is not one enterprises can hold", name, v)
				}
			}
			if c.Label == "" {
				t.Errorf("%s: clause %s %s has no label", name, c.Field, c.Op)
			}
		}
	}
}

func TestPoliciesSpread(t *testing.T) {
	ps := Policies(demoNow)
	perCategory := map[policies.Category]int{}
	perLevel := map[policies.Level]int{}
	perKind := map[policies.Kind]int{}
	perStatus := map[policies.Status]int{}
	auto := 0
	for _, p := range ps {
		perCategory[p.Category]++
		perLevel[p.Level]++
		perKind[p.Kind]++
		perStatus[p.Status]++
		if p.AutoGrant {
			auto++
		}
		switch p.Status {
		case policies.StatusExpired:
			if p.ApplyEnd == nil || !p.ApplyEnd.Before(demoNow) {
				t.Errorf("%s is expired but its window ends %v", p.ID, p.ApplyEnd)
			}
		case policies.StatusPublished:
			if !p.OpenAt(demoNow) {
				t.Errorf("%s is published but not open now (%v – %v)", p.ID, p.ApplyStart, p.ApplyEnd)
			}
			if p.PublishedAt == nil {
				t.Errorf("%s is published without published_at", p.ID)
			}
		case policies.StatusDraft:
			if p.PublishedAt != nil {
				t.Errorf("draft %s has published_at", p.ID)
			}
		}
	}
	for _, c := range policies.CategoryOrder {
		if perCategory[c] < 12 {
			t.Errorf("category %s has %d policies, want at least 12", c, perCategory[c])
		}
	}
	for l := range policies.LevelNames {
		if perLevel[l] == 0 {
			t.Errorf("no policy of level %s", l)
		}
	}
	for k := range policies.KindNames {
		if perKind[k] == 0 {
			t.Errorf("no entry of kind %s", k)
		}
	}
	within := func(what string, got, lo, hi int) {
		if got < lo || got > hi {
			t.Errorf("%s: got %d, want %d–%d", what, got, lo, hi)
		}
	}
	within("expired", perStatus[policies.StatusExpired], 12, 18)
	within("drafts", perStatus[policies.StatusDraft], 8, 12)
	within("revoked", perStatus[policies.StatusRevoked], 2, 6)
	within("published", perStatus[policies.StatusPublished], 110, len(ps))
	within("auto_grant", auto, 8, 12)
	t.Logf("categories %v, levels %v, kinds %v, statuses %v, auto_grant %d", perCategory, perLevel, perKind, perStatus, auto)
}

func TestPoliciesFollowNow(t *testing.T) {
	if !reflect.DeepEqual(Policies(demoNow), Policies(demoNow)) {
		t.Fatal("the same now gives different catalogues")
	}
	// A year later the windows have moved along: the demo still has the
	// same mix instead of everything having expired.
	later := demoNow.AddDate(1, 0, 0)
	a, b := Policies(demoNow), Policies(later)
	for i := range a {
		if a[i].Status != b[i].Status {
			t.Errorf("%s is %s now but %s a year later", a[i].ID, a[i].Status, b[i].Status)
		}
	}
	// Document numbers and titles name the current year.
	if !strings.Contains(a[0].DocNo, "2026") || !strings.Contains(b[0].DocNo, "2027") {
		t.Errorf("doc_no %q a year later became %q, want the year to follow now", a[0].DocNo, b[0].DocNo)
	}
}

func orgUnitsByID() map[string]*portal.OrgUnit {
	m := map[string]*portal.OrgUnit{}
	for _, u := range OrgUnits() {
		m[u.ID] = u
	}
	return m
}

func TestEnterprisesValid(t *testing.T) {
	es := Enterprises()
	if len(es) < 300 {
		t.Fatalf("got %d enterprises, want at least 300", len(es))
	}
	if !reflect.DeepEqual(es, Enterprises()) {
		t.Fatal("Enterprises is not deterministic")
	}
	units := orgUnitsByID()
	chains := map[string]bool{}
	for _, c := range Chains() {
		chains[c.ID] = true
	}
	taskForces := map[string]*portal.TaskForce{}
	for _, tf := range TaskForces() {
		taskForces[tf.ID] = tf
	}
	users := map[string]*portal.User{}
	for _, u := range Users() {
		users[u.ID] = u
	}
	chainIndustries := map[string][]string{
		"chain-port":    {"54", "55", "58", "59"},
		"chain-jewelry": {"24", "51", "52", "74"},
		"chain-health":  {"27", "35", "73", "84"},
		"chain-tourism": {"61", "62", "88", "90"},
	}
	ids, usccs, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	sizes := map[portal.SizeClass]int{}
	subdistricts := map[string]int{}
	caseloads := map[string]int{}
	incomplete := 0
	for i, e := range es {
		name := e.ID + " " + e.Name
		if want := fmt.Sprintf("ent-%03d", i+1); e.ID != want {
			t.Errorf("enterprise %d has id %s, want %s", i, e.ID, want)
		}
		if ids[e.ID] || usccs[e.USCC] || names[e.Name] {
			t.Errorf("%s: id, USCC or name repeated", name)
		}
		ids[e.ID], usccs[e.USCC], names[e.Name] = true, true, true
		if err := portal.ValidateUSCC(e.USCC); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v (%v)", name, err, portal.ErrorFields(err))
		}
		if err := e.Profile.Validate(demoNow); err != nil {
			t.Errorf("%s: %v (%v)", name, err, portal.ErrorFields(err))
		}
		normalized := *e
		normalized.Normalize()
		if !reflect.DeepEqual(&normalized, e) {
			t.Errorf("%s: not in normalized form", name)
		}

		sd, park := units[e.SubdistrictID], units[e.ParkID]
		switch {
		case sd == nil || sd.Kind != portal.KindSubdistrict:
			t.Errorf("%s: sub-district %q is not a demo sub-district", name, e.SubdistrictID)
		case park == nil || park.ParentID != e.SubdistrictID:
			t.Errorf("%s: park or community %q is not under %s", name, e.ParkID, e.SubdistrictID)
		}
		subdistricts[e.SubdistrictID]++

		for _, c := range e.ChainIDs {
			if !chains[c] {
				t.Errorf("%s: chain %q does not exist", name, c)
			} else if !slices.Contains(chainIndustries[c], e.IndustryDivision) {
				t.Errorf("%s: division %s does not fit chain %s", name, e.IndustryDivision, c)
			}
		}
		if e.LiaisonID != "" {
			u := users[e.LiaisonID]
			tf := taskForces[e.TaskForceID]
			switch {
			case u == nil || !slices.Contains(u.Roles, portal.RoleLiaison):
				t.Errorf("%s: liaison %q is not a demo liaison", name, e.LiaisonID)
			case tf == nil || u.TaskForceID != tf.ID || !slices.Contains(tf.MemberIDs, u.ID):
				t.Errorf("%s: task force %q does not match liaison %s", name, e.TaskForceID, u.ID)
			}
			caseloads[e.LiaisonID]++
		} else if e.TaskForceID != "" {
			t.Errorf("%s: task force without a liaison", name)
		}

		p := e.Profile
		want, _ := portal.ComputeSizeClass(e.IndustrySection, e.IndustryDivision, p.Employees, p.Revenue, p.Assets)
		if p.SizeClass != want {
			t.Errorf("%s: size class %q, computed %q", name, p.SizeClass, want)
		}
		if p.Employees == nil || p.Revenue == nil || p.Assets == nil || p.Founded == nil || p.TaxRating == "" {
			incomplete++
		} else if p.SizeClass == "" {
			t.Errorf("%s: complete profile without size class", name)
		}
		if len(p.Qualifications) > 3 {
			t.Errorf("%s: %d qualifications, want at most 3", name, len(p.Qualifications))
		}
		sizes[p.SizeClass]++
	}
	for c := range portal.SizeClassNames {
		if sizes[c] == 0 {
			t.Errorf("no %s enterprise", c)
		}
	}
	for _, u := range OrgUnits() {
		if u.Kind == portal.KindSubdistrict && subdistricts[u.ID] < 30 {
			t.Errorf("sub-district %s has %d enterprises, want at least 30", u.ID, subdistricts[u.ID])
		}
	}
	if share := float64(incomplete) / float64(len(es)); share < 0.05 || share > 0.12 {
		t.Errorf("%d of %d profiles are incomplete, want about 8%%", incomplete, len(es))
	}
	if n := caseloads["u-liaison"]; n < 50 || n > 70 {
		t.Errorf("u-liaison is responsible for %d enterprises, want about 60", n)
	}
	if n := caseloads["u-liaison2"]; n < 30 || n > 50 {
		t.Errorf("u-liaison2 is responsible for %d enterprises, want about 40", n)
	}
	t.Logf("%d enterprises; sizes %v; incomplete %d; caseloads %v; sub-districts %v", len(es), sizes, incomplete, caseloads, subdistricts)
}

func TestHandWrittenEnterprisesKept(t *testing.T) {
	es := Enterprises()
	want := []struct{ id, name, liaison, chain string }{
		{"ent-001", "海湾国际物流有限公司", "u-liaison", "chain-port"},
		{"ent-002", "金沙珠宝首饰有限公司", "u-liaison2", "chain-jewelry"},
		{"ent-003", "海港冷链仓储有限公司", "u-liaison", "chain-port"},
		{"ent-004", "东湾集装箱码头有限公司", "u-liaison", "chain-port"},
		{"ent-005", "水贝黄金检测中心有限公司", "u-liaison2", "chain-jewelry"},
		{"ent-006", "锦绣金饰设计工作室有限公司", "u-liaison2", "chain-jewelry"},
		{"ent-007", "梅林生物医药科技有限公司", "", "chain-health"},
		{"ent-008", "新和医疗器械有限公司", "", "chain-health"},
		{"ent-009", "滨海湾度假酒店管理有限公司", "", "chain-tourism"},
		{"ent-010", "海湾航运代理有限公司", "u-liaison", "chain-port"},
		{"ent-011", "东湾文旅发展有限公司", "", "chain-tourism"},
		{"ent-012", "海湾智能软件有限公司", "", ""},
	}
	for i, w := range want {
		e := es[i]
		var chain string
		if len(e.ChainIDs) > 0 {
			chain = e.ChainIDs[0]
		}
		if e.ID != w.id || e.Name != w.name || e.LiaisonID != w.liaison || chain != w.chain {
			t.Errorf("enterprise %d is %s %s (liaison %q, chain %q), want %+v", i, e.ID, e.Name, e.LiaisonID, chain, w)
		}
		if e.Profile.Employees == nil || e.Profile.Revenue == nil || e.Profile.Founded == nil || e.Profile.SizeClass == "" {
			t.Errorf("%s has no full profile", e.ID)
		}
	}
}

func TestMatchingIsInteresting(t *testing.T) {
	es := Enterprises()
	for _, now := range []time.Time{demoNow, time.Now()} {
		counts := map[policies.MatchStatus]int{}
		own := map[policies.MatchStatus]int{}
		for _, p := range Policies(now) {
			if p.Status != policies.StatusPublished {
				continue
			}
			for _, e := range es {
				m := policies.MatchEnterprise(p, e, now)
				counts[m.Status]++
				if e.ID == "ent-001" {
					own[m.Status]++
				}
			}
		}
		for _, s := range []policies.MatchStatus{policies.Eligible, policies.NearMiss, policies.NeedsInfo, policies.Ineligible} {
			if counts[s] < 20 {
				t.Errorf("at %v: %d %s pairs, want at least 20", now, counts[s], s)
			}
		}
		if own[policies.Eligible] < 5 || own[policies.NearMiss] < 2 {
			t.Errorf("at %v: ent-001 is eligible for %d and near-miss for %d published policies, want at least 5 and 2",
				now, own[policies.Eligible], own[policies.NearMiss])
		}
		t.Logf("at %s: all pairs %v; ent-001 %v", now.Format(time.DateOnly), counts, own)
	}
}
