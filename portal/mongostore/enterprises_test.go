package mongostore_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// mustEnterpriseStore returns a store on a fresh database holding the
// twelve hand-written demo enterprises, with a fixed clock.
func mustEnterpriseStore(t *testing.T) *mongostore.EnterpriseStore {
	t.Helper()
	db := portaltest.DB(t)
	db.SetClock(func() time.Time { return clock })
	s := mongostore.NewEnterpriseStore(db)
	for _, e := range demo.Enterprises()[:12] {
		portaltest.Must(t, s.CreateEnterprise(ctxT(t), e), "create %s", e.ID)
	}
	return s
}

func entIDs(es []*portal.Enterprise) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	slices.Sort(out)
	return out
}

// storeUSCC returns a valid USCC numbered n, unlike any demo one.
func storeUSCC(t *testing.T, n int) string {
	t.Helper()
	first17 := fmt.Sprintf("91440308DB00%05d", n)
	c, err := portal.USCCCheckChar(first17)
	portaltest.Must(t, err, "check char")
	return first17 + string(c)
}

func TestFindEnterprisesAnyOf(t *testing.T) {
	s := mustEnterpriseStore(t)
	liaison, chain := "u-liaison2", "chain-health"
	for _, tc := range []struct {
		name  string
		f     portal.EnterpriseFilter
		anyOf []portal.EnterpriseFilter
		want  []string
	}{
		{"nil scope restricts nothing", portal.EnterpriseFilter{}, nil, nil},
		{"empty scope matches nothing", portal.EnterpriseFilter{}, []portal.EnterpriseFilter{}, []string{}},
		{"one clause", portal.EnterpriseFilter{}, []portal.EnterpriseFilter{{LiaisonID: &liaison}}, []string{"ent-002", "ent-005", "ent-006"}},
		{"union of clauses", portal.EnterpriseFilter{}, []portal.EnterpriseFilter{{LiaisonID: &liaison}, {ChainID: &chain}, {IDs: []string{"ent-012"}}},
			[]string{"ent-002", "ent-005", "ent-006", "ent-007", "ent-008", "ent-012"}},
		{"units and a query, both with $or", portal.EnterpriseFilter{Q: "海港"}, []portal.EnterpriseFilter{{UnitIn: []string{"sd-haigang", "p-logistics"}}},
			[]string{"ent-003"}},
		{"query by USCC inside the scope", portal.EnterpriseFilter{Q: "ma5g00002"}, []portal.EnterpriseFilter{{LiaisonID: &liaison}, {UnitIn: []string{"sd-meilin"}}},
			[]string{"ent-002"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.FindEnterprisesAnyOf(ctxT(t), tc.f, tc.anyOf)
			portaltest.Must(t, err, "find")
			want := tc.want
			if want == nil {
				want = entIDs(demo.Enterprises()[:12])
			}
			if ids := entIDs(got); !slices.Equal(ids, want) || total != len(want) {
				t.Errorf("got %v (total %d), want %v", ids, total, want)
			}
		})
	}
	t.Run("pages are ordered by name", func(t *testing.T) {
		got, total, err := s.FindEnterprisesAnyOf(ctxT(t), portal.EnterpriseFilter{Offset: 1, Limit: 2},
			[]portal.EnterpriseFilter{{LiaisonID: &liaison}})
		portaltest.Must(t, err, "find")
		if total != 3 || len(got) != 2 || got[0].Name > got[1].Name {
			t.Errorf("page %v of %d", entIDs(got), total)
		}
	})
	t.Run("FindEnterprises with units and a query", func(t *testing.T) {
		got, _, err := s.FindEnterprises(ctxT(t), portal.EnterpriseFilter{Q: "航运", UnitIn: []string{"sd-haigang", "c-haigang-gangqian"}})
		portaltest.Must(t, err, "find")
		if ids := entIDs(got); !slices.Equal(ids, []string{"ent-010"}) {
			t.Errorf("got %v", ids)
		}
	})
}

