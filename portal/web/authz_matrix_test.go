package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// The authorization matrix tries every /api/v1 route on the router as every
// kind of caller, on an object the caller is responsible for ("own") and
// one it is not ("other"), and checks the status:
//
//   - 401 for the anonymous visitor where the route needs a signed-in user;
//   - 403 for a pending account, for a role that never may take the action
//     (whatever the id, so nothing can be probed), and for an object the
//     caller may see but not change;
//   - 404 for an object the caller may not see;
//   - 200/201/204 where the call is allowed, or 400 (409, 422) where the
//     row deliberately sends an empty or bad body to an allowed caller so
//     that nothing changes. Refused rows send a body that would succeed,
//     so that a missing check shows as a success, not as a 400.
//
// For callers without a scope of a kind (a handler and enterprises, say),
// "own" is the port-side object (ent-001, tf-port, chain-port) and "other"
// the jewellery-side one (ent-002, tf-jewelry, chain-jewelry); for
// policies "own" is the published policy and "other" the draft.

// authzActors are the callers, in the order their rows run.
var authzActors = []string{"anonymous", "pending", "enterprise", "enterprise2", "liaison", "liaison2",
	"dispatcher", "handler", "depthead", "committee", "editor", "admin"}

// authzBy picks a value for a row by "actor/object", then "actor", then
// "*/object", then "*".
type authzBy[T any] map[string]T

