package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// matchRoutes registers matchmaking: profile edits, an enterprise's
// matches, a policy's matches and its 免申即享 list. Every route needs a
// verified actor; the Matcher decides what each may see and do.
func (s *Server) matchRoutes(api *gin.RouterGroup) {
	api.PUT("/enterprises/:id/profile", s.apiUpdateProfile)
	api.GET("/enterprises/:id/matches", s.apiEnterpriseMatches)
	api.GET("/policies/:id/matches", s.apiPolicyMatches)
	api.GET("/policies/:id/auto-grant", s.apiAutoGrant)
	api.GET("/policies/:id/auto-grant.xlsx", s.apiAutoGrantXLSX)
}

// pageParams reads page and per_page (0 when absent), naming a parameter
// that is not a positive integer.
func pageParams(c *gin.Context) (page, perPage int, err error) {
	f := map[string]string{}
	for _, p := range []struct {
		name string
		to   *int
	}{{"page", &page}, {"per_page", &perPage}} {
		v := strings.TrimSpace(c.Query(p.name))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			f[p.name] = "必须是正整数"
			continue
		}
		*p.to = n
	}
	if len(f) > 0 {
		return 0, 0, portal.Invalid("分页参数必须是正整数", f)
	}
	return page, perPage, nil
}

// apiUpdateProfile answers PUT /api/v1/enterprises/{id}/profile.
func (s *Server) apiUpdateProfile(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in policies.ProfileInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.opt.Matcher.UpdateProfile(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// apiEnterpriseMatches answers GET /api/v1/enterprises/{id}/matches.
func (s *Server) apiEnterpriseMatches(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	m, err := s.opt.Matcher.MatchForEnterprise(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// apiPolicyMatches answers GET /api/v1/policies/{id}/matches.
func (s *Server) apiPolicyMatches(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.opt.Matcher.MatchesForPolicy(c.Request.Context(), c.Param("id"), page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// apiAutoGrant answers GET /api/v1/policies/{id}/auto-grant.
func (s *Server) apiAutoGrant(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	list, err := s.opt.Matcher.AutoGrant(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, list)
}

// apiAutoGrantXLSX answers GET /api/v1/policies/{id}/auto-grant.xlsx: the
// same list as a workbook for the department that grants the benefit.
func (s *Server) apiAutoGrantXLSX(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	list, err := s.opt.Matcher.AutoGrant(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	day := list.GeneratedAt.In(s.opt.Location)
	b, err := autoGrantWorkbook(list, day)
	if err != nil {
		s.fail(c, portal.Internal(err))
		return
	}
	name := fmt.Sprintf("免申即享名单-%s-%s.xlsx", list.Policy.Title, day.Format("20060102"))
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="auto-grant-%s.xlsx"; filename*=UTF-8''%s`,
		day.Format("20060102"), url.PathEscape(name)))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// autoGrantColumns are the workbook's headers and column widths (in
// characters; a Chinese character takes about two).
var autoGrantColumns = []struct {
	header string
	width  float64
}{{"序号", 7}, {"企业名称", 40}, {"统一社会信用代码", 24}, {"联系人", 12}, {"联系电话", 16}, {"地址", 48}}

// autoGrantWorkbook lays the list out on one sheet: a title row naming the
// policy and the date, the headers, then one row per enterprise. Codes and
// phone numbers are written as text so that no digit is lost.
func autoGrantWorkbook(list *policies.AutoGrantList, day time.Time) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "免申即享名单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(autoGrantColumns))
	title := fmt.Sprintf("《%s》免申即享企业名单（%s 导出，共 %d 家）", list.Policy.Title, day.Format("2006年1月2日"), list.Total)
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return nil, err
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return nil, err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", titleStyle); err != nil {
		return nil, err
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return nil, err
	}
	headerStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EAF1FA"}},
		Border: []excelize.Border{{Type: "bottom", Color: "7F8FA6", Style: 1}}})
	if err != nil {
		return nil, err
	}
	for i, col := range autoGrantColumns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(sheet, name+"2", col.header); err != nil {
			return nil, err
		}
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(sheet, "A2", last+"2", headerStyle); err != nil {
		return nil, err
	}
	for i, e := range list.Items {
		row := i + 3
		if err := f.SetCellInt(sheet, fmt.Sprintf("A%d", row), int64(i+1)); err != nil {
			return nil, err
		}
		for j, v := range []string{e.Name, e.USCC, e.ContactName, e.ContactPhone, e.Address} {
			name, _ := excelize.ColumnNumberToName(j + 2)
			if err := f.SetCellStr(sheet, fmt.Sprintf("%s%d", name, row), v); err != nil {
				return nil, err
			}
		}
	}
	// Keep the title and headers in view while scrolling a long list.
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
