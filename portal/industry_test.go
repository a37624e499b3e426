package portal_test

import (
	"fmt"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

// TestIndustriesTable checks the GB/T 4754-2017 table: twenty sections A–T
// in order, divisions 01–97 each present once, in ascending order, each in
// exactly one section.
func TestIndustriesTable(t *testing.T) {
	if len(portal.Industries) != 20 {
		t.Fatalf("%d sections, want 20 (A–T)", len(portal.Industries))
	}
	owner := map[string]string{}
	prev := 0
	for i, in := range portal.Industries {
		if want := string(rune('A' + i)); in.Section != want {
			t.Errorf("section %d is %q, want %q", i, in.Section, want)
		}
		if in.Name == "" || len(in.Divisions) == 0 {
			t.Errorf("section %s has no name or no divisions", in.Section)
		}
		for _, d := range in.Divisions {
			if other, dup := owner[d.Code]; dup {
				t.Errorf("division %s is in sections %s and %s", d.Code, other, in.Section)
			}
			owner[d.Code] = in.Section
			var n int
			if _, err := fmt.Sscanf(d.Code, "%02d", &n); err != nil || len(d.Code) != 2 {
				t.Errorf("division code %q is not two digits", d.Code)
				continue
			}
			if n != prev+1 {
				t.Errorf("division %s follows %02d; divisions must run 01–97 without gaps", d.Code, prev)
			}
			prev = n
			if d.Name == "" {
				t.Errorf("division %s has no name", d.Code)
			}
		}
	}
	for n := 1; n <= 97; n++ {
		if _, ok := owner[fmt.Sprintf("%02d", n)]; !ok {
			t.Errorf("division %02d is missing", n)
		}
	}
	if len(owner) != 97 {
		t.Errorf("%d divisions, want 97", len(owner))
	}
}

func TestDivisionSection(t *testing.T) {
	for _, tc := range []struct {
		code, section, name string
	}{
		{"01", "A", "农业"},
		{"05", "A", "农、林、牧、渔专业及辅助性活动"},
		{"06", "B", "煤炭开采和洗选业"},
		{"13", "C", "农副食品加工业"},
		{"24", "C", "文教、工美、体育和娱乐用品制造业"},
		{"39", "C", "计算机、通信和其他电子设备制造业"},
		{"43", "C", "金属制品、机械和设备修理业"},
		{"44", "D", "电力、热力生产和供应业"},
		{"50", "E", "建筑装饰、装修和其他建筑业"},
		{"52", "F", "零售业"},
		{"58", "G", "多式联运和运输代理业"},
		{"62", "H", "餐饮业"},
		{"65", "I", "软件和信息技术服务业"},
		{"70", "K", "房地产业"},
		{"74", "M", "专业技术服务业"},
		{"83", "P", "教育"},
		{"96", "S", "基层群众自治组织"},
		{"97", "T", "国际组织"},
	} {
		section, name, ok := portal.DivisionSection(tc.code)
		if !ok || section != tc.section || name != tc.name {
			t.Errorf("DivisionSection(%q) = %q, %q, %v; want %q, %q", tc.code, section, name, ok, tc.section, tc.name)
		}
	}
	for _, bad := range []string{"", "0", "1", "00", "98", "99", "5", "058", "A", "C13"} {
		if s, n, ok := portal.DivisionSection(bad); ok {
			t.Errorf("DivisionSection(%q) = %q, %q, found; want not found", bad, s, n)
		}
	}
}

func TestIndustrySection(t *testing.T) {
	for _, tc := range []struct {
		section, name string
		divisions     int
	}{
		{"A", "农、林、牧、渔业", 5},
		{"C", "制造业", 31},
		{"G", "交通运输、仓储和邮政业", 8},
		{"K", "房地产业", 1},
		{"T", "国际组织", 1},
	} {
		in, ok := portal.IndustrySection(tc.section)
		if !ok || in.Name != tc.name || len(in.Divisions) != tc.divisions {
			t.Errorf("IndustrySection(%q) = %q with %d divisions, %v; want %q with %d", tc.section, in.Name, len(in.Divisions), ok, tc.name, tc.divisions)
		}
	}
	for _, bad := range []string{"", "a", "U", "Z", "AB", "01"} {
		if in, ok := portal.IndustrySection(bad); ok {
			t.Errorf("IndustrySection(%q) = %q, found; want not found", bad, in.Name)
		}
	}
}
