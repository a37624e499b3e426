package portal

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"github.com/xuri/excelize/v2"
)

// Import limits.
const (
	MaxImportBytes = 5 << 20 // the largest file accepted
	MaxImportRows  = 20000   // the most enterprises one file may hold
)

// ImportColumns are the header cells of the import template, in order.
var ImportColumns = []string{"统一社会信用代码", "企业名称", "地址", "街道", "社区/园区", "行业门类", "行业大类", "联系人", "联系电话", "包干联络员", "产业链"}

// importColumnHelp explains each column, for the template's instructions.
var importColumnHelp = map[string][3]string{
	"统一社会信用代码": {"必填", "18 位，含校验位；已登记的代码会更新该企业，不会重复新增", "91440308MA5G00001X"},
	"企业名称":     {"必填", "与营业执照一致，2–100 个字", "海湾国际物流有限公司"},
	"地址":       {"选填", "不超过 200 个字", "海湾区海港街道港前路 18 号"},
	"街道":       {"选填", "街道名称，须是系统中已有的街道", "海港街道"},
	"社区/园区":    {"选填", "所属街道下的社区或园区名称；填写时须同时填写街道", "海港物流园"},
	"行业门类":     {"选填", "GB/T 4754 门类字母 A–T，或门类名称", "G"},
	"行业大类":     {"选填", "GB/T 4754 两位大类代码，或大类名称；须属于所填门类", "58"},
	"联系人":      {"选填", "不超过 40 个字", "陈海燕"},
	"联系电话":     {"选填", "手机号或带区号的固定电话", "13800000001"},
	"包干联络员":    {"选填", "专班联络员的登录用户名", "liaison"},
	"产业链":      {"选填", "产业链名称，多个用顿号或逗号分隔", "港口物流、滨海旅游"},
}

// ImportReport says what an import did, row by row for the rows it refused.
type ImportReport struct {
	Total     int           `json:"total"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Failed    int           `json:"failed"`
	Errors    []ImportError `json:"errors"`
}

// ImportError is one reason a row was refused. Row counts as a spreadsheet
// shows it: the header is row 1.
type ImportError struct {
	Row     int    `json:"row"`
	USCC    string `json:"uscc,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// importRow is a row that passed every check, waiting to be written.
type importRow struct {
	row int
	e   *Enterprise
}

// importRefs are the org units, chains and liaisons that rows name.
type importRefs struct {
	district     string
	subdistricts map[string]*OrgUnit // by name
	grassroots   map[string]*OrgUnit // by sub-district id + "/" + name
	chains       map[string]string   // name to id
	liaisons     map[string]*User    // by username
}

// Import reads enterprises from a CSV (UTF-8) or XLSX file and creates or
// updates them by USCC. Rows with problems are reported and skipped; the
// others are written. A file that is too large, of another type, or whose
// header is wrong is refused whole and changes nothing. Admins only.
func (s *EnterpriseService) Import(ctx context.Context, r io.Reader) (*ImportReport, error) {
	a, err := enterpriseActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "只有系统管理员可以批量导入企业")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, Invalid("读取上传文件失败，请重新上传", map[string]string{"file": "读取失败"})
	}
	if len(data) > MaxImportBytes {
		return nil, &Error{Code: ETOOLARGE, Message: fmt.Sprintf("文件超过 %d MiB 上限，请拆分后分批导入", MaxImportBytes>>20),
			Fields: map[string]string{"file": "文件过大"}}
	}
	rows, err := readImportRows(data)
	if err != nil {
		return nil, err
	}
	cols, err := importHeader(rows[0])
	if err != nil {
		return nil, err
	}
	refs, err := s.importRefs(ctx)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Errors: []ImportError{}}
	var good []importRow
	seen := map[string]int{}
	for i, cells := range rows[1:] {
		if blankRow(cells) {
			continue
		}
		rep.Total++
		row := i + 2
		e, errs := refs.parse(cells, cols)
		if first, dup := seen[e.USCC]; dup && e.USCC != "" {
			errs = append(errs, ImportError{Field: "统一社会信用代码", Message: fmt.Sprintf("与第 %d 行的统一社会信用代码重复", first)})
		} else if e.USCC != "" {
			seen[e.USCC] = row
		}
		if len(errs) > 0 {
			rep.fail(row, e.USCC, errs)
			continue
		}
		good = append(good, importRow{row: row, e: e})
	}
	// Once writing starts it runs to the end even if the uploader goes away,
	// so that the audit entry below tells what the import did.
	ctx = context.WithoutCancel(ctx)
	if err := s.writeImport(ctx, good, cols, refs, rep); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("total=%d created=%d updated=%d unchanged=%d failed=%d", rep.Total, rep.Created, rep.Updated, rep.Unchanged, rep.Failed)
	if err := s.Audit.Record(ctx, "enterprise.import", "enterprise", "", OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return rep, nil
}

