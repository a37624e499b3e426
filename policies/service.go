package policies

import (
	"context"
	"fmt"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/search"
)

// Indexer brings the search index up to date with a policy after it was
// written to the store: in production an idempotent asynq task, in tests
// possibly a direct call.
type Indexer interface {
	// The version is the one just written, so a repeated request for it is
	// recognised without reading the policy again.
	IndexPolicy(ctx context.Context, id string, version int) error
}

// Service runs the catalogue: who may write, the life cycle, the history.
type Service struct {
	Store   Store
	Index   search.Index
	Indexer Indexer
	Audit   *portal.Auditor
	Now     func() time.Time
	// OnPublish, when set, runs after a policy was published (matchmaking
	// hooks in here); its failure is left to the periodic match repair.
	OnPublish func(ctx context.Context, p *Policy) error
}

// canEdit reports whether the actor maintains the catalogue.
func canEdit(a *portal.Actor) bool { return a.HasAny(portal.RolePolicyEditor, portal.RoleAdmin) }

// CanEdit reports whether the actor in ctx maintains the catalogue.
func CanEdit(ctx context.Context) bool { return canEdit(portal.ActorFrom(ctx)) }

func (s *Service) requireEditor(ctx context.Context) (*portal.Actor, error) {
	a := portal.ActorFrom(ctx)
	if a == nil {
		return nil, portal.Errorf(portal.EUNAUTHENTICATED, "请先登录")
	}
	if !canEdit(a) {
		return nil, portal.Errorf(portal.EFORBIDDEN, "只有政策编辑或管理员可以维护政策库")
	}
	return a, nil
}

// Get returns a policy the actor may read: editors read everything,
// everyone else published and expired ones; others answer not found.
func (s *Service) Get(ctx context.Context, id string) (*Policy, error) {
	p, err := s.Store.FindPolicyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canEdit(portal.ActorFrom(ctx)) && p.Status != StatusPublished && p.Status != StatusExpired {
		return nil, portal.Errorf(portal.ENOTFOUND, "政策不存在")
	}
	return p, nil
}

// Create stores a new draft.
func (s *Service) Create(ctx context.Context, p *Policy) (*Policy, error) {
	a, err := s.requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	p.ID, p.Status, p.Version, p.CreatedBy, p.CreatedAt, p.UpdatedAt, p.PublishedAt = portal.NewID(), StatusDraft, 1, a.UserID, now, now, nil
	if err := s.Store.CreatePolicy(ctx, p); err != nil {
		return nil, err
	}
	return p, s.after(ctx, p, "create")
}

// Update replaces the editable fields of a policy; the caller passes the
// version it edited so that a concurrent change is not overwritten.
func (s *Service) Update(ctx context.Context, id string, baseVersion int, in *Policy) (*Policy, error) {
	if _, err := s.requireEditor(ctx); err != nil {
		return nil, err
	}
	p, err := s.Store.FindPolicyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if baseVersion != 0 && baseVersion != p.Version {
		return nil, portal.Errorf(portal.ECONFLICT, "政策已被他人修改（当前第 %d 版），请刷新后重试", p.Version)
	}
	if p.Status == StatusRevoked {
		return nil, portal.Errorf(portal.ECONFLICT, "已废止的政策不能再修改")
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.ID, in.Status, in.Version = p.ID, p.Status, p.Version+1
	in.CreatedBy, in.CreatedAt, in.PublishedAt = p.CreatedBy, p.CreatedAt, p.PublishedAt
	in.UpdatedAt = s.Now().UTC()
	if err := s.Store.ReplacePolicy(ctx, in); err != nil {
		return nil, err
	}
	return in, s.after(ctx, in, "update")
}

// Publish makes a draft (or an expired policy given a new end date) public.
func (s *Service) Publish(ctx context.Context, id string) (*Policy, error) {
	p, err := s.transition(ctx, id, "publish", func(p *Policy, now time.Time) error {
		switch p.Status {
		case StatusPublished:
			return portal.Errorf(portal.ECONFLICT, "政策已发布")
		case StatusRevoked:
			return portal.Errorf(portal.ECONFLICT, "已废止的政策不能再发布")
		}
		if p.ApplyEnd != nil && !now.Before(*p.ApplyEnd) {
			return portal.Invalid("申报截止时间已过，请先修改截止时间再发布", map[string]string{"apply_end": "已过期"})
		}
		p.Status, p.PublishedAt = StatusPublished, &now
		return nil
	})
	if err == nil && s.OnPublish != nil {
		_ = s.OnPublish(ctx, p)
	}
	return p, err
}

// Revoke withdraws a policy for good (废止).
func (s *Service) Revoke(ctx context.Context, id string) (*Policy, error) {
	return s.transition(ctx, id, "revoke", func(p *Policy, now time.Time) error {
		if p.Status == StatusRevoked {
			return portal.Errorf(portal.ECONFLICT, "政策已废止")
		}
		p.Status = StatusRevoked
		return nil
	})
}

// transition applies one life-cycle change as a conditional update.
func (s *Service) transition(ctx context.Context, id, action string, change func(*Policy, time.Time) error) (*Policy, error) {
	if _, err := s.requireEditor(ctx); err != nil {
		return nil, err
	}
	p, err := s.Store.FindPolicyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	if err := change(p, now); err != nil {
		return nil, err
	}
	p.Version++
	p.UpdatedAt = now
	if err := s.Store.ReplacePolicy(ctx, p); err != nil {
		return nil, err
	}
	return p, s.after(ctx, p, action)
}

// after records history and audit, then asks for the index to follow.
func (s *Service) after(ctx context.Context, p *Policy, action string) error {
	a := portal.ActorFrom(ctx)
	v := &Version{PolicyID: p.ID, Version: p.Version, Action: action, Actor: a.Name(), At: p.UpdatedAt, Snapshot: *p}
	if a != nil {
		v.ActorID = a.UserID
	}
	if err := s.Store.AppendVersion(ctx, v); err != nil {
		return err
	}
	if s.Audit != nil {
		if err := s.Audit.Record(ctx, "policy."+action, "policy", p.ID, portal.OutcomeOK, fmt.Sprintf("version %d", p.Version)); err != nil {
			return portal.Internal(err)
		}
	}
	// MongoDB holds the change: if asking for the index update fails (Redis
	// down), the periodic drift repair indexes it later.
	_ = s.Indexer.IndexPolicy(ctx, p.ID, p.Version)
	return nil
}

// History returns a policy's versions for editors.
func (s *Service) History(ctx context.Context, id string) ([]*Version, error) {
	if _, err := s.requireEditor(ctx); err != nil {
		return nil, err
	}
	if _, err := s.Store.FindPolicyByID(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.FindVersions(ctx, id)
}

// ExpireDue marks published policies whose application period has ended as
// expired; the daily job calls it. It returns how many it expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	now := s.Now().UTC()
	due, err := s.Store.PublishedEndingBefore(ctx, now)
	if err != nil {
		return 0, err
	}
	ctx = portal.WithActor(ctx, &portal.Actor{Username: "system", DisplayName: "系统"})
	n := 0
	for _, p := range due {
		p.Status, p.Version, p.UpdatedAt = StatusExpired, p.Version+1, now
		err := s.Store.ReplacePolicy(ctx, p)
		if portal.ErrorCode(err) == portal.ECONFLICT {
			continue // changed meanwhile; the next run looks again
		}
		if err != nil {
			return n, err
		}
		if err := s.after(ctx, p, "expire"); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
