package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// entTestPassword is the password of every user of entServer.
const entTestPassword = "Wz5#hQm-2025"

var entTestHash = sync.OnceValues(func() (string, error) { return portal.HashPassword(entTestPassword) })

// entServer is a Server with real authentication and the enterprise and
// registration services on the demo district: org tree, chains, task
// forces, the 12 demo enterprises, the demo users and "pending", an
// enterprise user of ent-003 awaiting review.
type entServer struct {
	*Server
	db    *mongostore.DB
	users *mongostore.UserStore
	ents  *mongostore.EnterpriseStore
	audit *mongostore.AuditStore
	regs  *portal.RegistrationService
	bearerTokens
}

func newEntServer(t *testing.T) *entServer {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	ts := &entServer{db: db, users: mongostore.NewUserStore(db), ents: mongostore.NewEnterpriseStore(db),
		audit: mongostore.NewAuditStore(db), bearerTokens: newBearerTokens(entTestPassword)}
	org, chains, tfs := mongostore.NewOrgStore(db), mongostore.NewChainStore(db), mongostore.NewTaskForceStore(db)
	for _, u := range demo.OrgUnits() {
		portaltest.Must(t, org.UpsertOrgUnit(ctx, u), "org unit %s", u.ID)
	}
	for _, c := range demo.Chains() {
		portaltest.Must(t, chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, tf := range demo.TaskForces() {
		portaltest.Must(t, tfs.UpsertTaskForce(ctx, tf), "task force %s", tf.ID)
	}
	for _, e := range demo.Enterprises()[:12] { // the hand-written ones the demo accounts refer to
		portaltest.Must(t, ts.ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
	}
	hash, err := entTestHash()
	portaltest.Must(t, err, "hash")
	users := append(demo.Users(), &portal.User{ID: "u-pending", Username: "pending", DisplayName: "刘待审",
		Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-003", Status: portal.UserPending})
	for _, u := range users {
		u.PasswordHash = hash
		portaltest.Must(t, ts.users.CreateUser(ctx, u), "user %s", u.Username)
	}
	throttle := redisstore.NewThrottle(portaltest.StartRedis(t).Client)
	ts.auth, err = portal.NewAuthService(ts.users, mongostore.NewSessionStore(db), throttle, ts.audit, time.Now,
		portal.AuthConfig{Secret: []byte("enterprise-web-test-secret-0123456789abcdef")})
	portaltest.Must(t, err, "auth service")
	ts.regs = portal.NewRegistrationService(ts.users, ts.ents, throttle, ts.audit, time.Now)
	ts.regs.MaxPerAddress = 1000 // the throttle has its own test
	srv, err := NewServer(Options{
		Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Org: org, OrgIndex: portaltest.Bleve(t), Auth: ts.auth, Users: ts.users,
		Enterprises:   portal.NewEnterpriseService(ts.ents, org, ts.users, chains, ts.audit, time.Now),
		Registrations: ts.regs,
	})
	portaltest.Must(t, err, "new server")
	ts.Server = srv
	return ts
}

// runner sends each scenario as its Actor with a bearer token.
func (ts *entServer) runner() portaltest.Runner {
	return ts.runnerFor(ts.Handler())
}

func (ts *entServer) enterprise(t *testing.T, id string) *portal.Enterprise {
	t.Helper()
	e, err := ts.ents.FindEnterpriseByID(context.Background(), id)
	portaltest.Must(t, err, "find %s", id)
	return e
}

func (ts *entServer) count(t *testing.T) int {
	t.Helper()
	_, n, err := ts.ents.FindEnterprises(context.Background(), portal.EnterpriseFilter{Limit: 1})
	portaltest.Must(t, err, "count")
	return n
}

// webUSCC returns a valid USCC numbered n, unlike any demo one.
func webUSCC(t *testing.T, n int) string {
	t.Helper()
	first17 := fmt.Sprintf("91440308WEB0%05d", n)
	c, err := portal.USCCCheckChar(first17)
	portaltest.Must(t, err, "check char")
	return first17 + string(c)
}

// wrongCheck returns code with a check character that is not its own.
func wrongCheck(code string) string {
	if code[17] == '0' {
		return code[:17] + "1"
	}
	return code[:17] + "0"
}

// multipartFile builds a multipart body with the file in field "file" and
// the extra form fields, and returns it with its content type.
func multipartFile(t *testing.T, name string, content []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		portaltest.Must(t, w.WriteField(k, v), "field %s", k)
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		portaltest.Must(t, err, "form file")
		_, _ = fw.Write(content)
	}
	portaltest.Must(t, w.Close(), "close multipart")
	return b.Bytes(), w.FormDataContentType()
}

func TestIndustriesAPI(t *testing.T) {
	ts := newEntServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "public table", Method: "GET", Path: "/api/v1/industries", Status: 200,
			Contains: []string{`"section":"G"`, "交通运输、仓储和邮政业", `"code":"58"`, "多式联运和运输代理业", `"code":"97"`}},
	})
}

func TestEnterpriseListAPI(t *testing.T) {
	ts := newEntServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor must sign in", Method: "GET", Path: "/api/v1/enterprises", Status: 401, Contains: []string{`"code":"unauthenticated"`}},
		{Name: "pending user is refused", Method: "GET", Path: "/api/v1/enterprises", Actor: "pending", Status: 403, Contains: []string{"等待审核"}},
		{Name: "admin sees all", Method: "GET", Path: "/api/v1/enterprises", Actor: "admin", Status: 200,
			Contains: []string{`"total":12`, `"page":1`, `"per_page":20`, "金沙珠宝首饰有限公司", "海湾国际物流有限公司"}},
		{Name: "liaison sees its caseload", Method: "GET", Path: "/api/v1/enterprises", Actor: "liaison", Status: 200,
			Contains: []string{`"total":4`, "海湾国际物流有限公司", "海湾航运代理有限公司"}, NotContains: []string{"金沙珠宝"}},
		{Name: "committee sees its chain", Method: "GET", Path: "/api/v1/enterprises", Actor: "committee", Status: 200,
			Contains: []string{`"total":4`, "东湾集装箱码头"}, NotContains: []string{"梅林生物医药"}},
		{Name: "dispatcher of the district sees all", Method: "GET", Path: "/api/v1/enterprises?per_page=1", Actor: "dispatcher", Status: 200,
			Contains: []string{`"total":12`, `"per_page":1`}},
		{Name: "enterprise sees itself", Method: "GET", Path: "/api/v1/enterprises", Actor: "enterprise", Status: 200,
			Contains: []string{`"total":1`, "海湾国际物流有限公司"}, NotContains: []string{"海港冷链"}},
		{Name: "handler sees none", Method: "GET", Path: "/api/v1/enterprises", Actor: "handler", Status: 200,
			Contains: []string{`"items":[]`, `"total":0`}},
		{Name: "search", Method: "GET", Path: "/api/v1/enterprises?q=%E5%86%B7%E9%93%BE", Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, "海港冷链仓储有限公司"}},
		{Name: "chain filter", Method: "GET", Path: "/api/v1/enterprises?chain=chain-health", Actor: "admin", Status: 200,
			Contains: []string{`"total":2`, "梅林生物医药科技有限公司", "新和医疗器械有限公司"}},
		{Name: "last page", Method: "GET", Path: "/api/v1/enterprises?page=3&per_page=5", Actor: "admin", Status: 200,
			Contains: []string{`"total":12`, `"page":3`, `"per_page":5`}},
		{Name: "per_page over 100", Method: "GET", Path: "/api/v1/enterprises?per_page=101", Actor: "admin", Status: 400,
			Contains: []string{`"code":"invalid"`, `"per_page":"每页条数应为 1–100"`}},
		{Name: "page not a number", Method: "GET", Path: "/api/v1/enterprises?page=abc", Actor: "admin", Status: 400,
			Contains: []string{`"page":"必须是正整数"`}},
	})
}