// fail records a refused row with each of its problems.
func (rep *ImportReport) fail(row int, uscc string, errs []ImportError) {
	rep.Failed++
	for _, e := range errs {
		e.Row, e.USCC = row, uscc
		rep.Errors = append(rep.Errors, e)
	}
}

// writeImport creates the new enterprises and updates the changed ones.
// Only the columns the file has are taken from it; the others keep what
// is stored.
func (s *EnterpriseService) writeImport(ctx context.Context, good []importRow, cols map[string]int, refs *importRefs, rep *ImportReport) error {
	codes := make([]string, len(good))
	for i, g := range good {
		codes[i] = g.e.USCC
	}
	stored, err := s.Enterprises.FindEnterprisesByUSCCs(ctx, codes)
	if err != nil {
		return err
	}
	byUSCC := make(map[string]*Enterprise, len(stored))
	for _, e := range stored {
		byUSCC[e.USCC] = e
	}
	var inserts, updates []*Enterprise
	var insertRows []importRow
	for _, g := range good {
		old := byUSCC[g.e.USCC]
		if old == nil {
			inserts, insertRows = append(inserts, g.e), append(insertRows, g)
			continue
		}
		merged := *old
		merged.ChainIDs = slices.Clone(old.ChainIDs)
		mergeImported(&merged, g.e, cols)
		if merged.SubdistrictID != old.SubdistrictID && merged.SubdistrictID != "" {
			merged.District = refs.district
		}
		if len(enterpriseChanges(old, &merged)) == 0 {
			rep.Unchanged++
			continue
		}
		updates = append(updates, &merged)
	}
	if len(updates) > 0 {
		if err := s.Enterprises.UpdateEnterprises(ctx, updates); err != nil {
			return err
		}
		rep.Updated += len(updates)
	}
	if len(inserts) > 0 {
		errs, err := s.Enterprises.InsertEnterprises(ctx, inserts)
		if err != nil {
			return err
		}
		for i, e := range errs {
			if e == nil {
				rep.Created++
				continue
			}
			// Stored by someone else while this file was being read.
			rep.fail(insertRows[i].row, insertRows[i].e.USCC, []ImportError{{Field: "统一社会信用代码", Message: ErrorMessage(e) + "，请重新导入该行"}})
		}
	}
	return nil
}

// mergeImported copies onto dst the fields of src whose columns the file has.
func mergeImported(dst, src *Enterprise, cols map[string]int) {
	has := func(col string) bool { _, ok := cols[col]; return ok }
	dst.Name = src.Name
	for _, f := range []struct {
		col      string
		to, from *string
	}{
		{"地址", &dst.Address, &src.Address}, {"街道", &dst.SubdistrictID, &src.SubdistrictID},
		{"社区/园区", &dst.ParkID, &src.ParkID}, {"行业门类", &dst.IndustrySection, &src.IndustrySection},
		{"行业大类", &dst.IndustryDivision, &src.IndustryDivision}, {"联系人", &dst.ContactName, &src.ContactName},
		{"联系电话", &dst.ContactPhone, &src.ContactPhone}, {"包干联络员", &dst.LiaisonID, &src.LiaisonID},
		{"包干联络员", &dst.TaskForceID, &src.TaskForceID},
	} {
		if has(f.col) {
			*f.to = *f.from
		}
	}
	if has("街道") && !has("社区/园区") && dst.SubdistrictID != src.SubdistrictID {
		dst.ParkID = "" // a park of the old sub-district cannot stay
	}
	if has("产业链") {
		dst.ChainIDs = src.ChainIDs
	}
}

