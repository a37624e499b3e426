package portal_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// importFile is the rows of a test import; row 1 is the header.
type importFile [][]string

func (f importFile) csv(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	portaltest.Must(t, w.WriteAll(f), "write csv")
	return b.Bytes()
}

func (f importFile) xlsx(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, row := range f {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		if len(cells) > 0 {
			portaltest.Must(t, x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &cells), "row %d", i+1)
		}
	}
	buf, err := x.WriteToBuffer()
	portaltest.Must(t, err, "write xlsx")
	return buf.Bytes()
}

// demoRow is the import row of a demo enterprise exactly as stored.
func demoRow(t *testing.T, n int) []string {
	t.Helper()
	e := demo.Enterprises()[n-1]
	units := map[string]string{}
	for _, u := range demo.OrgUnits() {
		units[u.ID] = u.Name
	}
	chains := map[string]string{}
	for _, c := range demo.Chains() {
		chains[c.ID] = c.Name
	}
	var names []string
	for _, id := range e.ChainIDs {
		names = append(names, chains[id])
	}
	liaison := map[string]string{"u-liaison": "liaison", "u-liaison2": "liaison2"}[e.LiaisonID]
	return []string{e.USCC, e.Name, e.Address, units[e.SubdistrictID], units[e.ParkID], e.IndustrySection, e.IndustryDivision,
		e.ContactName, e.ContactPhone, liaison, strings.Join(names, "、")}
}

// mixedImport has, below the header: a new enterprise (row 2), a bad check
// character (3), an unknown street (4), a division outside its section (5),
// row 2's USCC again (6), a blank row (7), a demo enterprise with a new
// contact (8) and one exactly as stored (9).
func mixedImport(t *testing.T) importFile {
	badCheck := newUSCC(t, 31)
	badCheck = badCheck[:17] + map[bool]string{true: "1", false: "0"}[badCheck[17] == '0']
	changed := demoRow(t, 3)
	changed[7], changed[8] = "新联系人", "13911112222"
	return importFile{
		portal.ImportColumns,
		{newUSCC(t, 30), "海港新材料有限公司", "临港大道 100 号", "海港街道", "海港物流园", "G", "58", "刘一", "13800001111", "liaison", "港口物流、滨海旅游"},
		{badCheck, "校验位错误有限公司", "", "", "", "", "", "", "", "", ""},
		{newUSCC(t, 32), "未知街道有限公司", "", "不存在街道", "", "", "", "", "", "", ""},
		{newUSCC(t, 33), "门类不符有限公司", "", "", "", "C", "58", "", "", "", ""},
		{newUSCC(t, 30), "重复代码有限公司", "", "", "", "", "", "", "", "", ""},
		{"", "", "", "", "", "", "", "", "", "", ""},
		changed,
		demoRow(t, 4),
	}
}

func checkMixedReport(t *testing.T, rep *portal.ImportReport, firstRun bool) {
	t.Helper()
	want := portal.ImportReport{Total: 7, Created: 1, Updated: 1, Unchanged: 1, Failed: 4}
	if !firstRun {
		want.Created, want.Updated, want.Unchanged = 0, 0, 3
	}
	if rep.Total != want.Total || rep.Created != want.Created || rep.Updated != want.Updated || rep.Unchanged != want.Unchanged || rep.Failed != want.Failed {
		t.Errorf("report %+v, want counts %+v", rep, want)
	}
	type key struct {
		row   int
		field string
	}
	got := map[key]string{}
	for _, e := range rep.Errors {
		got[key{e.Row, e.Field}] = e.Message
	}
	for k, msg := range map[key]string{
		{3, "统一社会信用代码"}: "校验位错误：第 18 位应为",
		{4, "街道"}:       "没有名为“不存在街道”的街道",
		{5, "行业大类"}:     "行业大类 58 不属于门类 C",
		{6, "统一社会信用代码"}: "与第 2 行的统一社会信用代码重复",
	} {
		if !strings.Contains(got[k], msg) {
			t.Errorf("row %d %s: %q, want it to mention %q (errors: %+v)", k.row, k.field, got[k], msg, rep.Errors)
		}
	}
	if len(rep.Errors) != 4 {
		t.Errorf("%d errors, want 4: %+v", len(rep.Errors), rep.Errors)
	}
}