func TestEnterpriseGetAPI(t *testing.T) {
	ts := newEntServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "GET", Path: "/api/v1/enterprises/ent-001", Status: 401},
		{Name: "admin", Method: "GET", Path: "/api/v1/enterprises/ent-002", Actor: "admin", Status: 200,
			Contains: []string{`"id":"ent-002"`, `"uscc":"` + demo.Enterprises()[1].USCC + `"`, `"liaison_id":"u-liaison2"`}},
		{Name: "liaison, own caseload", Method: "GET", Path: "/api/v1/enterprises/ent-010", Actor: "liaison", Status: 200,
			Contains: []string{"海湾航运代理有限公司"}},
		{Name: "liaison, another caseload", Method: "GET", Path: "/api/v1/enterprises/ent-002", Actor: "liaison", Status: 404,
			Contains: []string{`"code":"not_found"`, "企业不存在"}, NotContains: []string{"金沙"}},
		{Name: "enterprise, own", Method: "GET", Path: "/api/v1/enterprises/ent-001", Actor: "enterprise", Status: 200},
		{Name: "enterprise, another", Method: "GET", Path: "/api/v1/enterprises/ent-002", Actor: "enterprise", Status: 404,
			Contains: []string{"企业不存在"}},
		{Name: "unknown looks the same as invisible", Method: "GET", Path: "/api/v1/enterprises/ent-999", Actor: "enterprise", Status: 404,
			Contains: []string{"企业不存在"}},
		{Name: "committee, other chain", Method: "GET", Path: "/api/v1/enterprises/ent-007", Actor: "committee", Status: 404},
		{Name: "handler", Method: "GET", Path: "/api/v1/enterprises/ent-001", Actor: "handler", Status: 404},
	})
}

