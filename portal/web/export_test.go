package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/portal/portaltest"
)

// cellName is the A1 name of column col and row row, both from 1.
func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// xlsxRows opens an XLSX answer and returns the rows of its first sheet.
func xlsxRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open xlsx: %v (%d bytes: %.200q)", err, len(data), data)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	portaltest.Must(t, err, "read rows")
	return rows
}

// exportSample is a table with every kind of cell an export holds.
func exportSample(fail bool) exportTable {
	at := time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)
	return exportTable{Name: "导出测试", Loc: time.FixedZone("CST", 8*3600),
		Columns: []exportColumn{{"统一社会信用代码", 22}, {"企业名称", 30}, {"受理数", 8}, {"满意率（%）", 12}, {"受理时间", 18}, {"紧急", 6}, {"备注", 10}},
		Rows: func(emit func([]any) error) error {
			rows := [][]any{
				{"0914403001234567XY", "海湾港口物流有限公司", 12, 98.5, at, true, nil},
				{"00123", "“引号”, 逗号\n换行", int64(0), "—", &at, false, "=SUM(A1)"},
			}
			for i, r := range rows {
				if fail && i == 1 {
					return errors.New("the store went away")
				}
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		}}
}

// TestExportXLSX opens the XLSX with excelize: Chinese headers in bold on
// a frozen first row, the widths asked for, numbers as numbers, codes and
// formulas as text, times in the district's zone.
func TestExportXLSX(t *testing.T) {
	ts := newTestServer(t)
	ts.engine.GET("/test-export", func(c *gin.Context) { ts.sendExport(c, exportSample(c.Query("fail") != "")) })
	res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/test-export"})
	if res.Code != http.StatusOK || !strings.Contains(res.Header().Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(res.Header().Get("Content-Disposition"), "filename*=UTF-8''%E5%AF%BC%E5%87%BA%E6%B5%8B%E8%AF%95-") {
		t.Fatalf("xlsx: %d %v", res.Code, res.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	portaltest.Must(t, err, "open")
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "导出测试" {
		t.Errorf("sheet %q", sheet)
	}
	rows, err := f.GetRows(sheet)
	portaltest.Must(t, err, "rows")
	want := [][]string{
		{"统一社会信用代码", "企业名称", "受理数", "满意率（%）", "受理时间", "紧急", "备注"},
		{"0914403001234567XY", "海湾港口物流有限公司", "12", "98.5", "2026-11-23 09:30", "是"},
		{"00123", "“引号”, 逗号\n换行", "0", "—", "2026-11-23 09:30", "否", "=SUM(A1)"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i+1, rows[i], want[i])
		}
	}
	for _, c := range []struct {
		cell string
		typ  excelize.CellType
	}{{"C2", excelize.CellTypeNumber}, {"D2", excelize.CellTypeNumber}, {"C3", excelize.CellTypeNumber},
		{"A3", excelize.CellTypeInlineString}, {"D3", excelize.CellTypeInlineString}, {"G3", excelize.CellTypeInlineString}} {
		typ, err := f.GetCellType(sheet, c.cell)
		portaltest.Must(t, err, "type of %s", c.cell)
		// The stream writer leaves the type of numbers unset (numeric by default).
		if typ != c.typ && !(c.typ == excelize.CellTypeNumber && typ == excelize.CellTypeUnset) &&
			!(c.typ == excelize.CellTypeInlineString && typ == excelize.CellTypeSharedString) {
			t.Errorf("%s has type %v, want %v", c.cell, typ, c.typ)
		}
	}
	if formula, _ := f.GetCellFormula(sheet, "G3"); formula != "" {
		t.Errorf("a text cell became the formula %q", formula)
	}
	for col, w := range map[string]float64{"A": 22, "B": 30, "C": 8} {
		got, err := f.GetColWidth(sheet, col)
		portaltest.Must(t, err, "width of %s", col)
		if got != w {
			t.Errorf("column %s width %v, want %v", col, got, w)
		}
	}
	style, err := f.GetCellStyle(sheet, "A1")
	portaltest.Must(t, err, "header style")
	st, err := f.GetStyle(style)
	portaltest.Must(t, err, "style")
	if st.Font == nil || !st.Font.Bold {
		t.Errorf("header is not bold: %+v", st.Font)
	}
	panes, err := f.GetPanes(sheet)
	portaltest.Must(t, err, "panes")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("the header row is not frozen: %+v", panes)
	}

	// A row that fails before anything is sent gets an error page, not a
	// truncated file.
	bad := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/test-export?fail=1"})
	if bad.Code != http.StatusInternalServerError || strings.Contains(bad.Header().Get("Content-Type"), "spreadsheetml") {
		t.Errorf("failing rows: %d %s", bad.Code, bad.Header().Get("Content-Type"))
	}
}

// TestExportCSV parses the CSV back: a byte-order mark for Excel, the
// same headers and cells, quotes, commas and line breaks kept.
func TestExportCSV(t *testing.T) {
	ts := newTestServer(t)
	ts.engine.GET("/test-export", func(c *gin.Context) { ts.sendExport(c, exportSample(false)) })
	res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/test-export?format=csv"})
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(res.Header().Get("Content-Disposition"), ".csv") {
		t.Fatalf("csv: %d %v", res.Code, res.Header())
	}
	body := res.Body.String()
	if !strings.HasPrefix(body, "\uFEFF") {
		t.Fatalf("no byte-order mark: %.20q", body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	portaltest.Must(t, err, "parse csv")
	want := [][]string{
		{"统一社会信用代码", "企业名称", "受理数", "满意率（%）", "受理时间", "紧急", "备注"},
		{"0914403001234567XY", "海湾港口物流有限公司", "12", "98.5", "2026-11-23 09:30", "是", ""},
		{"00123", "“引号”, 逗号\n换行", "0", "—", "2026-11-23 09:30", "否", "=SUM(A1)"},
	}
	if len(recs) != len(want) {
		t.Fatalf("records %q", recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d: %q, want %q", i+1, recs[i], want[i])
		}
	}
}

// TestExportBadFormat: any format but xlsx and csv is a 400 naming the
// parameter, and no rows are read.
func TestExportBadFormat(t *testing.T) {
	ts := newTestServer(t)
	read := false
	ts.engine.GET("/api/v1/test-export", func(c *gin.Context) {
		tbl := exportSample(false)
		rows := tbl.Rows
		tbl.Rows = func(emit func([]any) error) error { read = true; return rows(emit) }
		ts.sendExport(c, tbl)
	})
	for _, format := range []string{"pdf", "XLSX", "xls", ""} {
		res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/api/v1/test-export?format=" + format})
		if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), `"format":"导出格式只能是 xlsx 或 csv"`) {
			t.Errorf("format %q: %d %s", format, res.Code, res.Body.String())
		}
	}
	read = false
	ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/api/v1/test-export?format=doc"})
	if read {
		t.Error("a refused format read the rows")
	}
}