func (m authzBy[T]) pick(actor, object string) (T, bool) {
	for _, k := range []string{actor + "/" + object, actor, "*/" + object, "*"} {
		if v, ok := m[k]; ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// authzRoute is a route's entry in the matrix; it expands to one row per
// actor and object.
type authzRoute struct {
	id      string   // replaces the path parameter: a literal or "$kind", resolved per actor and object
	objects []string // tried per actor, in order; own and other with an id, none without
	want    authzBy[int]
	body    authzBy[any]      // nil sends no body
	has     authzBy[[]string] // substrings the answer must contain
	lacks   authzBy[[]string] // substrings it must not contain
	after   authzBy[func(t *testing.T, f *authzFixture)]
}

// authzRow is one call of the matrix.
type authzRow struct {
	actor, object string
	id            string
	body          any
	want          int
	has, lacks    []string
	after         func(t *testing.T, f *authzFixture)
}

// rows expands the entry; a row without an expected status is a table error.
func (r authzRoute) rows(t *testing.T, route string) []authzRow {
	t.Helper()
	objects := r.objects
	switch {
	case objects != nil:
	case r.id != "":
		objects = []string{"own", "other"}
	default:
		objects = []string{"none"}
	}
	var out []authzRow
	for _, actor := range authzActors {
		for _, object := range objects {
			want, ok := r.want.pick(actor, object)
			if !ok {
				t.Errorf("%s: no expected status for %s/%s", route, actor, object)
				continue
			}
			row := authzRow{actor: actor, object: object, id: r.id, want: want}
			row.body, _ = r.body.pick(actor, object)
			row.has, _ = r.has.pick(actor, object)
			row.lacks, _ = r.lacks.pick(actor, object)
			row.after, _ = r.after.pick(actor, object)
			out = append(out, row)
		}
	}
	return out
}

// authzSignedIn adds what every route behind sign-in answers the anonymous
// visitor (401) and a pending account (403), unless the entry says otherwise.
func authzSignedIn(m authzBy[int]) authzBy[int] {
	for actor, status := range map[string]int{"anonymous": http.StatusUnauthorized, "pending": http.StatusForbidden} {
		if _, ok := m[actor]; !ok {
			m[actor] = status
		}
	}
	return m
}

// authzTable is the matrix: "METHOD /api/v1/path" → what each caller gets.
func authzTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const (
		ok, created, noContent = http.StatusOK, http.StatusCreated, http.StatusNoContent
		bad, forbidden         = http.StatusBadRequest, http.StatusForbidden
		notFound, conflict     = http.StatusNotFound, http.StatusConflict
		unprocessable          = http.StatusUnprocessableEntity
	)
	empty := map[string]any{}
	strongPassword := "Tidal-Lantern-Orbit-73"
	newUSCC := func(n int) string {
		first17 := fmt.Sprintf("91440308MA5M%05d", n)
		c, err := portal.USCCCheckChar(first17)
		portaltest.Must(t, err, "check character")
		return first17 + string(c)
	}
	validPolicy := map[string]any{"title": "越权新建的稳岗政策", "issuer": "区人力资源和社会保障局", "level": "district",
		"category": "employment", "summary": "授权矩阵：无权维护政策库的人不得新建或修改政策。"}
	validImport := authzUpload(t, "enterprises.csv",
		[]byte("统一社会信用代码,企业名称\n"+newUSCC(2)+",越权导入的企业有限公司\n"))
	emptyImport := authzUpload(t, "empty.csv", nil)
	ent011 := demo.Enterprises()[10]

	// Each account's notification list shows its own notification and
	// never the bystander's.
	ownNote, noOtherNote := authzBy[[]string]{"anonymous": nil, "pending": nil}, authzBy[[]string]{"*": {"[u-bystander]"}}
	for actor, id := range authzUserIDs {
		if actor != "pending" {
			ownNote[actor] = []string{"矩阵通知[" + id + "]"}
		}
	}
	const e1, e2 = `"id":"ent-001"`, `"id":"ent-002"`
	portSide := []string{e1}
	jewelrySide := []string{e2}
	sameAsGetEnterprise := authzSignedIn(authzBy[int]{"*": notFound, "enterprise/own": ok, "enterprise2/own": ok,
		"liaison/own": ok, "liaison2/own": ok, "committee/own": ok, "dispatcher": ok, "admin": ok})
	autoGrant := authzSignedIn(authzBy[int]{"*/own": forbidden, "*/other": notFound,
		"editor/own": ok, "editor/other": unprocessable, "admin/own": ok, "admin/other": unprocessable})

	return map[string]authzRoute{
		// Sign-in, sign-out and registration are open to everyone.
		"POST /api/v1/auth/login": {
			want: authzBy[int]{"*": ok},
			body: authzBy[any]{"*": map[string]string{"username": "bystander", "password": authzPassword}},
		},
		"POST /api/v1/auth/refresh": {
			want: authzBy[int]{"*": bad, "anonymous": ok},
			body: authzBy[any]{"*": empty, "anonymous": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
				return map[string]string{"refresh_token": f.bystanderSession(t)}
			})},
		},
		"POST /api/v1/auth/register": {
			want: authzBy[int]{"*": bad, "anonymous": created},
			body: authzBy[any]{"*": empty, "anonymous": map[string]string{"uscc": ent011.USCC, "company_name": ent011.Name,
				"contact_name": "何畅", "phone": "13800000011", "username": "matrix-register", "password": strongPassword}},
		},
		// "other" sends the bystander's session id with a made-up secret:
		// that must not end the bystander's session. "own" ends the caller's.
		"POST /api/v1/auth/logout": {
			objects: []string{"other", "own"},
			want:    authzBy[int]{"*": noContent, "anonymous/own": bad},
			body:    authzBy[any]{"*/other": authzBodyFunc(authzForgedLogout), "anonymous/own": empty},
			after:   authzBy[func(*testing.T, *authzFixture)]{"*/other": authzVictimSurvives},
		},
		"GET /api/v1/me": {
			want: authzBy[int]{"*": ok, "anonymous": http.StatusUnauthorized},
			has:  authzBy[[]string]{"pending": {`"pending":true`}, "enterprise": {`"enterprise_id":"ent-001"`}},
		},
		"GET /api/v1/industries": {want: authzBy[int]{"*": ok}},

		// The org tree is public; only admins change it.
		"GET /api/v1/org-units":     {want: authzBy[int]{"*": ok}},
		"GET /api/v1/org-units/:id": {id: "$unit", want: authzBy[int]{"*": ok}},
		"POST /api/v1/org-units": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"name": "越权新建科", "kind": "department", "parent_id": demo.DistrictID}, "admin": empty},
		},
		"PUT /api/v1/org-units/:id": {
			id:   "$unit",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"name": "越权改名局", "kind": "department", "parent_id": demo.DistrictID}, "admin": empty},
		},

		// Task forces: admins see all, a liaison their own.
		"GET /api/v1/task-forces": {
			want:  authzSignedIn(authzBy[int]{"*": forbidden, "liaison": ok, "liaison2": ok, "admin": ok}),
			has:   authzBy[[]string]{"liaison": {"tf-port"}, "liaison2": {"tf-jewelry"}, "admin": {"tf-port", "tf-jewelry"}},
			lacks: authzBy[[]string]{"liaison": {"tf-jewelry"}, "liaison2": {"tf-port"}},
		},
		"POST /api/v1/task-forces": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"name": "越权新建专班", "lead_unit_id": "dept-trans"}, "admin": empty},
		},
		"GET /api/v1/task-forces/:id": {
			id:   "$task-force",
			want: authzSignedIn(authzBy[int]{"*": notFound, "liaison/own": ok, "liaison2/own": ok, "admin": ok}),
		},
		"PUT /api/v1/task-forces/:id": {
			id:   "$task-force",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]any{"name": "越权改名专班", "lead_unit_id": "dept-trans"}, "admin": empty},
		},
		"POST /api/v1/task-forces/:id/reassign": {
			id:   "$task-force",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"from": "u-liaison", "to": "u-liaison2", "reason": "越权移交包干企业"}, "admin": empty},
		},

		// Chains: every signed-in user sees them; the committee only its
		// own members and admins.
		"GET /api/v1/chains": {want: authzSignedIn(authzBy[int]{"*": ok})},
		"POST /api/v1/chains": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"name": "越权新建产业链", "lead_unit_id": "dept-trans"}, "admin": empty},
		},
		"GET /api/v1/chains/:id": {
			id:   "$chain",
			want: authzSignedIn(authzBy[int]{"*": ok}),
			has: authzBy[[]string]{"*": {`"committee_visible":false`}, "anonymous": nil, "pending": nil,
				"committee/own": {`"committee_visible":true`, "u-committee"}, "admin": {`"committee_visible":true`}},
			lacks: authzBy[[]string]{"*": {"u-committee"}, "committee/own": nil, "admin": nil},
		},
		"PUT /api/v1/chains/:id": {
			id:   "$chain",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"name": "越权改名产业链", "lead_unit_id": "dept-trans"}, "admin": empty},
		},

		// Accounts: admins manage them; everyone reads their own and
		// changes their own password.
		"GET /api/v1/users": {want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": ok})},
		"POST /api/v1/users": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]any{"username": "matrix-admin", "display_name": "越权管理员",
				"password": strongPassword, "roles": []string{"admin"}}, "admin": empty},
		},
		"GET /api/v1/users/:id": {
			id:   "$user",
			want: authzSignedIn(authzBy[int]{"*/own": ok, "*/other": notFound, "admin": ok}),
		},
		"PUT /api/v1/users/:id": {
			id:   "$user",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*/own": map[string]any{"roles": []string{"admin"}, "display_name": "越权提权"},
				"*/other": map[string]string{"display_name": "越权改名"},
				"admin":   map[string]string{"display_name": ""}},
		},
		"POST /api/v1/users/:id/disable": {
			id:   "$user",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin/other": ok}),
		},
		"POST /api/v1/users/:id/enable": {
			id:   "$user",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": ok}),
		},
		"POST /api/v1/users/:id/password": {
			id:   "$user",
			want: authzSignedIn(authzBy[int]{"*/own": bad, "*/other": notFound, "admin/other": noContent}),
			body: authzBy[any]{"*/own": empty, "*/other": map[string]string{"new_password": strongPassword}},
		},
		// Registrations are reviewed by the enterprise's liaison and admins;
		// a colleague of the same enterprise sees but may not decide.
		"GET /api/v1/registrations": {
			want:  authzSignedIn(authzBy[int]{"*": forbidden, "liaison": ok, "liaison2": ok, "admin": ok}),
			has:   authzBy[[]string]{"liaison": {"u-reg-v1"}, "liaison2": {"u-reg-v2"}, "admin": {"u-reg-v1", "u-reg-v2", "u-reg-va"}},
			lacks: authzBy[[]string]{"liaison": {"u-reg-v2", "u-reg-va"}, "liaison2": {"u-reg-v1", "u-reg-va"}},
		},
		"POST /api/v1/users/:id/verify": {
			id: "$verify",
			want: authzSignedIn(authzBy[int]{"*": notFound, "enterprise/own": forbidden, "enterprise2/own": forbidden,
				"liaison/own": ok, "liaison2/own": ok, "admin": ok}),
		},
		"POST /api/v1/users/:id/reject": {
			id: "$reject",
			want: authzSignedIn(authzBy[int]{"*": notFound, "enterprise/own": forbidden, "enterprise2/own": forbidden,
				"liaison/own": ok, "liaison2/own": ok, "admin": ok}),
			body: authzBy[any]{"*": map[string]string{"reason": "资料不全，请补充营业执照"}},
		},

		// Enterprises: each caller sees what it is responsible for.
		"GET /api/v1/enterprises": {
			want: authzSignedIn(authzBy[int]{"*": ok}),
			has: authzBy[[]string]{"enterprise": portSide, "liaison": portSide, "committee": portSide,
				"enterprise2": jewelrySide, "liaison2": jewelrySide, "dispatcher": {e1, e2}, "admin": {e1, e2},
				"handler": {`"total":0`}, "depthead": {`"total":0`}, "editor": {`"total":0`}},
			lacks: authzBy[[]string]{"enterprise": jewelrySide, "liaison": jewelrySide, "committee": jewelrySide,
				"enterprise2": portSide, "liaison2": portSide},
		},
		"POST /api/v1/enterprises": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"uscc": newUSCC(1), "name": "越权新建企业有限公司"}, "admin": empty},
		},
		"POST /api/v1/enterprises/import": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": validImport, "admin": emptyImport},
		},
		"GET /api/v1/enterprises/:id": {id: "$enterprise", want: sameAsGetEnterprise},
		"PUT /api/v1/enterprises/:id": {
			id: "$enterprise",
			want: authzSignedIn(authzBy[int]{"*": notFound, "enterprise/own": bad, "enterprise2/own": bad, "liaison/own": forbidden,
				"liaison2/own": forbidden, "committee/own": forbidden, "dispatcher": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"address": "越权修改的地址"},
				"enterprise/own": map[string]string{"contact_phone": "不是电话"}, "enterprise2/own": map[string]string{"contact_phone": "不是电话"},
				"admin": map[string]string{"contact_phone": "不是电话"}},
		},
		"PUT /api/v1/enterprises/:id/profile": {
			id: "$enterprise",
			want: authzSignedIn(authzBy[int]{"*": notFound, "enterprise/own": bad, "enterprise2/own": bad, "liaison/own": bad,
				"liaison2/own": bad, "committee/own": forbidden, "dispatcher": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]int{"employees": 99}, "enterprise/own": map[string]string{"founded": "不是日期"},
				"enterprise2/own": map[string]string{"founded": "不是日期"}, "liaison/own": map[string]string{"founded": "不是日期"},
				"liaison2/own": map[string]string{"founded": "不是日期"}, "admin": map[string]string{"founded": "不是日期"}},
		},
		"GET /api/v1/enterprises/:id/matches": {id: "$enterprise", want: sameAsGetEnterprise},

		// Policies: published ones are public; editors and admins maintain
		// the catalogue; liaisons and admins see who qualifies.
		"GET /api/v1/policies/search": {
			want:  authzBy[int]{"*": ok},
			has:   authzBy[[]string]{"*": {authzPublishedTitle}, "editor": {authzPublishedTitle, authzDraftTitle}, "admin": {authzPublishedTitle, authzDraftTitle}},
			lacks: authzBy[[]string]{"*": {authzDraftTitle}, "editor": nil, "admin": nil},
		},
		"POST /api/v1/policies": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "editor": bad, "admin": bad}),
			body: authzBy[any]{"*": validPolicy, "editor": empty, "admin": empty},
		},
		"GET /api/v1/policies/:id": {
			id:   "$policy",
			want: authzBy[int]{"*/own": ok, "*/other": notFound, "editor": ok, "admin": ok},
		},
		"PUT /api/v1/policies/:id": {
			id:   "$policy",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "editor": bad, "admin": bad}),
			body: authzBy[any]{"*": validPolicy, "editor": empty, "admin": empty},
		},
		"POST /api/v1/policies/:id/publish": {
			id: "$publish",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "editor/own": conflict, "editor/other": ok,
				"admin/own": conflict, "admin/other": ok}),
		},
		"POST /api/v1/policies/:id/revoke": {
			id:   "$revoke",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "editor": ok, "admin": ok}),
		},
		"GET /api/v1/policies/:id/versions": {
			id:   "$policy",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "editor": ok, "admin": ok}),
		},
		"GET /api/v1/policies/:id/matches": {
			id: "$policy",
			want: authzSignedIn(authzBy[int]{"*/own": forbidden, "*/other": notFound, "editor/other": forbidden,
				"liaison/own": ok, "liaison2/own": ok, "admin": ok}),
			has:   authzBy[[]string]{"liaison/own": portSide, "liaison2/own": jewelrySide, "admin/own": {e1, e2}},
			lacks: authzBy[[]string]{"liaison/own": jewelrySide, "liaison2/own": portSide},
		},
		"GET /api/v1/policies/:id/auto-grant":      {id: "$policy", want: autoGrant},
		"GET /api/v1/policies/:id/auto-grant.xlsx": {id: "$policy", want: autoGrant},

		// Notifications: one's own only.
		"GET /api/v1/notifications": {want: authzSignedIn(authzBy[int]{"*": ok}), has: ownNote, lacks: noOtherNote},
		"POST /api/v1/notifications/:id/read": {
			id:   "$notification",
			want: authzSignedIn(authzBy[int]{"*/own": ok, "*/other": notFound}),
		},

		// Similar requests while filing: those who file; without a text nothing.
		"GET /api/v1/requests/similar": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "enterprise": ok, "enterprise2": ok, "liaison": ok, "liaison2": ok,
				"dispatcher": ok, "admin": ok}),
			has: authzBy[[]string]{"*": {`{"items":[]}`}, "anonymous": nil, "pending": nil, "handler": nil, "depthead": nil,
				"committee": nil, "editor": nil},
		},

		"GET /api/v1/audit": {want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": ok})},

		// The working calendar: every signed-in user reads a year and
		// previews deadlines (the row sends no parameters: 400); admins
		// change a year, and the admin's row sends a stale version (409).
		"GET /api/v1/calendar/deadline": {
			want: authzSignedIn(authzBy[int]{"*": bad}),
			has:  authzBy[[]string]{"*": {`"start":`, `"amount":`, `"unit":`}, "anonymous": nil, "pending": nil},
		},
		"GET /api/v1/calendar/:year": {
			id: "2026", objects: []string{"none"}, want: authzSignedIn(authzBy[int]{"*": ok}),
			has: authzBy[[]string]{"*": {`"year":2026`, `"source":"builtin"`}, "anonymous": nil, "pending": nil},
		},
		"PUT /api/v1/calendar/:year": {
			id: "2027", objects: []string{"none"}, want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": conflict}),
			body: authzBy[any]{"*": map[string]any{"days_off": []string{"2027-01-01"}, "version": 0},
				"admin": map[string]any{"days_off": []string{"2027-01-01"}, "version": 4}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": authzCalendarUnchanged},
		},
	}
}

