package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// authzPassword is the password of every account of an authzFixture.
const authzPassword = "Quay-Lantern-Mosaic-41"

var authzHash = sync.OnceValues(func() (string, error) { return portal.HashPassword(authzPassword) })

// authzActorUsers maps each signed-in actor of the matrix to its username.
var authzActorUsers = map[string]string{
	"pending": "pending", "enterprise": "enterprise", "enterprise2": "enterprise2", "liaison": "liaison",
	"liaison2": "liaison2", "dispatcher": "dispatcher", "handler": "handler", "depthead": "depthead",
	"committee": "committee", "editor": "editor", "admin": "admin",
}

// authzUserIDs maps each signed-in actor to its user id.
var authzUserIDs = map[string]string{
	"pending": "u-pending", "enterprise": "u-enterprise", "enterprise2": "u-enterprise2", "liaison": "u-liaison",
	"liaison2": "u-liaison2", "dispatcher": "u-dispatcher", "handler": "u-handler", "depthead": "u-depthead",
	"committee": "u-committee", "editor": "u-editor", "admin": "u-admin",
}

// authzRegistrations are the pending registrations the review routes
// decide on: per route one of ent-001 (u-liaison's caseload, a colleague
// of u-enterprise), one of ent-002 (u-liaison2, u-enterprise2) and two of
// enterprises without a liaison for the admin's own rows.
var authzRegistrations = map[string]string{
	"u-reg-v1": "ent-001", "u-reg-v2": "ent-002", "u-reg-va": "ent-012", "u-reg-vb": "ent-011",
	"u-reg-r1": "ent-001", "u-reg-r2": "ent-002", "u-reg-ra": "ent-012", "u-reg-rb": "ent-011",
}

// Titles of the fixture's policies; the search rows look for them.
const (
	authzPublishedTitle = "矩阵已发布·港航物流运费补贴"
	authzDraftTitle     = "矩阵草稿·尚未发布的稳岗补贴"
)

// authzFixture is the real router on a fresh database with the demo
// district (org tree, chains, task forces, the first 12 demo enterprises,
// every demo user), a pending enterprise user of ent-003, a bystander
// account (an enterprise user of ent-012 nobody else owns) whose
// notification and account are the "other" objects of the user routes,
// pending registrations for the review routes, a published and a draft
// policy (plus single-use ones for publish and revoke), one notification
// per account, and a bearer token for every signed-in actor got through
// POST /api/v1/auth/login.
type authzFixture struct {
	db       *mongostore.DB
	srv      *Server
	auth     *portal.AuthService
	sessions *mongostore.SessionStore
	tokens   map[string]string // actor → access token
	notes    map[string]string // user id → the id of its notification
	policies map[string]string // fixture name → policy id
	reqs     *portal.RequestService
	requests map[string]string // fixture name → request id, made on first use (api_requests_test.go)
	// victim is the bystander session the last forged logout aimed at.
	victim string
}

