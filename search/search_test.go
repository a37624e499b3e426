package search_test

import (
	"reflect"
	"testing"

	"github.com/huiqi/huiqi/search"
)

func TestQueryNormalize(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   search.Query
		want search.Query
	}{
		{"Defaults", search.Query{Text: "交通"}, search.Query{Text: "交通", Page: 1, PerPage: 20}},
		{"Negative", search.Query{Page: -3, PerPage: -1}, search.Query{Page: 1, PerPage: 20}},
		{"Kept", search.Query{Page: 7, PerPage: 50}, search.Query{Page: 7, PerPage: 50}},
		{"MaxPerPage", search.Query{Page: 1, PerPage: 100}, search.Query{Page: 1, PerPage: 100}},
		{"CappedPerPage", search.Query{Page: 2, PerPage: 5000}, search.Query{Page: 2, PerPage: 100}},
		{"MinPerPage", search.Query{Page: 1, PerPage: 1}, search.Query{Page: 1, PerPage: 1}},
		{"KeepsTheRest", search.Query{Text: "补贴", Sort: []string{"-published_at"}, Facets: []string{"category"}},
			search.Query{Text: "补贴", Sort: []string{"-published_at"}, Facets: []string{"category"}, Page: 1, PerPage: 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.Normalize(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%+v.Normalize() = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}