// authzForgedLogout signs the bystander in and asks to end that session
// with its id and a made-up secret.
func authzForgedLogout(t *testing.T, f *authzFixture) any {
	sid, _, _ := strings.Cut(f.bystanderSession(t), ".")
	f.victim = sid
	return map[string]string{"refresh_token": sid + ".made-up-secret"}
}

// authzVictimSurvives checks that the forged logout left the session alive.
func authzVictimSurvives(t *testing.T, f *authzFixture) {
	s, err := f.sessions.FindSession(context.Background(), f.victim)
	portaltest.Must(t, err, "find the bystander's session")
	if s.RevokedAt != nil {
		t.Errorf("a logout with the session id and a made-up secret ended the bystander's session %s (reason %q)", s.ID, s.Reason)
	}
}

// authzGroup names the fixture a route runs on: one per first path
// segment, so that writes of one group cannot change another's answers;
// logout, which ends the callers' sessions, has its own, and the small
// read-only routes share the sign-in routes' one.
func authzGroup(route string) string {
	if route == "POST /api/v1/auth/logout" {
		return "logout"
	}
	_, path, _ := strings.Cut(route, " ")
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/")
	switch seg {
	case "me", "industries", "audit", "categories":
		return "auth"
	}
	return seg
}

var authzParam = regexp.MustCompile(`:[A-Za-z_]+`)

