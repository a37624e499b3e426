package portaltest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
)

// World is the demo district on a fresh database: the org tree, chains,
// task forces, the 12 hand-written demo enterprises and the demo users,
// with the request service on top.
type World struct {
	DB       *mongostore.DB
	Users    *mongostore.UserStore
	Requests *portal.RequestService
	Store    *mongostore.RequestStore
	Notes    *mongostore.NotificationStore
	Audit    *mongostore.AuditStore
	// Search is the request index (Bleve) that Requests keeps up to date.
	Search *portal.RequestSearch
	// Routing is Requests' Router; Rules starts empty: a test that wants
	// suggestions stores rules (demo.RoutingRules(), say) there.
	Routing *portal.RoutingService
	Rules   *mongostore.RoutingRuleStore
}

// NewWorld seeds the demo district on db; now is the services' clock.
func NewWorld(tb testing.TB, db *mongostore.DB, now func() time.Time) *World {
	tb.Helper()
	ctx := context.Background()
	org, chains, tfs := mongostore.NewOrgStore(db), mongostore.NewChainStore(db), mongostore.NewTaskForceStore(db)
	for _, u := range demo.OrgUnits() {
		Must(tb, org.UpsertOrgUnit(ctx, u), "org unit %s", u.ID)
	}
	for _, c := range demo.Chains() {
		Must(tb, chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, tf := range demo.TaskForces() {
		Must(tb, tfs.UpsertTaskForce(ctx, tf), "task force %s", tf.ID)
	}
	ents := mongostore.NewEnterpriseStore(db)
	for _, e := range demo.Enterprises()[:12] {
		Must(tb, ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
	}
	w := &World{DB: db, Users: mongostore.NewUserStore(db), Store: mongostore.NewRequestStore(db, time.FixedZone("CST", 8*3600)),
		Notes: mongostore.NewNotificationStore(db), Audit: mongostore.NewAuditStore(db)}
	for _, u := range demo.Users() {
		Must(tb, w.Users.CreateUser(ctx, u), "user %s", u.Username)
	}
	w.Requests = &portal.RequestService{Store: w.Store, Enterprises: ents, Org: org, Users: w.Users,
		Categories: mongostore.NewCategoryStore(db), Attachments: mongostore.NewAttachmentStore(db), Notify: w.Notes,
		Audit: &portal.Auditor{Store: w.Audit, Now: now}, Log: slog.New(slog.DiscardHandler), Now: now}
	w.Search = &portal.RequestSearch{Index: Bleve(tb, portal.RequestSchema), Store: w.Store, Log: w.Requests.Log, Now: now}
	w.Requests.Index = w.Search
	w.Rules = mongostore.NewRoutingRuleStore(db)
	w.Routing = &portal.RoutingService{Store: w.Rules, Org: org, Categories: mongostore.NewCategoryStore(db),
		Enterprises: portal.NewEnterpriseService(ents, org, w.Users, chains, w.Audit, now), Audit: w.Requests.Audit, Now: now}
	w.Requests.Router = w.Routing
	return w
}

// WithSLA makes the SLA plans on the working calendar the request
// service's Deadliner (NewWorld sets none) and returns the SLA service.
func (w *World) WithSLA(tb testing.TB) *portal.SLAService {
	tb.Helper()
	audit := &portal.Auditor{Store: w.Audit, Now: w.Requests.Now}
	cal := &portal.CalendarService{Store: mongostore.NewCalendarStore(w.DB), Audit: audit, Now: w.Requests.Now, CacheFor: -1}
	sla := &portal.SLAService{Store: mongostore.NewSLAPlanStore(w.DB), Calendar: cal, Audit: audit,
		Log: slog.New(slog.DiscardHandler), Now: w.Requests.Now}
	w.Requests.Deadlines = sla
	return sla
}

// As returns a context acting as the demo user with username.
func (w *World) As(tb testing.TB, username string) context.Context {
	tb.Helper()
	u, err := w.Users.FindUserByUsername(context.Background(), username)
	Must(tb, err, "find user %s", username)
	return portal.WithActor(context.Background(), u.Actor())
}
