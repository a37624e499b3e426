package portal

import (
	"context"
	"fmt"
)

// UnitSubtree returns root and every unit below it in the org tree.
func UnitSubtree(ctx context.Context, org OrgStore, root string) ([]string, error) {
	units, err := org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	children := map[string][]string{}
	known := false
	for _, u := range units {
		children[u.ParentID] = append(children[u.ParentID], u.ID)
		known = known || u.ID == root
	}
	if !known {
		return nil, Errorf(ENOTFOUND, "单位不存在")
	}
	out := []string{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}

// findVisible reads one object and answers notFound — never the store's
// own error — when it is missing or the actor may not see it, so that ids
// cannot be probed.
func findVisible[T any](ctx context.Context, id string, find func(context.Context, string) (*T, error),
	canSee func(context.Context, *T) (bool, error), notFound error) (*T, error) {
	x, err := find(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	ok, err := canSee(ctx, x)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound
	}
	return x, nil
}

// checkPaging defaults page (to 1) and perPage (to def) when they are 0
// and names either in f when it is out of bounds; the page number is capped
// at maxListPage.
func checkPaging(f map[string]string, page, perPage *int, def, maxPerPage int) {
	if *page == 0 {
		*page = 1
	}
	if *page < 1 || *page > maxListPage {
		f["page"] = fmt.Sprintf("页码必须是 1–%d 的整数", maxListPage)
	}
	if *perPage == 0 {
		*perPage = def
	}
	if *perPage < 1 || *perPage > maxPerPage {
		f["per_page"] = fmt.Sprintf("每页条数应为 1–%d", maxPerPage)
	}
}