func TestImportCSV(t *testing.T) {
	f := newEntFixture(t)
	admin := f.as(t, "admin")
	file := mixedImport(t)
	rep, err := f.svc.Import(admin, bytes.NewReader(file.csv(t)))
	portaltest.Must(t, err, "import")
	checkMixedReport(t, rep, true)

	e, err := f.ents.FindEnterpriseByUSCC(context.Background(), newUSCC(t, 30))
	portaltest.Must(t, err, "find imported")
	if e.Name != "海港新材料有限公司" || e.SubdistrictID != "sd-haigang" || e.ParkID != "p-logistics" || e.LiaisonID != "u-liaison" ||
		e.TaskForceID != "tf-port" || e.District != "海湾区" || !slices.Equal(e.ChainIDs, []string{"chain-port", "chain-tourism"}) {
		t.Errorf("imported %+v", e)
	}
	e3, err := f.ents.FindEnterpriseByID(context.Background(), "ent-003")
	portaltest.Must(t, err, "find ent-003")
	if e3.ContactName != "新联系人" || e3.ContactPhone != "13911112222" || e3.Name != "海港冷链仓储有限公司" {
		t.Errorf("updated %+v", e3)
	}
	for _, u := range []string{newUSCC(t, 31), newUSCC(t, 32), newUSCC(t, 33)} {
		if _, err := f.ents.FindEnterpriseByUSCC(context.Background(), u); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("bad row %s was imported: %v", u, err)
		}
	}
	if n := f.count(t); n != 13 {
		t.Fatalf("%d enterprises, want 12 demo + 1 new", n)
	}

	t.Run("running the same file again creates nothing", func(t *testing.T) {
		rep, err := f.svc.Import(admin, bytes.NewReader(file.csv(t)))
		portaltest.Must(t, err, "import again")
		checkMixedReport(t, rep, false)
		if n := f.count(t); n != 13 {
			t.Errorf("%d enterprises after the second run, want 13", n)
		}
	})
	t.Run("one audit entry per import with the counts", func(t *testing.T) {
		// Both imports may share one clock tick, so their order is not asserted.
		a := f.auditOf(t, "enterprise.import")
		if len(a) != 2 {
			t.Fatalf("%d import audit entries, want 2", len(a))
		}
		details := a[0].Detail + " | " + a[1].Detail
		if a[0].ActorID != "u-admin" || a[1].ActorID != "u-admin" ||
			!strings.Contains(details, "total=7 created=1 updated=1 unchanged=1 failed=4") ||
			!strings.Contains(details, "created=0 updated=0 unchanged=3") {
			t.Errorf("audit details %q", details)
		}
	})
}

func TestImportXLSX(t *testing.T) {
	f := newEntFixture(t)
	admin := f.as(t, "admin")
	file := mixedImport(t)
	file[6] = nil // a row Excel never wrote stays a row number
	rep, err := f.svc.Import(admin, bytes.NewReader(file.xlsx(t)))
	portaltest.Must(t, err, "import")
	checkMixedReport(t, rep, true)
	rep, err = f.svc.Import(admin, bytes.NewReader(file.xlsx(t)))
	portaltest.Must(t, err, "import again")
	checkMixedReport(t, rep, false)
	if n := f.count(t); n != 13 {
		t.Errorf("%d enterprises, want 13", n)
	}
}

func TestImportVariants(t *testing.T) {
	f := newEntFixture(t)
	admin := f.as(t, "admin")
	t.Run("CSV with a byte order mark and CRLF", func(t *testing.T) {
		body := "\ufeff" + strings.Join(portal.ImportColumns[:2], ",") + "\r\n" + newUSCC(t, 40) + ",带BOM有限公司\r\n"
		rep, err := f.svc.Import(admin, strings.NewReader(body))
		portaltest.Must(t, err, "import")
		if rep.Created != 1 || rep.Failed != 0 {
			t.Errorf("report %+v", rep)
		}
	})
	t.Run("missing columns keep their stored values", func(t *testing.T) {
		e := demo.Enterprises()[5]
		body := "企业名称,统一社会信用代码,联系人\n" + e.Name + "," + e.USCC + ",新人\n"
		rep, err := f.svc.Import(admin, strings.NewReader(body))
		portaltest.Must(t, err, "import")
		got, err := f.ents.FindEnterpriseByID(context.Background(), e.ID)
		portaltest.Must(t, err, "find")
		if rep.Updated != 1 || got.ContactName != "新人" || got.ContactPhone != e.ContactPhone || got.LiaisonID != e.LiaisonID || got.ParkID != e.ParkID {
			t.Errorf("report %+v, stored %+v", rep, got)
		}
	})
	t.Run("names for industries, quoted cells and blank lines", func(t *testing.T) {
		body := "统一社会信用代码,企业名称,行业门类,行业大类,产业链\n\n" +
			newUSCC(t, 41) + `,"引号""测试""有限公司",交通运输、仓储和邮政业,58 多式联运和运输代理业,"港口物流,黄金珠宝"` + "\n" +
			newUSCC(t, 42) + ",未知门类有限公司,Z,,不存在的链\n"
		rep, err := f.svc.Import(admin, strings.NewReader(body))
		portaltest.Must(t, err, "import")
		if rep.Created != 1 || rep.Failed != 1 || len(rep.Errors) != 2 || rep.Errors[0].Row != 4 || rep.Errors[0].Field != "行业门类" || rep.Errors[1].Field != "产业链" {
			t.Fatalf("report %+v", rep)
		}
		e, err := f.ents.FindEnterpriseByUSCC(context.Background(), newUSCC(t, 41))
		portaltest.Must(t, err, "find")
		if e.Name != `引号"测试"有限公司` || e.IndustrySection != "G" || e.IndustryDivision != "58" || len(e.ChainIDs) != 2 {
			t.Errorf("stored %+v", e)
		}
	})
	t.Run("a code Excel turned into a number says so", func(t *testing.T) {
		rep, err := f.svc.Import(admin, strings.NewReader("统一社会信用代码,企业名称\n9.14403E+17,数字代码有限公司\n"))
		portaltest.Must(t, err, "import")
		if rep.Failed != 1 || !strings.Contains(rep.Errors[0].Message, "文本格式") {
			t.Errorf("report %+v", rep)
		}
	})
}

