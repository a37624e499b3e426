package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"
)

// The OpenAPI 3 description of /api/v1 is kept in fragments, one per area
// (openapi/*.json, merged in name order): each has "paths" and
// "components"; the first also has the header. A test fails when a
// registered route is missing from the merged document.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

// openAPIDoc is the merged document served at /api/openapi.json.
var openAPIDoc = mustMergeOpenAPI()

func mustMergeOpenAPI() []byte {
	b, err := mergeOpenAPI(openAPIFragments)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	doc := map[string]any{}
	paths := map[string]any{}
	components := map[string]map[string]any{}
	for _, n := range names {
		raw, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", n, err)
		}
		for k, v := range frag {
			switch k {
			case "paths":
				for p, ops := range v.(map[string]any) {
					if _, dup := paths[p]; dup {
						return nil, fmt.Errorf("openapi fragment %s: path %s is described twice", n, p)
					}
					paths[p] = ops
				}
			case "components":
				for kind, items := range v.(map[string]any) {
					if components[kind] == nil {
						components[kind] = map[string]any{}
					}
					for name, item := range items.(map[string]any) {
						if _, dup := components[kind][name]; dup {
							return nil, fmt.Errorf("openapi fragment %s: components.%s.%s is defined twice", n, kind, name)
						}
						components[kind][name] = item
					}
				}
			default:
				doc[k] = v
			}
		}
	}
	doc["paths"] = paths
	doc["components"] = components
	return json.MarshalIndent(doc, "", "  ")
}

func (s *Server) openAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", openAPIDoc)
}