// importRefs loads what rows may name.
func (s *EnterpriseService) importRefs(ctx context.Context) (*importRefs, error) {
	refs := &importRefs{subdistricts: map[string]*OrgUnit{}, grassroots: map[string]*OrgUnit{}, chains: map[string]string{}, liaisons: map[string]*User{}}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		switch {
		case u.Kind == KindDistrict && refs.district == "":
			refs.district = u.Name
		case u.Kind == KindSubdistrict && u.Tier == TierB:
			refs.subdistricts[u.Name] = u
		case (u.Kind == KindCommunity || u.Kind == KindPark) && u.Tier == TierC:
			refs.grassroots[u.ParentID+"/"+u.Name] = u
		}
	}
	chains, err := s.Chains.FindChains(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range chains {
		refs.chains[c.Name] = c.ID
	}
	role := RoleLiaison
	users, _, err := s.Users.FindUsers(ctx, UserFilter{Role: &role})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Status != UserDisabled {
			refs.liaisons[u.Username] = u
		}
	}
	return refs, nil
}

// parse turns a row into an enterprise and the problems found in it.
func (refs *importRefs) parse(cells []string, cols map[string]int) (*Enterprise, []ImportError) {
	cell := func(col string) string {
		i, ok := cols[col]
		if !ok || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	var errs []ImportError
	bad := func(col, msg string) { errs = append(errs, ImportError{Field: col, Message: msg}) }
	e := &Enterprise{
		USCC: cell("统一社会信用代码"), Name: cell("企业名称"), Address: cell("地址"),
		ContactName: cell("联系人"), ContactPhone: cell("联系电话"),
	}
	if sec := cell("行业门类"); sec != "" {
		if code, ok := industrySectionCode(sec); ok {
			e.IndustrySection = code
		} else {
			bad("行业门类", fmt.Sprintf("“%s”不是 GB/T 4754 的行业门类（应为 A–T 或门类名称）", sec))
		}
	}
	if div := cell("行业大类"); div != "" {
		code, ok := industryDivisionCode(div)
		if ok {
			e.IndustryDivision = code
			if e.IndustrySection == "" && cell("行业门类") == "" {
				e.IndustrySection, _, _ = DivisionSection(code)
			}
		} else {
			bad("行业大类", fmt.Sprintf("“%s”不是 GB/T 4754 的行业大类（应为两位代码或大类名称）", div))
		}
	}
	if name := cell("街道"); name != "" {
		if sub := refs.subdistricts[name]; sub != nil {
			e.SubdistrictID, e.District = sub.ID, refs.district
		} else {
			bad("街道", fmt.Sprintf("系统中没有名为“%s”的街道", name))
		}
	}
	if name := cell("社区/园区"); name != "" {
		switch {
		case cell("街道") == "":
			bad("社区/园区", "填写社区/园区时须同时填写所属街道")
		case e.SubdistrictID == "":
		default:
			if park := refs.grassroots[e.SubdistrictID+"/"+name]; park != nil {
				e.ParkID = park.ID
			} else {
				bad("社区/园区", fmt.Sprintf("%s下没有名为“%s”的社区或园区", cell("街道"), name))
			}
		}
	}
	if name := cell("包干联络员"); name != "" {
		if u := refs.liaisons[strings.ToLower(name)]; u != nil {
			e.LiaisonID, e.TaskForceID = u.ID, u.TaskForceID
		} else {
			bad("包干联络员", fmt.Sprintf("没有用户名为“%s”的专班联络员", name))
		}
	}
	for _, name := range strings.FieldsFunc(cell("产业链"), func(r rune) bool { return strings.ContainsRune("、,，;；", r) }) {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if id, ok := refs.chains[name]; !ok {
			bad("产业链", fmt.Sprintf("系统中没有名为“%s”的产业链", name))
		} else if !slices.Contains(e.ChainIDs, id) {
			e.ChainIDs = append(e.ChainIDs, id)
		}
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		for key, msg := range ErrorFields(err) {
			if key == "uscc" && strings.Contains(strings.ToUpper(e.USCC), "E+") {
				msg += "（Excel 把它当成了数字，请把该列设为文本格式后重新填写）"
			}
			if key == "uscc" && e.USCC == "" {
				msg = "统一社会信用代码不能为空"
			}
			bad(enterpriseFieldNames[key], msg)
		}
	}
	order := func(col string) int { return slices.Index(ImportColumns, col) }
	slices.SortStableFunc(errs, func(x, y ImportError) int { return order(x.Field) - order(y.Field) })
	return e, errs
}

// industrySectionCode accepts a section letter, its name, or "G 交通运输…".
func industrySectionCode(s string) (string, bool) {
	up := strings.ToUpper(s)
	if _, ok := IndustrySection(up); ok {
		return up, true
	}
	if first, rest, ok := strings.Cut(s, " "); ok {
		if sec, ok := IndustrySection(strings.ToUpper(first)); ok && strings.TrimSpace(rest) == sec.Name {
			return sec.Section, true
		}
	}
	for _, in := range Industries {
		if in.Name == s {
			return in.Section, true
		}
	}
	return "", false
}

// industryDivisionCode accepts a two-digit division, its name, or "58 多式联运…".
func industryDivisionCode(s string) (string, bool) {
	code := s
	if len(s) > 2 && s[0] >= '0' && s[0] <= '9' {
		code = s[:2]
	}
	if _, name, ok := DivisionSection(code); ok && (code == s || strings.TrimSpace(s[2:]) == name) {
		return code, true
	}
	for _, in := range Industries {
		for _, d := range in.Divisions {
			if d.Name == s {
				return d.Code, true
			}
		}
	}
	return "", false
}

// importHeader maps each known column to its index, refusing a header that
// lacks the required columns, repeats one, or has columns nobody knows.
func importHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var unknown, repeated []string
	for i, h := range header {
		h = strings.NewReplacer(" ", "", "\u3000", "", "／", "/", "\ufeff", "").Replace(h)
		switch {
		case h == "":
		case !slices.Contains(ImportColumns, h):
			unknown = append(unknown, "“"+h+"”")
		default:
			if _, dup := cols[h]; dup {
				repeated = append(repeated, h)
				continue
			}
			cols[h] = i
		}
	}
	var missing []string
	for _, need := range ImportColumns[:2] {
		if _, ok := cols[need]; !ok {
			missing = append(missing, need)
		}
	}
	switch {
	case len(missing) > 0:
		return nil, Invalid("第 1 行应为表头，缺少必需的列："+strings.Join(missing, "、")+"。请使用下载的导入模板填写",
			map[string]string{"file": "缺少列：" + strings.Join(missing, "、")})
	case len(repeated) > 0:
		return nil, Invalid("表头中这些列出现了不止一次："+strings.Join(repeated, "、"), map[string]string{"file": "表头有重复列"})
	case len(unknown) > 0:
		return nil, Invalid("表头中有无法识别的列："+strings.Join(unknown, "、")+"。可用的列："+strings.Join(ImportColumns, "、"),
			map[string]string{"file": "表头有无法识别的列"})
	}
	return cols, nil
}

