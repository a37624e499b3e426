package portal_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func newCategoryService(w *portaltest.World) *portal.CategoryService {
	return &portal.CategoryService{Store: mongostore.NewCategoryStore(w.DB), Audit: w.Requests.Audit}
}

// categorySnapshot is every stored category, for "nothing changed" checks.
func categorySnapshot(t *testing.T, w *portaltest.World) string {
	t.Helper()
	all, err := mongostore.NewCategoryStore(w.DB).AllCategories(context.Background())
	portaltest.Must(t, err, "categories")
	var b strings.Builder
	for _, c := range all {
		b.WriteString(c.Code + "|" + c.Name + "|")
		for _, x := range c.Types {
			b.WriteString(string(x) + ",")
		}
		b.WriteString("|" + strconv.FormatBool(c.Active) + ";")
	}
	return b.String()
}

func TestCategoryAdmin(t *testing.T) {
	w := newRoutingWorld(t)
	svc := newCategoryService(w)
	admin := w.As(t, "admin")

	t.Run("List", func(t *testing.T) {
		items, err := svc.List(admin)
		portaltest.Must(t, err, "list")
		if len(items) != len(portal.DefaultCategories()) || items[0].Code != "policy" || items[0].Order != 10 || !items[0].Active ||
			items[0].TypeNames[0] != "咨询" {
			t.Fatalf("list %+v", items[0])
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		for _, who := range []string{"dispatcher", "enterprise", "editor"} {
			ctx := w.As(t, who)
			_, err := svc.List(ctx)
			admWantCode(t, err, portal.EFORBIDDEN)
			_, err = svc.Create(ctx, portal.CategoryInput{Code: "energy", Name: "越权分类", Types: []portal.RequestType{portal.TypeHelp}})
			admWantCode(t, err, portal.EFORBIDDEN)
			_, err = svc.Update(ctx, "traffic", portal.CategoryInput{Name: "越权改名", Types: []portal.RequestType{portal.TypeHelp}})
			admWantCode(t, err, portal.EFORBIDDEN)
		}
		_, err := svc.List(context.Background())
		admWantCode(t, err, portal.EUNAUTHENTICATED)
	})

	before := categorySnapshot(t, w)
	for _, tc := range []struct {
		name   string
		in     portal.CategoryInput
		fields []string
	}{
		{"code with capitals", portal.CategoryInput{Code: "Energy", Name: "能源保供", Types: []portal.RequestType{portal.TypeHelp}}, []string{"code"}},
		{"code too short", portal.CategoryInput{Code: "e", Name: "能源保供", Types: []portal.RequestType{portal.TypeHelp}}, []string{"code"}},
		{"code too long", portal.CategoryInput{Code: strings.Repeat("e", 33), Name: "能源保供", Types: []portal.RequestType{portal.TypeHelp}}, []string{"code"}},
		{"code taken", portal.CategoryInput{Code: "traffic", Name: "能源保供", Types: []portal.RequestType{portal.TypeHelp}}, []string{"code"}},
		{"name too short", portal.CategoryInput{Code: "energy", Name: "能", Types: []portal.RequestType{portal.TypeHelp}}, []string{"name"}},
		{"name too long", portal.CategoryInput{Code: "energy", Name: strings.Repeat("能", 21), Types: []portal.RequestType{portal.TypeHelp}}, []string{"name"}},
		{"name taken", portal.CategoryInput{Code: "energy", Name: "交通出行", Types: []portal.RequestType{portal.TypeHelp}}, []string{"name"}},
		{"no types", portal.CategoryInput{Code: "energy", Name: "能源保供"}, []string{"types"}},
		{"unknown type", portal.CategoryInput{Code: "energy", Name: "能源保供", Types: []portal.RequestType{"praise"}}, []string{"types"}},
		{"negative order", portal.CategoryInput{Code: "energy", Name: "能源保供", Types: []portal.RequestType{portal.TypeHelp}, Order: intp(-1)}, []string{"order"}},
		{"everything", portal.CategoryInput{Code: "能源", Name: "", Order: intp(10000)}, []string{"code", "name", "types", "order"}},
	} {
		t.Run("ErrCreate/"+tc.name, func(t *testing.T) {
			_, err := svc.Create(admin, tc.in)
			wantFields(t, err, tc.fields...)
		})
	}
	for _, tc := range []struct {
		name   string
		code   string
		in     portal.CategoryInput
		fields []string
	}{
		{"code changed", "traffic", portal.CategoryInput{Code: "transport", Name: "交通出行", Types: []portal.RequestType{portal.TypeHelp}}, []string{"code"}},
		{"name of another", "traffic", portal.CategoryInput{Name: "政策咨询", Types: []portal.RequestType{portal.TypeHelp}}, []string{"name"}},
		{"no types", "traffic", portal.CategoryInput{Name: "交通出行"}, []string{"types"}},
	} {
		t.Run("ErrUpdate/"+tc.name, func(t *testing.T) {
			_, err := svc.Update(admin, tc.code, tc.in)
			wantFields(t, err, tc.fields...)
		})
	}
	_, err := svc.Update(admin, "no-such", portal.CategoryInput{Name: "不存在", Types: []portal.RequestType{portal.TypeHelp}})
	admWantCode(t, err, portal.ENOTFOUND)
	if after := categorySnapshot(t, w); after != before {
		t.Fatalf("refused input changed the taxonomy:\n%s\n%s", before, after)
	}
	if got := auditActions(t, w, "category."); len(got) != 6 || slices.Contains(got, "category.create:ok") {
		t.Errorf("audit %v, want only the six denials", got)
	}

	t.Run("Create", func(t *testing.T) {
		c, err := svc.Create(admin, portal.CategoryInput{Code: "energy", Name: " 能源保供 ",
			Types: []portal.RequestType{portal.TypeSuggestion, portal.TypeHelp, portal.TypeHelp}})
		portaltest.Must(t, err, "create")
		if c.Name != "能源保供" || !slices.Equal(c.Types, []portal.RequestType{portal.TypeHelp, portal.TypeSuggestion}) ||
			c.Order != 110 || !c.Active {
			t.Errorf("created %+v", c)
		}
		active, err := mongostore.NewCategoryStore(w.DB).ActiveCategories(context.Background())
		portaltest.Must(t, err, "active")
		if active[len(active)-1].Code != "energy" {
			t.Errorf("the new category is not offered last: %v", active[len(active)-1].Code)
		}
	})

	t.Run("DeactivateKeepsOldRequestsReadable", func(t *testing.T) {
		r, err := w.Requests.File(w.As(t, "enterprise"), goodInput(), nil)
		portaltest.Must(t, err, "file a traffic request")
		c, err := svc.Update(admin, "traffic", portal.CategoryInput{Name: "交通出行", Types: []portal.RequestType{portal.TypeHelp}, Active: boolp(false)})
		portaltest.Must(t, err, "deactivate")
		if c.Active || c.Order != 60 {
			t.Errorf("deactivated %+v", c)
		}
		_, err = w.Requests.File(w.As(t, "enterprise"), goodInput(), nil)
		wantFields(t, err, "category")
		old, err := w.Requests.Get(w.As(t, "enterprise"), r.ID)
		portaltest.Must(t, err, "read the old request")
		cat, err := w.Requests.Categories.CategoryByCode(context.Background(), old.Category)
		portaltest.Must(t, err, "its category")
		if cat.Name != "交通出行" || cat.Active {
			t.Errorf("old request's category %+v", cat)
		}
		_, err = svc.Update(admin, "traffic", portal.CategoryInput{Code: "traffic", Name: "交通出行", Types: []portal.RequestType{portal.TypeHelp}, Active: boolp(true)})
		portaltest.Must(t, err, "reactivate")
	})

	got := auditActions(t, w, "category.")
	for _, want := range []string{"category.create:ok", "category.update:ok"} {
		if !slices.Contains(got, want) {
			t.Errorf("audit %v lacks %s", got, want)
		}
	}
}