// newAuthzFixture builds a fixture; redis holds the login and
// registration throttles and may be shared between fixtures.
func newAuthzFixture(t *testing.T, redis *portaltest.Redis) *authzFixture {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	org, chains, tfs := mongostore.NewOrgStore(db), mongostore.NewChainStore(db), mongostore.NewTaskForceStore(db)
	ents, users, audit := mongostore.NewEnterpriseStore(db), mongostore.NewUserStore(db), mongostore.NewAuditStore(db)
	sessions, notes := mongostore.NewSessionStore(db), mongostore.NewNotificationStore(db)
	for _, u := range demo.OrgUnits() {
		portaltest.Must(t, org.UpsertOrgUnit(ctx, u), "org unit %s", u.ID)
	}
	for _, c := range demo.Chains() {
		portaltest.Must(t, chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, tf := range demo.TaskForces() {
		portaltest.Must(t, tfs.UpsertTaskForce(ctx, tf), "task force %s", tf.ID)
	}
	for _, e := range demo.Enterprises()[:12] {
		portaltest.Must(t, ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
	}
	hash, err := authzHash()
	portaltest.Must(t, err, "hash")
	accounts := append(demo.Users(),
		&portal.User{ID: "u-pending", Username: "pending", DisplayName: "刘待审", Roles: []portal.Role{portal.RoleEnterprise},
			EnterpriseID: "ent-003", Status: portal.UserPending},
		&portal.User{ID: "u-bystander", Username: "bystander", DisplayName: "许旁观（海湾智能软件）",
			Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-012", Status: portal.UserActive})
	for id, ent := range authzRegistrations {
		accounts = append(accounts, &portal.User{ID: id, Username: strings.TrimPrefix(id, "u-"), DisplayName: "待审 " + id,
			Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: ent, Status: portal.UserPending})
	}
	for _, u := range accounts {
		u.PasswordHash = hash
		portaltest.Must(t, users.CreateUser(ctx, u), "user %s", u.Username)
	}

	throttle := redisstore.NewThrottle(redis.Client)
	auth, err := portal.NewAuthService(users, sessions, throttle, audit, time.Now,
		portal.AuthConfig{Secret: []byte("authorization-matrix-test-secret-0123456789")})
	portaltest.Must(t, err, "auth service")
	regs := portal.NewRegistrationService(users, ents, throttle, audit, time.Now)
	regs.MaxPerAddress = 1000 // the throttle has its own test
	entSvc := portal.NewEnterpriseService(ents, org, users, chains, audit, time.Now)
	auditor := &portal.Auditor{Store: audit, Now: time.Now}
	pstore := policystore.New(db.Database())
	matcher := &policies.Matcher{Policies: pstore, Enterprises: ents, Visibility: entSvc, Users: users,
		Notifications: notes, Audit: auditor, Now: time.Now, Location: time.UTC, CacheFor: -1}
	pols := &policies.Service{Store: pstore, Index: portaltest.Bleve(t, policies.Schema), Audit: auditor, Now: time.Now,
		OnPublish: matcher.PolicyPublished}
	pols.Indexer = authzIndexer{pols}
	orgIndex := portaltest.Bleve(t)
	reqs := testRequestService(db, auditor, time.Now)
	sla := testSLAService(db, auditor) // the extension rows need deadlines (api_sla_test.go)
	reqs.Deadlines = sla
	srv, err := NewServer(Options{
		Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Org: org, OrgIndex: orgIndex, Auth: auth, Users: users, Policies: pols,
		Admin:       portal.NewOrgAdmin(org, tfs, chains, ents, users, sessions, audit, time.Now),
		Enterprises: entSvc, Registrations: regs, Matcher: matcher,
		Notifications: &portal.NotificationService{Store: notes, Audit: auditor, Now: time.Now},
		Calendar:      &portal.CalendarService{Store: mongostore.NewCalendarStore(db), Audit: auditor, Now: time.Now},
		SpotChecks:    testSpotCheckService(db, reqs, auditor, time.UTC), // api_spotchecks_test.go
		Requests:      reqs, Categories: mongostore.NewCategoryStore(db), SLA: sla,
		Feedback: testFeedbackService(db, reqs, sla), // feedback_test.go
		KPIs:     testKPIService(db, reqs),           // the rate rows: pages_kpis_test.go
	})
	srv.opt.Meetings, srv.opt.Visits = testMeetingServices(db, reqs, auditor, time.Now) // api_meetings_test.go
	srv.opt.ActionItems = testActionItemService(db, auditor, reqs)                      // api_action_items_test.go
	portaltest.Must(t, err, "new server")
	f := &authzFixture{db: db, srv: srv, auth: auth, sessions: sessions, tokens: map[string]string{},
		notes: map[string]string{}, policies: map[string]string{}, reqs: reqs, requests: map[string]string{}}

	f.addRouting(t)
	f.seedPolicies(t, pols)
	var ns []*portal.Notification
	for _, u := range accounts {
		ns = append(ns, &portal.Notification{UserID: u.ID, Kind: portal.NotifyPolicyMatch,
			Title: "矩阵通知[" + u.ID + "]", DedupKey: "authz:" + u.ID})
	}
	_, err = notes.CreateNotifications(ctx, ns)
	portaltest.Must(t, err, "notifications")
	for _, n := range ns {
		f.notes[n.UserID] = n.ID
	}
	for actor, username := range authzActorUsers {
		f.tokens[actor] = f.login(t, username)
	}
	return f
}

// authzIndexer indexes a policy at once, so that search rows see it.
type authzIndexer struct{ svc *policies.Service }

func (x authzIndexer) IndexPolicy(ctx context.Context, id string, _ int) error {
	return x.svc.IndexNow(ctx, id)
}

// seedPolicies creates, as the editor, the shared published (auto-grant,
// without criteria, so every enterprise qualifies) and draft policies, and
// the single-use ones that the allowed publish and revoke rows consume.
func (f *authzFixture) seedPolicies(t *testing.T, pols *policies.Service) {
	t.Helper()
	editor := portal.WithActor(context.Background(), &portal.Actor{UserID: "u-editor", Username: "editor",
		Roles: []portal.Role{portal.RolePolicyEditor}})
	end := time.Now().AddDate(0, 3, 0)
	for _, p := range []struct {
		name, title string
		publish     bool
	}{
		{"published", authzPublishedTitle, true},
		{"draft", authzDraftTitle, false},
		{"publish-editor", "矩阵待发布·编辑发布", false},
		{"publish-admin", "矩阵待发布·管理员发布", false},
		{"revoke-editor-published", "矩阵待废止·编辑废止已发布", true},
		{"revoke-admin-published", "矩阵待废止·管理员废止已发布", true},
		{"revoke-editor-draft", "矩阵待废止·编辑废止草稿", false},
		{"revoke-admin-draft", "矩阵待废止·管理员废止草稿", false},
	} {
		pol, err := pols.Create(editor, &policies.Policy{Title: p.title, Issuer: "区交通运输局", Level: policies.LevelDistrict,
			Category: policies.CatSmallMicro, Summary: "授权矩阵测试用的政策，对辖区企业给予补贴。", ApplyEnd: &end,
			AutoGrant: p.name == "published"})
		portaltest.Must(t, err, "create policy %s", p.name)
		if p.publish {
			_, err = pols.Publish(editor, pol.ID)
			portaltest.Must(t, err, "publish policy %s", p.name)
		}
		f.policies[p.name] = pol.ID
	}
}

// login signs username in through the API and returns the access token.
func (f *authzFixture) login(t *testing.T, username string) string {
	t.Helper()
	res := f.do(t, "POST", "/api/v1/auth/login", "", "application/json",
		strings.NewReader(`{"username":"`+username+`","password":"`+authzPassword+`"}`))
	if res.Code != http.StatusOK {
		t.Fatalf("login %s: status %d: %s", username, res.Code, res.Body.String())
	}
	var pair portal.TokenPair
	portaltest.DecodeJSON(t, res, &pair)
	return pair.AccessToken
}

// do sends one request with an optional bearer token.
func (f *authzFixture) do(t *testing.T, method, path, token, contentType string, body *strings.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if body != nil {
		req = httptest.NewRequest(method, path, body)
		req.Header.Set("Content-Type", contentType)
	}
	req.RemoteAddr = "127.0.0.1:40000"
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(res, req)
	return res
}

// bystanderSession signs the bystander in (not through the API, which
// the matrix tests on its own) and returns the refresh token.
func (f *authzFixture) bystanderSession(t *testing.T) string {
	t.Helper()
	pair, _, err := f.auth.Login(context.Background(), "bystander", authzPassword, "127.0.0.1")
	portaltest.Must(t, err, "sign the bystander in")
	return pair.RefreshToken
}

// resolve turns an object reference of the table ("$kind") into the id
// the actor's own or other object has; anything else is a literal id.
func (f *authzFixture) resolve(t *testing.T, ref, actor, object string) string {
	t.Helper()
	if !strings.HasPrefix(ref, "$") {
		return ref
	}
	kind := ref[1:]
	own := object == "own"
	pick := func(ownID, otherID string) string {
		if own {
			return ownID
		}
		return otherID
	}
	jewelry := actor == "enterprise2" || actor == "liaison2"
	switch kind {
	case "enterprise":
		if jewelry {
			return pick("ent-002", "ent-001")
		}
		return pick("ent-001", "ent-002")
	case "task-force":
		if jewelry {
			return pick("tf-jewelry", "tf-port")
		}
		return pick("tf-port", "tf-jewelry")
	case "chain":
		if jewelry {
			return pick("chain-jewelry", "chain-port")
		}
		return pick("chain-port", "chain-jewelry")
	case "unit":
		units := map[string]string{"dispatcher": demo.DistrictID, "handler": "dept-trans", "depthead": "dept-trans", "editor": "dept-drc"}
		if u, ok := units[actor]; ok {
			return pick(u, "sd-jinsha")
		}
		return pick("dept-trans", "sd-jinsha")
	case "user":
		if id, ok := authzUserIDs[actor]; ok {
			return pick(id, "u-bystander")
		}
		return pick("u-enterprise", "u-bystander")
	case "notification":
		if id, ok := authzUserIDs[actor]; ok {
			return pick(f.notes[id], f.notes["u-bystander"])
		}
		return pick(f.notes["u-enterprise"], f.notes["u-bystander"])
	case "policy":
		return pick(f.policies["published"], f.policies["draft"])
	case "publish":
		if actor == "editor" || actor == "admin" {
			return pick(f.policies["published"], f.policies["publish-"+actor])
		}
		return pick(f.policies["published"], f.policies["draft"])
	case "revoke":
		if actor == "editor" || actor == "admin" {
			return pick(f.policies["revoke-"+actor+"-published"], f.policies["revoke-"+actor+"-draft"])
		}
		return pick(f.policies["published"], f.policies["draft"])
	case "verify", "reject":
		p := "u-reg-" + kind[:1]
		switch {
		case actor == "admin":
			return pick(p+"a", p+"b")
		case jewelry:
			return pick(p+"2", p+"1")
		default:
			return pick(p+"1", p+"2")
		}
	}
	if id, ok := resolveRouting(kind, object); ok {
		return id
	}
	if id, ok := f.resolveRequest(t, kind, actor, object); ok {
		return id
	}
	if id, ok := f.resolveSLA(t, kind, actor, object); ok {
		return id
	}
	if id, ok := f.resolveFeedback(t, kind, actor, object); ok {
		return id
	}
	if id, ok := f.resolveSpotCheck(t, kind, actor, object); ok {
		return id
	}
	if id, ok := f.resolveMeeting(t, kind, actor, object); ok {
		return id
	}
	if strings.HasPrefix(kind, "act-") { // action items: api_action_items_test.go
		return f.resolveAction(t, kind, actor, object)
	}
	t.Fatalf("unknown object kind %q", ref)
	return ""
}

// authzMarker starts every name, title and address a refused row sends,
// so that a refused write that happened anyway can be found.
const authzMarker = "越权"

// assertNoRefusedWrites fails when any document of any collection holds a
// value that a refused row of the group sent.
func (f *authzFixture) assertNoRefusedWrites(t *testing.T, group string) {
	t.Helper()
	ctx := context.Background()
	d := f.db.Database()
	names, err := d.ListCollectionNames(ctx, bson.D{})
	portaltest.Must(t, err, "list collections")
	re := bson.M{"$regex": authzMarker}
	var anyField bson.A
	for _, field := range []string{"name", "title", "display_name", "address", "detail", "summary"} {
		anyField = append(anyField, bson.M{field: re})
	}
	for _, name := range names {
		n, err := d.Collection(name).CountDocuments(ctx, bson.M{"$or": anyField})
		portaltest.Must(t, err, "search %s", name)
		if n > 0 {
			t.Errorf("after the %s routes, collection %s holds %d documents with a value that a refused row sent (%q)",
				group, name, n, authzMarker)
		}
	}
}

// authzMultipart is a multipart/form-data body.
type authzMultipart struct {
	data        []byte
	contentType string
}

// authzUpload builds a form with content as the file of field "file".
func authzUpload(t *testing.T, name string, content []byte) authzMultipart {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("file", name)
	portaltest.Must(t, err, "form file")
	_, err = fw.Write(content)
	portaltest.Must(t, err, "write form file")
	portaltest.Must(t, w.Close(), "close form")
	return authzMultipart{data: b.Bytes(), contentType: w.FormDataContentType()}
}

// authzBodyFunc makes a row's body when the row runs, from the fixture
// (for tokens and sessions that exist only then).
type authzBodyFunc func(t *testing.T, f *authzFixture) any

// encode turns a row body into what the request sends; ok is false for
// a row without a body.
func (f *authzFixture) encode(t *testing.T, body any) (contentType, raw string, ok bool) {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return "", "", false
	case authzBodyFunc:
		return f.encode(t, b(t, f))
	case authzMultipart:
		return b.contentType, string(b.data), true
	case string:
		return "application/json", b, true
	default:
		data, err := json.Marshal(b)
		portaltest.Must(t, err, "encode body")
		return "application/json", string(data), true
	}
}