// blankRow reports whether every cell is empty.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readImportRows recognises the file by its content (not its name) and
// returns its rows, row i holding spreadsheet row i+1. A file needs a
// header and at most MaxImportRows rows below it that are not blank.
func readImportRows(data []byte) ([][]string, error) {
	if len(data) == 0 {
		return nil, Invalid("上传的文件是空的", map[string]string{"file": "文件为空"})
	}
	mt := mimetype.Detect(data)
	var rows [][]string
	var err error
	switch {
	case mt.Is("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
		rows, err = readXLSXRows(data)
	case mt.Is("application/vnd.ms-excel") || mt.Is("application/x-ole-storage"):
		return nil, Invalid("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后上传", map[string]string{"file": "文件类型不支持"})
	case isText(mt):
		rows, err = readCSVRows(data)
	default:
		return nil, Invalid(fmt.Sprintf("只能导入 .xlsx 或 .csv 文件，上传的文件是 %s", mt.String()), map[string]string{"file": "文件类型不支持"})
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || blankRow(rows[0]) {
		return nil, Invalid("文件中没有表头，第 1 行应为列名。请使用下载的导入模板填写", map[string]string{"file": "没有表头"})
	}
	return rows, nil
}

// isText reports whether the sniffed type is plain text or a kind of it.
func isText(mt *mimetype.MIME) bool {
	for m := mt; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return true
		}
	}
	return false
}