func TestEnterpriseCreateAPI(t *testing.T) {
	ts := newEntServer(t)
	body := map[string]any{"uscc": webUSCC(t, 1), "name": "东湾新能源有限公司", "subdistrict_id": "sd-dongwan",
		"park_id": "c-dongwan-binhai", "industry_section": "D", "industry_division": "44", "liaison_id": "u-liaison",
		"chain_ids": []string{"chain-tourism"}}
	with := func(k string, v any) map[string]any {
		out := map[string]any{}
		for key, val := range body {
			out[key] = val
		}
		out["uscc"] = webUSCC(t, 2)
		out[k] = v
		return out
	}
	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := ts.count(t); n != 13 {
			t.Errorf("%d enterprises, want 13", n)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "POST", Path: "/api/v1/enterprises", Body: body, Status: 401},
		{Name: "liaison may not", Method: "POST", Path: "/api/v1/enterprises", Actor: "liaison", Body: body, Status: 403,
			Contains: []string{"只有系统管理员"}},
		{Name: "admin creates", Method: "POST", Path: "/api/v1/enterprises", Actor: "admin", Body: body, Status: 201,
			Contains: []string{`"name":"东湾新能源有限公司"`, `"task_force_id":"tf-port"`, `"district":"海湾区"`},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				loc := res.Header().Get("Location")
				if !strings.HasPrefix(loc, "/api/v1/enterprises/") {
					t.Fatalf("Location %q", loc)
				}
				e := ts.enterprise(t, strings.TrimPrefix(loc, "/api/v1/enterprises/"))
				if e.USCC != webUSCC(t, 1) || e.ParkID != "c-dongwan-binhai" {
					t.Errorf("stored %+v", e)
				}
			}},
		{Name: "same USCC again", Method: "POST", Path: "/api/v1/enterprises", Actor: "admin", Body: body, Status: 409,
			Contains: []string{`"code":"conflict"`, "已登记"}, After: unchanged},
		{Name: "bad check character", Method: "POST", Path: "/api/v1/enterprises", Actor: "admin",
			Body: with("uscc", wrongCheck(webUSCC(t, 3))), Status: 400, Contains: []string{`"uscc":"统一社会信用代码校验位错误`}, After: unchanged},
		{Name: "park of another street", Method: "POST", Path: "/api/v1/enterprises", Actor: "admin",
			Body: with("park_id", "p-jewelry"), Status: 400, Contains: []string{`"park_id":"黄金珠宝产业园不属于东湾街道"`}, After: unchanged},
		{Name: "unknown field", Method: "POST", Path: "/api/v1/enterprises", Actor: "admin",
			Body: with("capital", 100), Status: 400, Contains: []string{"未知字段 capital"}, After: unchanged},
		{Name: "not JSON", Method: "POST", Path: "/api/v1/enterprises", Actor: "admin", Body: "uscc=1",
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 400, After: unchanged},
	})
	if a, _, _ := ts.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "enterprise.create"}); len(a) != 1 {
		t.Errorf("%d create audit entries, want 1", len(a))
	}
}

