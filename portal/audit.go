package portal

import (
	"context"
	"time"
)

// Audit outcomes.
const (
	OutcomeOK        = "ok"
	OutcomeFailed    = "failed"
	OutcomeDenied    = "denied"
	OutcomeThrottled = "throttled"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID         string    `json:"id" bson:"_id"`
	At         time.Time `json:"at" bson:"at"`
	ActorID    string    `json:"actor_id,omitempty" bson:"actor_id,omitempty"`
	ActorName  string    `json:"actor_name" bson:"actor_name"`
	Action     string    `json:"action" bson:"action"` // e.g. auth.login, user.update, caseload.reassign
	ObjectType string    `json:"object_type,omitempty" bson:"object_type,omitempty"`
	ObjectID   string    `json:"object_id,omitempty" bson:"object_id,omitempty"`
	ClientIP   string    `json:"client_ip,omitempty" bson:"client_ip,omitempty"`
	Outcome    string    `json:"outcome" bson:"outcome"`
	Detail     string    `json:"detail,omitempty" bson:"detail,omitempty"`
}

// AuditFilter selects audit entries; empty fields are not applied.
type AuditFilter struct {
	ActorID    string
	Action     string // exact action, or a prefix ending in "." (e.g. "auth.")
	ObjectType string
	ObjectID   string
	Outcome    string
	From, To   time.Time // To is exclusive
	Offset     int
	Limit      int
}

// AuditStore appends to and reads the audit log. There is no update or delete.
type AuditStore interface {
	AppendAudit(ctx context.Context, e *AuditEntry) error
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}

// Auditor writes audit entries for an actor in context.
type Auditor struct {
	Store AuditStore
	Now   func() time.Time
}

// Record appends an entry for the actor in ctx; a failure to write the
// audit log fails the action that asked for it.
func (a *Auditor) Record(ctx context.Context, action, objectType, objectID, outcome, detail string) error {
	actor := ActorFrom(ctx)
	e := &AuditEntry{
		At: a.Now().UTC(), Action: action, ObjectType: objectType, ObjectID: objectID,
		Outcome: outcome, Detail: detail, ActorName: actor.Name(),
	}
	if actor != nil {
		e.ActorID, e.ClientIP = actor.UserID, actor.ClientIP
	}
	return a.Store.AppendAudit(ctx, e)
}