// TestAuthorizationMatrix checks every /api/v1 route for every caller; a
// route without an entry, or an entry for a route that is gone, fails.
func TestAuthorizationMatrix(t *testing.T) {
	table := authzTable(t)
	for route, entry := range authzRequestTable(t) { // the request (诉求) rows live in api_requests_test.go
		table[route] = entry
	}
	for route, entry := range authzSLATable(t) { // the SLA plan and extension rows live in api_sla_test.go
		table[route] = entry
	}
	for route, entry := range authzFeedbackTable(t) { // the phone record: feedback_test.go
		table[route] = entry
	}
	for route, entry := range authzRoutingTable(t) { // routing rules and categories: api_routing_test.go
		table[route] = entry
	}
	for route, entry := range authzKPITable(t) { // the rates: pages_kpis_test.go
		table[route] = entry
	}
	for route, entry := range authzSpotCheckTable(t) { // spot checks: api_spotchecks_test.go
		table[route] = entry
	}
	for route, entry := range authzMeetingTable(t) { // meetings and visits: api_meetings_test.go
		table[route] = entry
	}
	for route, entry := range authzActionTable(t) { // action items and the board: api_action_items_test.go
		table[route] = entry
	}
	groups := map[string][]string{}
	for route := range table {
		groups[authzGroup(route)] = append(groups[authzGroup(route)], route)
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	redis := portaltest.StartRedis(t)
	first := newAuthzFixture(t, redis)

	registered := map[string]bool{}
	for _, r := range first.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || strings.Contains(r.Path, "/test-") {
			continue
		}
		route := r.Method + " " + r.Path
		registered[route] = true
		if _, ok := table[route]; !ok {
			t.Errorf("route %s has no entry in the authorization matrix: add its rows to authzTable", route)
		}
	}
	for route := range table {
		if !registered[route] {
			t.Errorf("the authorization matrix has an entry for %s, which the router no longer serves", route)
		}
	}

	for i, g := range names {
		f := first
		if i > 0 {
			f = newAuthzFixture(t, redis)
		}
		routes := groups[g]
		slices.Sort(routes)
		for _, route := range routes {
			if registered[route] {
				f.run(t, route, table[route])
			}
		}
		f.assertNoRefusedWrites(t, g)
	}
}

