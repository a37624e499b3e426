package portal

import "testing"

func TestComputeSizeClass(t *testing.T) {
	i := func(n int) *int { return &n }
	f := func(n float64) *float64 { return &n }
	for _, tc := range []struct {
		name              string
		section, division string
		emp               *int
		rev, ast          *float64
		want              SizeClass
		missing           string
	}{
		{"manufacturing large", "C", "39", i(1000), f(40000), nil, SizeLarge, ""},
		{"manufacturing many people little revenue is medium", "C", "39", i(1500), f(3000), nil, SizeMedium, ""},
		{"manufacturing medium", "C", "39", i(300), f(2000), nil, SizeMedium, ""},
		{"manufacturing small", "C", "24", i(20), f(300), nil, SizeSmall, ""},
		{"manufacturing micro by people", "C", "24", i(19), f(5000), nil, SizeMicro, ""},
		{"manufacturing micro by revenue", "C", "24", i(200), f(299), nil, SizeMicro, ""},
		{"wholesale small", "F", "51", i(5), f(1000), nil, SizeSmall, ""},
		{"retail medium", "F", "52", i(50), f(500), nil, SizeMedium, ""},
		{"transport small", "G", "54", i(20), f(200), nil, SizeSmall, ""},
		{"warehousing medium", "G", "59", i(100), f(1000), nil, SizeMedium, ""},
		{"software small at 50", "I", "65", i(10), f(50), nil, SizeSmall, ""},
		{"construction by revenue and assets", "E", "48", nil, f(6000), f(5000), SizeMedium, ""},
		{"construction missing assets", "E", "48", nil, f(6000), nil, "", "assets"},
		{"leasing by people and assets", "L", "72", i(10), nil, f(100), SizeSmall, ""},
		{"agriculture by revenue only", "A", "01", nil, f(500), nil, SizeMedium, ""},
		{"other industries by people", "P", "83", i(100), nil, nil, SizeMedium, ""},
		{"missing employees", "C", "39", nil, f(100), nil, "", "employees"},
		{"no industry", "", "", i(10), f(10), nil, "", "industry"},
	} {
		got, missing := ComputeSizeClass(tc.section, tc.division, tc.emp, tc.rev, tc.ast)
		if got != tc.want || missing != tc.missing {
			t.Errorf("%s: got %q missing %q, want %q missing %q", tc.name, got, missing, tc.want, tc.missing)
		}
	}
}
