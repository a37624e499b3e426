package web

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/portal"
)

// exportColumn is one column of an exported table: its Chinese header and
// its width in characters (a Chinese character takes about two).
type exportColumn struct {
	Title string
	Width float64
}

// exportTable is a table every list page can hand out as XLSX or CSV. Rows
// calls emit once per row, in order, and returns the first error; rows are
// streamed, so a table of any length costs the same memory.
type exportTable struct {
	Name    string // sheet name and file name stem, in Chinese
	Columns []exportColumn
	Rows    func(emit func(row []any) error) error
	Loc     *time.Location // zone of time cells; nil is UTC
}

// exportFormat reads ?format=, which must be xlsx (the default) or csv.
func exportFormat(c *gin.Context) (string, error) {
	switch f := c.DefaultQuery("format", "xlsx"); f {
	case "xlsx", "csv":
		return f, nil
	default:
		return "", &portal.Error{Code: portal.EINVALID, Message: "导出格式只能是 xlsx 或 csv",
			Fields: map[string]string{"format": "导出格式只能是 xlsx 或 csv"}}
	}
}

// sendExport answers with t in the format ?format= asks for. The XLSX is
// built in excelize's stream writer (spilling to a temporary file beyond its
// buffer) before the first byte goes out, so a failing row still gets a
// proper error; CSV goes out as it is written.
func (s *Server) sendExport(c *gin.Context, t exportTable) {
	format, err := exportFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := fmt.Sprintf("%s-%s.%s", t.Name, time.Now().In(s.opt.Location).Format("20060102"), format)
	disposition := fmt.Sprintf(`attachment; filename="export.%s"; filename*=UTF-8''%s`, format, url.PathEscape(name))
	if format == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", disposition)
		c.Status(http.StatusOK)
		if err := writeCSV(c.Writer, t); err != nil {
			s.opt.Log.Error("csv export", "table", t.Name, "err", err)
			c.Abort()
		}
		return
	}
	f, err := buildXLSX(t)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", disposition)
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		s.opt.Log.Error("xlsx export", "table", t.Name, "err", err)
		c.Abort()
	}
}

// writeCSV writes t as UTF-8 CSV with a byte-order mark, without which
// Excel opens Chinese text as mojibake.
func writeCSV(w io.Writer, t exportTable) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	head := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		head[i] = col.Title
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	err := t.Rows(func(row []any) error {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = cellText(row[i], t.Loc)
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// buildXLSX lays t out on one sheet: bold frozen headers, the column widths
// asked for, numbers as numbers and everything else as text so that no code
// or phone number loses a digit.
func buildXLSX(t exportTable) (*excelize.File, error) {
	f := excelize.NewFile()
	fail := func(err error) (*excelize.File, error) {
		f.Close()
		return nil, err
	}
	sheet := t.Name
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fail(err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EAF1FA"}},
		Border: []excelize.Border{{Type: "bottom", Color: "7F8FA6", Style: 1}}})
	if err != nil {
		return fail(err)
	}
	for i, col := range t.Columns {
		if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	cells := make([]any, len(t.Columns))
	for i, col := range t.Columns {
		cells[i] = excelize.Cell{StyleID: head, Value: col.Title}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return fail(err)
	}
	n := 1
	err = t.Rows(func(row []any) error {
		n++
		for i := range cells {
			cells[i] = nil
			if i < len(row) {
				cells[i] = cellValue(row[i], t.Loc)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return fail(err)
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	return f, nil
}

// cellValue is v as an XLSX cell: numbers stay numbers, times become text
// in the district's zone, everything else is text.
func cellValue(v any, loc *time.Location) any {
	switch v.(type) {
	case int, int64, float64, nil:
		return v
	}
	return cellText(v, loc)
}

// cellText is v as CSV text.
func cellText(v any, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "是"
		}
		return "否"
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(loc).Format("2006-01-02 15:04")
	case *time.Time:
		if x == nil || x.IsZero() {
			return ""
		}
		return x.In(loc).Format("2006-01-02 15:04")
	}
	return fmt.Sprint(v)
}
