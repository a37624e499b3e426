package portal

import (
	"context"
	"slices"
)

// TriageStatuses are the states in which a request waits for a dispatcher.
var TriageStatuses = []Status{StatusSubmitted, StatusReturned, StatusEscalated}

// MayFile reports whether the actor in ctx may file requests at all: an
// enterprise for itself, a liaison for the caseload, a dispatcher for the
// area, an admin for anyone. File decides for each enterprise.
func (s *RequestService) MayFile(ctx context.Context) bool {
	return ActorFrom(ctx).HasAny(RoleEnterprise, RoleLiaison, RoleDispatcher, RoleAdmin)
}

// AllowedActions returns the public actions the actor in ctx may take on
// r in its current state, in the order of PublicActions. r is a request
// the actor sees (as Get or List returned it); pages use the answer to
// offer only buttons that can work, and Act still decides.
func (s *RequestService) AllowedActions(ctx context.Context, r *Request) []Action {
	a := ActorFrom(ctx)
	if a == nil || a.Pending || r == nil {
		return nil
	}
	var out []Action
	for _, act := range PublicActions {
		t := transitions[act]
		if slices.Contains(t.from, r.Status) && s.mayAct(a, r, t.who) {
			out = append(out, act)
		}
	}
	return out
}

// MayAttach reports whether the actor in ctx may add a file to r, which
// the actor sees: the rule AddAttachment applies, for pages to decide
// whether to offer the upload form.
func (s *RequestService) MayAttach(ctx context.Context, r *Request) bool {
	a := ActorFrom(ctx)
	if a == nil || a.Pending || r == nil || r.Status.Final() || len(r.Attachments) >= MaxAttachments {
		return false
	}
	return s.mayAct(a, r, byOwner) || s.mayAct(a, r, byHandlerOrDispatcher)
}