func TestEnterpriseUpdateAPI(t *testing.T) {
	ts := newEntServer(t)
	same := func(id, contact string) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if got := ts.enterprise(t, id).ContactName; got != contact {
				t.Errorf("%s contact %q, want %q", id, got, contact)
			}
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "PUT", Path: "/api/v1/enterprises/ent-001", Body: map[string]any{"contact_name": "x"}, Status: 401},
		{Name: "enterprise updates its contact", Method: "PUT", Path: "/api/v1/enterprises/ent-001", Actor: "enterprise",
			Body: map[string]any{"contact_name": "陈新", "contact_phone": "13812345678"}, Status: 200,
			Contains: []string{`"contact_name":"陈新"`, `"contact_phone":"13812345678"`}, After: same("ent-001", "陈新")},
		{Name: "enterprise may not rename", Method: "PUT", Path: "/api/v1/enterprises/ent-001", Actor: "enterprise",
			Body: map[string]any{"name": "改名有限公司", "contact_name": "不该保存"}, Status: 403,
			Contains: []string{"不能修改：企业名称", `"fields":{"name":"企业用户不能修改此项"}`}, After: same("ent-001", "陈新")},
		{Name: "enterprise, another one", Method: "PUT", Path: "/api/v1/enterprises/ent-002", Actor: "enterprise",
			Body: map[string]any{"contact_name": "x"}, Status: 404, After: same("ent-002", "李金凤")},
		{Name: "liaison sees but may not change", Method: "PUT", Path: "/api/v1/enterprises/ent-003", Actor: "liaison",
			Body: map[string]any{"contact_name": "x"}, Status: 403, Contains: []string{"无权修改"}, After: same("ent-003", "王立强")},
		{Name: "admin changes the liaison", Method: "PUT", Path: "/api/v1/enterprises/ent-003", Actor: "admin",
			Body: map[string]any{"liaison_id": "u-liaison2", "chain_ids": []string{}}, Status: 200,
			Contains: []string{`"liaison_id":"u-liaison2"`, `"task_force_id":"tf-jewelry"`}, NotContains: []string{"chain_ids"},
			After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if e := ts.enterprise(t, "ent-003"); e.LiaisonID != "u-liaison2" || len(e.ChainIDs) != 0 {
					t.Errorf("stored %+v", e)
				}
			}},
		{Name: "USCC cannot change", Method: "PUT", Path: "/api/v1/enterprises/ent-004", Actor: "admin",
			Body: map[string]any{"uscc": webUSCC(t, 9), "contact_name": "不该保存"}, Status: 400,
			Contains: []string{`"uscc":"统一社会信用代码不能修改"`}, After: same("ent-004", "赵建华")},
		{Name: "bad phone", Method: "PUT", Path: "/api/v1/enterprises/ent-004", Actor: "admin",
			Body: map[string]any{"contact_name": "不该保存", "contact_phone": "abc"}, Status: 400,
			Contains: []string{`"contact_phone":"联系电话格式不正确"`}, After: same("ent-004", "赵建华")},
		{Name: "unknown", Method: "PUT", Path: "/api/v1/enterprises/ent-999", Actor: "admin", Body: map[string]any{"name": "某某公司"}, Status: 404},
	})
}