func TestImportRefused(t *testing.T) {
	f := newEntFixture(t)
	admin := f.as(t, "admin")
	header := strings.Join(portal.ImportColumns, ",") + "\n"
	good := newUSCC(t, 50) + ",不该导入有限公司,,,,,,,,,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(header + good)
	portaltest.Must(t, err, "encode gbk")
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("notes.txt")
	_, _ = w.Write([]byte("不是表格"))
	portaltest.Must(t, zw.Close(), "zip")
	many := &strings.Builder{}
	many.WriteString(header)
	for i := 0; i <= portal.MaxImportRows; i++ {
		fmt.Fprintf(many, "%s,企业%d\n", newUSCC(t, 1000+i), i)
	}
	// An OLE2 compound document header, as an old .xls file starts.
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		body []byte
		code string
		msg  string
	}{
		{"over 5 MiB", admin, append([]byte(header+good), bytes.Repeat([]byte("\n"), portal.MaxImportBytes)...), portal.ETOOLARGE, "5 MiB"},
		{"over 20000 rows", admin, []byte(many.String()), portal.ETOOLARGE, "20000 行"},
		{"GBK text", admin, []byte(gbk), portal.EINVALID, "UTF-8"},
		{"PDF", admin, []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n" + good), portal.EINVALID, "只能导入 .xlsx 或 .csv"},
		{"zip that is not a workbook", admin, zipped.Bytes(), portal.EINVALID, "只能导入 .xlsx 或 .csv"},
		{"old xls", admin, ole, portal.EINVALID, ".xls"},
		{"PNG", admin, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...), portal.EINVALID, "image/png"},
		{"empty file", admin, nil, portal.EINVALID, "空的"},
		{"no header", admin, []byte("\n\n" + good), portal.EINVALID, "没有表头"},
		{"header lacks the name", admin, []byte("统一社会信用代码,地址\n" + newUSCC(t, 50) + ",x\n"), portal.EINVALID, "缺少必需的列：企业名称"},
		{"unknown column", admin, []byte("统一社会信用代码,企业名称,注册资本\n" + newUSCC(t, 50) + ",x,100\n"), portal.EINVALID, "“注册资本”"},
		{"repeated column", admin, []byte("统一社会信用代码,企业名称,企业名称\n"), portal.EINVALID, "不止一次"},
		{"liaison may not import", f.as(t, "liaison"), []byte(header + good), portal.EFORBIDDEN, "管理员"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Import(tc.ctx, bytes.NewReader(tc.body))
			entWantCode(t, err, tc.code)
			if !strings.Contains(portal.ErrorMessage(err), tc.msg) {
				t.Errorf("message %q, want it to mention %q", portal.ErrorMessage(err), tc.msg)
			}
			if n := f.count(t); n != 12 {
				t.Errorf("%d enterprises after a refused file, want 12", n)
			}
		})
	}
	if a := f.auditOf(t, "enterprise.import"); len(a) != 0 {
		t.Errorf("refused files were audited as imports: %+v", a)
	}
}

func TestImportTemplates(t *testing.T) {
	f := newEntFixture(t)
	admin := f.as(t, "admin")
	x, err := f.svc.ImportTemplate(admin, "xlsx")
	portaltest.Must(t, err, "xlsx template")
	book, err := excelize.OpenReader(bytes.NewReader(x))
	portaltest.Must(t, err, "open template")
	defer book.Close()
	rows, err := book.GetRows(book.GetSheetList()[0])
	portaltest.Must(t, err, "rows")
	if len(rows) != 1 || !slices.Equal(rows[0], portal.ImportColumns) {
		t.Errorf("xlsx template rows %v", rows)
	}
	if len(book.GetSheetList()) != 2 {
		t.Errorf("sheets %v, want the data sheet and the instructions", book.GetSheetList())
	}
	c, err := f.svc.ImportTemplate(admin, "csv")
	portaltest.Must(t, err, "csv template")
	if !bytes.HasPrefix(c, []byte("\ufeff统一社会信用代码,企业名称,")) {
		t.Errorf("csv template %q", c)
	}
	// Both templates import as they are: a header and nothing else.
	for _, b := range [][]byte{x, c} {
		rep, err := f.svc.Import(admin, bytes.NewReader(b))
		portaltest.Must(t, err, "import the template")
		if rep.Total != 0 {
			t.Errorf("empty template imported %+v", rep)
		}
	}
	_, err = f.svc.ImportTemplate(f.as(t, "liaison"), "xlsx")
	entWantCode(t, err, portal.EFORBIDDEN)
	_, err = f.svc.ImportTemplate(admin, "pdf")
	entWantCode(t, err, portal.ENOTFOUND)
}
