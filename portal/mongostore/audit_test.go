package mongostore_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func mustAuditStore(t *testing.T) *mongostore.AuditStore {
	t.Helper()
	db := portaltest.DB(t)
	db.SetClock(func() time.Time { return clock })
	return mongostore.NewAuditStore(db)
}

// auditFixture is one entry per hour from clock, oldest first.
func auditFixture() []*portal.AuditEntry {
	at := func(h int) time.Time { return clock.Add(time.Duration(h) * time.Hour) }
	return []*portal.AuditEntry{
		{ID: "a0", At: at(0), ActorID: "u1", ActorName: "管理员", Action: "auth.login", ObjectType: "user", ObjectID: "u1", Outcome: portal.OutcomeOK},
		{ID: "a1", At: at(1), ActorID: "u2", ActorName: "张联络", Action: "auth.login", ObjectType: "user", ObjectID: "liaison", Outcome: portal.OutcomeFailed},
		{ID: "a2", At: at(2), ActorID: "u1", ActorName: "管理员", Action: "user.update", ObjectType: "user", ObjectID: "u2", Outcome: portal.OutcomeOK},
		{ID: "a3", At: at(3), ActorID: "u1", ActorName: "管理员", Action: "caseload.reassign", ObjectType: "task_force", ObjectID: "tf-port", Outcome: portal.OutcomeOK},
		{ID: "a4", At: at(4), ActorID: "u2", ActorName: "张联络", Action: "authx.probe", ObjectType: "user", ObjectID: "u2", Outcome: portal.OutcomeDenied},
		{ID: "a5", At: at(5), ActorID: "u2", ActorName: "张联络", Action: "auth.logout", ObjectType: "session", ObjectID: "s1", Outcome: portal.OutcomeOK},
	}
}

func auditIDs(es []*portal.AuditEntry) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestAuditStoreAppend(t *testing.T) {
	s := mustAuditStore(t)
	e := &portal.AuditEntry{ActorName: "访客", Action: "auth.login", Outcome: portal.OutcomeFailed}
	portaltest.Must(t, s.AppendAudit(ctxT(t), e), "append")
	if e.ID == "" || !e.At.Equal(clock) {
		t.Errorf("appended entry = %+v, want an id and the store clock", e)
	}
	got, n, err := s.FindAudit(ctxT(t), portal.AuditFilter{})
	portaltest.Must(t, err, "find")
	if n != 1 || got[0].ID != e.ID || got[0].ActorName != "访客" || !got[0].At.Equal(clock) {
		t.Errorf("FindAudit = %+v (total %d)", got, n)
	}
	if err := s.AppendAudit(ctxT(t), &portal.AuditEntry{ID: e.ID, Action: "x", Outcome: "ok"}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("append with an existing id = %v, want conflict (entries are never replaced)", err)
	}
}

func TestAuditStoreFind(t *testing.T) {
	s := mustAuditStore(t)
	for _, e := range auditFixture() {
		portaltest.Must(t, s.AppendAudit(ctxT(t), e), "append %s", e.ID)
	}
	at := func(h int) time.Time { return clock.Add(time.Duration(h) * time.Hour) }
	for _, tc := range []struct {
		name   string
		filter portal.AuditFilter
		want   []string
		total  int
	}{
		{"OKNewestFirst", portal.AuditFilter{}, []string{"a5", "a4", "a3", "a2", "a1", "a0"}, 6},
		{"Actor", portal.AuditFilter{ActorID: "u2"}, []string{"a5", "a4", "a1"}, 3},
		{"ExactAction", portal.AuditFilter{Action: "auth.login"}, []string{"a1", "a0"}, 2},
		{"ActionPrefix", portal.AuditFilter{Action: "auth."}, []string{"a5", "a1", "a0"}, 3},
		{"PrefixDotIsLiteral", portal.AuditFilter{Action: "auth"}, []string{}, 0},
		{"ObjectType", portal.AuditFilter{ObjectType: "task_force"}, []string{"a3"}, 1},
		{"Object", portal.AuditFilter{ObjectType: "user", ObjectID: "u2"}, []string{"a4", "a2"}, 2},
		{"Outcome", portal.AuditFilter{Outcome: portal.OutcomeFailed}, []string{"a1"}, 1},
		{"FromInclusive", portal.AuditFilter{From: at(4)}, []string{"a5", "a4"}, 2},
		{"ToExclusive", portal.AuditFilter{To: at(2)}, []string{"a1", "a0"}, 2},
		{"Range", portal.AuditFilter{From: at(1), To: at(4)}, []string{"a3", "a2", "a1"}, 3},
		{"RangeInAnotherZone", portal.AuditFilter{From: at(1).In(time.FixedZone("CST", 8*3600)), To: at(2)}, []string{"a1"}, 1},
		{"Combined", portal.AuditFilter{ActorID: "u1", Action: "user.", Outcome: portal.OutcomeOK}, []string{"a2"}, 1},
		{"Page", portal.AuditFilter{Offset: 1, Limit: 2}, []string{"a4", "a3"}, 6},
		{"NoMatch", portal.AuditFilter{ActorID: "nobody"}, []string{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.FindAudit(ctxT(t), tc.filter)
			portaltest.Must(t, err, "FindAudit")
			if !slices.Equal(auditIDs(got), tc.want) || total != tc.total {
				t.Errorf("FindAudit(%+v) = %v (total %d), want %v (total %d)", tc.filter, auditIDs(got), total, tc.want, tc.total)
			}
		})
	}
}

// TestAuditStoreHasNoUpdateAPI pins the store's method set: the audit log
// is append-only, so a method that could change or remove entries must
// not appear without this test being changed on purpose.
func TestAuditStoreHasNoUpdateAPI(t *testing.T) {
	typ := reflect.TypeOf(&mongostore.AuditStore{})
	var names []string
	for i := range typ.NumMethod() {
		names = append(names, typ.Method(i).Name)
	}
	if want := []string{"AppendAudit", "FindAudit"}; !slices.Equal(names, want) {
		t.Errorf("AuditStore methods = %v, want only %v", names, want)
	}
}