func TestEnterpriseImportAPI(t *testing.T) {
	ts := newEntServer(t)
	csvBody := strings.Join(portal.ImportColumns, ",") + "\n" +
		webUSCC(t, 20) + ",导入科技有限公司,,金沙街道,水贝社区,C,24,,,liaison2,黄金珠宝\n" +
		wrongCheck(webUSCC(t, 21)) + ",坏代码有限公司,,,,,,,,,\n"
	good, goodType := multipartFile(t, "企业.csv", []byte(csvBody), nil)
	pdf, pdfType := multipartFile(t, "企业.csv", []byte("%PDF-1.7\n%âãÏÓ\n"), nil)
	none, noneType := multipartFile(t, "", nil, map[string]string{"note": "x"})
	big, bigType := multipartFile(t, "big.csv", bytes.Repeat([]byte("a,b\n"), portal.MaxImportBytes/4+1), nil)
	count := func(want int) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if n := ts.count(t); n != want {
				t.Errorf("%d enterprises, want %d", n, want)
			}
		}
	}
	ct := func(v string) map[string]string { return map[string]string{"Content-Type": v} }
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "POST", Path: "/api/v1/enterprises/import", Body: good, Headers: ct(goodType), Status: 401},
		{Name: "liaison may not", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "liaison", Body: good, Headers: ct(goodType),
			Status: 403, After: count(12)},
		{Name: "admin imports", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "admin", Body: good, Headers: ct(goodType),
			Status: 200, Contains: []string{`"total":2`, `"created":1`, `"updated":0`, `"unchanged":0`, `"failed":1`,
				`"row":3`, `"field":"统一社会信用代码"`, "校验位错误"}, After: count(13)},
		{Name: "same file again", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "admin", Body: good, Headers: ct(goodType),
			Status: 200, Contains: []string{`"created":0`, `"unchanged":1`, `"failed":1`}, After: count(13)},
		{Name: "wrong type despite its name", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "admin", Body: pdf, Headers: ct(pdfType),
			Status: 400, Contains: []string{"只能导入 .xlsx 或 .csv", "application/pdf"}, After: count(13)},
		{Name: "no file", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "admin", Body: none, Headers: ct(noneType),
			Status: 400, Contains: []string{`"file":"请选择文件"`}},
		{Name: "over 5 MiB", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "admin", Body: big, Headers: ct(bigType),
			Status: 413, Contains: []string{`"code":"too_large"`, "5 MiB"}, After: count(13)},
		{Name: "not multipart", Method: "POST", Path: "/api/v1/enterprises/import", Actor: "admin", Body: csvBody, Headers: ct("text/csv"),
			Status: 400, Contains: []string{"multipart/form-data"}},
	})
	e, err := ts.ents.FindEnterpriseByUSCC(context.Background(), webUSCC(t, 20))
	portaltest.Must(t, err, "find imported")
	if e.SubdistrictID != "sd-jinsha" || e.ParkID != "c-jinsha-shuibei" || e.LiaisonID != "u-liaison2" {
		t.Errorf("imported %+v", e)
	}
}

// testEnterpriseService is the enterprise service of newTestServer.
func testEnterpriseService(db *mongostore.DB) *portal.EnterpriseService {
	users := mongostore.NewUserStore(db)
	return portal.NewEnterpriseService(mongostore.NewEnterpriseStore(db), mongostore.NewOrgStore(db), users,
		mongostore.NewChainStore(db), mongostore.NewAuditStore(db), time.Now)
}

// testRegistrationService is the registration service of newTestServer.
func testRegistrationService(t *testing.T, db *mongostore.DB) *portal.RegistrationService {
	return portal.NewRegistrationService(mongostore.NewUserStore(db), mongostore.NewEnterpriseStore(db),
		redisstore.NewThrottle(portaltest.StartRedis(t).Client), mongostore.NewAuditStore(db), time.Now)
}