// run sends each row of one route as its own subtest.
func (f *authzFixture) run(t *testing.T, route string, entry authzRoute) {
	method, path, _ := strings.Cut(route, " ")
	if authzParam.MatchString(path) != (entry.id != "") {
		t.Errorf("%s: the matrix entry must name an object (id) exactly when the path has a parameter", route)
		return
	}
	rn := portaltest.Runner{Handler: f.srv.Handler(), Auth: func(t *testing.T, actor string, r *http.Request) {
		if tok := f.tokens[actor]; tok != "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
	}}
	for _, row := range entry.rows(t, route) {
		p := path
		if entry.id != "" {
			// A path with two parameters takes an id of the form "first/second".
			ids := strings.SplitN(f.resolve(t, row.id, row.actor, row.object), "/", strings.Count(path, ":"))
			p = authzParam.ReplaceAllStringFunc(path, func(string) string {
				id := ids[0]
				if len(ids) > 1 {
					ids = ids[1:]
				}
				return id
			})
		}
		// The body is made just before its row runs: some rows hand out
		// sessions that only that row may use.
		contentType, body, hasBody := f.encode(t, row.body)
		sc := portaltest.Scenario{Name: route + "/" + row.actor + "/" + row.object, Method: method, Path: p,
			Actor: row.actor, Status: row.want, Contains: row.has, NotContains: row.lacks}
		if hasBody {
			sc.Body = body
			sc.Headers = map[string]string{"Content-Type": contentType}
		}
		if row.after != nil {
			after := row.after
			sc.After = func(t *testing.T, _ *httptest.ResponseRecorder) { after(t, f) }
		}
		rn.Run(t, []portaltest.Scenario{sc})
	}
}
