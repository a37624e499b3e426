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
	return w
}

// As returns a context acting as the demo user with username.
func (w *World) As(tb testing.TB, username string) context.Context {
	tb.Helper()
	u, err := w.Users.FindUserByUsername(context.Background(), username)
	Must(tb, err, "find user %s", username)
	return portal.WithActor(context.Background(), u.Actor())
}