// errTooManyRows refuses a file over MaxImportRows.
var errTooManyRows = &Error{Code: ETOOLARGE, Message: fmt.Sprintf("文件超过 %d 行企业数据的上限，请拆分后分批导入", MaxImportRows),
	Fields: map[string]string{"file": "行数过多"}}

// readCSVRows parses UTF-8 CSV (with or without a byte order mark). Blank
// lines count as rows, as a spreadsheet shows them.
func readCSVRows(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, Invalid("文件不是 UTF-8 编码（可能是 GBK），无法读取。请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件",
			map[string]string{"file": "只支持 UTF-8 编码的 CSV"})
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	nextLine, dataRows := 1, 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, Invalid(fmt.Sprintf("CSV 格式错误：第 %d 行 %v", pe.Line, pe.Err), map[string]string{"file": "CSV 格式错误"})
			}
			return nil, Invalid("CSV 格式错误", map[string]string{"file": "CSV 格式错误"})
		}
		line, _ := r.FieldPos(0)
		for ; nextLine < line; nextLine++ {
			rows = append(rows, nil) // a blank line the reader skipped
		}
		last, _ := r.FieldPos(len(rec) - 1)
		nextLine = last + strings.Count(rec[len(rec)-1], "\n") + 1
		rows = append(rows, rec)
		if len(rows) > 1 && !blankRow(rec) {
			if dataRows++; dataRows > MaxImportRows {
				return nil, errTooManyRows
			}
		}
	}
}

// readXLSXRows reads the first worksheet, streaming its rows, with limits
// on how far the archive may unpack.
func readXLSXRows(data []byte) ([][]string, error) {
	unreadable := Invalid("无法读取该 Excel 文件，请确认它是有效的 .xlsx 文件", map[string]string{"file": "无法读取"})
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, unreadable
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, unreadable
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, unreadable
	}
	defer it.Close()
	var rows [][]string
	dataRows := 0
	for it.Next() {
		cells, err := it.Columns()
		if err != nil {
			return nil, unreadable
		}
		rows = append(rows, cells)
		if len(rows) > 1 && !blankRow(cells) {
			if dataRows++; dataRows > MaxImportRows {
				return nil, errTooManyRows
			}
		}
	}
	if it.Error() != nil {
		return nil, unreadable
	}
	// Trailing rows that only carry formatting are not data.
	for len(rows) > 0 && blankRow(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	return rows, nil
}

// ImportTemplateCSV returns the CSV template: the header, with a byte
// order mark so that Excel opens it as UTF-8.
func ImportTemplateCSV() []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.Write(ImportColumns)
	w.Flush()
	return b.Bytes()
}

// ImportTemplateXLSX returns the XLSX template: a sheet to fill in, with
// the code and phone columns formatted as text so Excel keeps every digit,
// and a sheet explaining each column.
func ImportTemplateXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet, help = "企业名录", "填写说明"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	header := make([]any, len(ImportColumns))
	for i, c := range ImportColumns {
		header[i] = c
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EAF1FA"}}})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(ImportColumns))
	if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keep what is typed as text
	if err != nil {
		return nil, err
	}
	for _, col := range []string{"A", "I"} {
		if err := f.SetColStyle(sheet, col, text); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(sheet, "A", last, 18); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sheet, "B", "C", 30); err != nil {
		return nil, err
	}
	sections := make([]string, len(Industries))
	for i, in := range Industries {
		sections[i] = in.Section
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("F2:F%d", MaxImportRows+1)
	if err := dv.SetDropList(sections); err != nil {
		return nil, err
	}
	if err := f.AddDataValidation(sheet, dv); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(help); err != nil {
		return nil, err
	}
	rows := [][]any{{"列名", "是否必填", "说明", "示例"}}
	for _, c := range ImportColumns {
		h := importColumnHelp[c]
		rows = append(rows, []any{c, h[0], h[1], h[2]})
	}
	rows = append(rows, []any{}, []any{"说明", "", fmt.Sprintf("第 1 行为表头，请勿修改；每个文件最多 %d 行、%d MiB。表中没有的列保持原值，留空的单元格会清空该项。", MaxImportRows, MaxImportBytes>>20)})
	for i, r := range rows {
		if err := f.SetSheetRow(help, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(help, "C", "C", 60); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(help, "A", "B", 16); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(help, "D", "D", 24); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