func TestFindEnterprisesByUSCCs(t *testing.T) {
	s := mustEnterpriseStore(t)
	codes := []string{demo.Enterprises()[0].USCC, demo.Enterprises()[11].USCC}
	for i := 0; i < 600; i++ { // more than one batch
		codes = append(codes, storeUSCC(t, i))
	}
	got, err := s.FindEnterprisesByUSCCs(ctxT(t), codes)
	portaltest.Must(t, err, "find")
	if ids := entIDs(got); !slices.Equal(ids, []string{"ent-001", "ent-012"}) {
		t.Errorf("got %v", ids)
	}
	got, err = s.FindEnterprisesByUSCCs(ctxT(t), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("no codes: %v, %v", entIDs(got), err)
	}
}

func TestInsertEnterprises(t *testing.T) {
	s := mustEnterpriseStore(t)
	var batch []*portal.Enterprise
	for i := 0; i < 700; i++ {
		batch = append(batch, &portal.Enterprise{USCC: storeUSCC(t, i), Name: fmt.Sprintf("批量企业%d有限公司", i)})
	}
	// A code stored already and one repeated inside the batch, each in a different batch of 500.
	batch[3].USCC = demo.Enterprises()[2].USCC
	batch[650].USCC = batch[10].USCC
	errs, err := s.InsertEnterprises(ctxT(t), batch)
	portaltest.Must(t, err, "insert")
	for i, e := range errs {
		refused := i == 3 || i == 650
		if refused && portal.ErrorFields(e)["uscc"] == "" {
			t.Errorf("enterprise %d: %v, want refused for its USCC", i, e)
		}
		if !refused && e != nil {
			t.Errorf("enterprise %d: %v", i, e)
		}
	}
	_, total, err := s.FindEnterprises(ctxT(t), portal.EnterpriseFilter{Limit: 1})
	portaltest.Must(t, err, "count")
	if total != 12+698 {
		t.Errorf("%d stored, want %d", total, 12+698)
	}
	got, err := s.FindEnterpriseByUSCC(ctxT(t), storeUSCC(t, 5))
	portaltest.Must(t, err, "find")
	if got.Name != "批量企业5有限公司" || !got.CreatedAt.Equal(clock) || got.ID == "" {
		t.Errorf("stored %+v", got)
	}
	t.Run("an invalid enterprise refuses the whole call", func(t *testing.T) {
		_, err := s.InsertEnterprises(ctxT(t), []*portal.Enterprise{{USCC: storeUSCC(t, 900), Name: "好企业有限公司"}, {USCC: "bad", Name: "x"}})
		if err == nil {
			t.Fatal("invalid enterprise accepted")
		}
		if _, err := s.FindEnterpriseByUSCC(ctxT(t), storeUSCC(t, 900)); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("the valid one was stored: %v", err)
		}
	})
}

func TestUpdateEnterprises(t *testing.T) {
	s := mustEnterpriseStore(t)
	a, err := s.FindEnterpriseByID(ctxT(t), "ent-001")
	portaltest.Must(t, err, "find")
	b, err := s.FindEnterpriseByID(ctxT(t), "ent-002")
	portaltest.Must(t, err, "find")
	class := a.Profile.SizeClass
	a.ContactName, a.ChainIDs = "新联系人", []string{"chain-port", "chain-tourism"}
	b.USCC, b.Name = storeUSCC(t, 1), "金沙珠宝集团有限公司" // the USCC is not written
	b.IndustrySection, b.IndustryDivision = "I", "65"
	portaltest.Must(t, s.UpdateEnterprises(ctxT(t), []*portal.Enterprise{a, b}), "update")
	gotA, _ := s.FindEnterpriseByID(ctxT(t), "ent-001")
	gotB, _ := s.FindEnterpriseByID(ctxT(t), "ent-002")
	if gotA.ContactName != "新联系人" || len(gotA.ChainIDs) != 2 || gotA.Profile.SizeClass != class || gotA.Profile.Employees == nil {
		t.Errorf("ent-001 %+v", gotA)
	}
	if gotB.Name != "金沙珠宝集团有限公司" || gotB.USCC != demo.Enterprises()[1].USCC || gotB.Profile.Employees == nil {
		t.Errorf("ent-002 %+v", gotB)
	}
	want := *gotB
	want.Classify()
	if gotB.Profile.SizeClass != want.Profile.SizeClass {
		t.Errorf("size class %q kept after the industry changed, want %q", gotB.Profile.SizeClass, want.Profile.SizeClass)
	}
}
