package web

import "github.com/huiqi/huiqi/portal"

// navItem is one entry of the main navigation.
type navItem struct {
	Label string
	Path  string
}

// navByRole lists the pages each role can reach, in the order shown. Each
// role's pages join as they are built; a test checks every entry answers.
var navByRole = []struct {
	Role  portal.Role
	Items []navItem
}{}

// navFor returns the navigation for the actor: public entries for
// everyone, then those of each role the actor holds, without repeats.
func navFor(a *portal.Actor) []navItem {
	items := []navItem{{"首页", "/"}, {"政策查询", "/policies"}}
	seen := map[string]bool{"/": true, "/policies": true}
	for _, r := range navByRole {
		if !a.Has(r.Role) {
			continue
		}
		for _, it := range r.Items {
			if !seen[it.Path] {
				seen[it.Path] = true
				items = append(items, it)
			}
		}
	}
	return items
}
