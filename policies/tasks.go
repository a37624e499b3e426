package policies

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/portal"
)

// Task types of the catalogue.
const (
	TypeIndex  = "policy:index"  // bring one policy's search document up to date
	TypeExpire = "policy:expire" // expire policies past apply_end (daily)
	TypeRepair = "policy:repair" // re-index recently changed policies (drift repair)
)

type indexPayload struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// Queue asks asynq to index policies: writes commit to MongoDB first, then
// enqueue an idempotent task.
type Queue struct {
	Client *asynq.Client
}

// IndexPolicy enqueues the index task of a policy version just written; the
// task id makes a repeated request for the same version a no-op.
func (q *Queue) IndexPolicy(ctx context.Context, id string, version int) error {
	payload, _ := json.Marshal(indexPayload{ID: id, Version: version})
	_, err := q.Client.EnqueueContext(ctx, asynq.NewTask(TypeIndex, payload),
		asynq.TaskID(fmt.Sprintf("%s:%s:%d", TypeIndex, id, version)), asynq.MaxRetry(10), asynq.Retention(time.Hour))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil // this version is already queued
	}
	return err
}

// HandleIndexTask reads the policy from MongoDB and writes its search
// document, or removes it if the policy is gone. Running it twice is harmless.
func (s *Service) HandleIndexTask(ctx context.Context, t *asynq.Task) error {
	var p indexPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ID == "" {
		return fmt.Errorf("policy:index payload %q: %v: %w", t.Payload(), err, asynq.SkipRetry)
	}
	return s.IndexNow(ctx, p.ID)
}

// IndexNow writes one policy's search document from the store.
func (s *Service) IndexNow(ctx context.Context, id string) error {
	pol, err := s.Store.FindPolicyByID(ctx, id)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return s.Index.Delete(ctx, id)
	}
	if err != nil {
		return err
	}
	return s.Index.Upsert(ctx, SearchDocument(pol))
}

// HandleExpireTask expires policies past their application period.
func (s *Service) HandleExpireTask(ctx context.Context, _ *asynq.Task) error {
	_, err := s.ExpireDue(ctx)
	return err
}

// RepairWindow is how far back the drift repair re-indexes changed policies.
const RepairWindow = 2 * time.Hour

// HandleRepairTask re-indexes every policy changed within RepairWindow,
// catching index tasks lost with a wiped Redis.
func (s *Service) HandleRepairTask(ctx context.Context, _ *asynq.Task) error {
	changed, err := s.Store.UpdatedSince(ctx, s.Now().Add(-RepairWindow))
	if err != nil {
		return err
	}
	for id := range changed {
		if err := s.IndexNow(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
