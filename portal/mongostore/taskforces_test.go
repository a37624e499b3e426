package mongostore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestTaskForceStore(t *testing.T) {
	open := func(t *testing.T) *mongostore.TaskForceStore {
		db := portaltest.DB(t)
		db.SetClock(func() time.Time { return clock })
		return mongostore.NewTaskForceStore(db)
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		tf := &portal.TaskForce{Name: "港口物流服务专班", LeadUnitID: "dept-trans"}
		portaltest.Must(t, s.UpsertTaskForce(ctxT(t), tf), "upsert")
		if tf.ID == "" || !tf.CreatedAt.Equal(clock) || tf.MemberIDs == nil {
			t.Errorf("upserted = %+v; want an id, the clock and an empty member list", tf)
		}
		got, err := s.FindTaskForceByID(ctxT(t), tf.ID)
		portaltest.Must(t, err, "find")
		if got.Name != tf.Name || got.LeadUnitID != "dept-trans" || got.MemberIDs == nil || len(got.MemberIDs) != 0 {
			t.Errorf("round trip = %+v", got)
		}
	})

	t.Run("ReplaceKeepsGivenCreatedAt", func(t *testing.T) {
		s := open(t)
		created := clock.Add(-48 * time.Hour)
		portaltest.Must(t, s.UpsertTaskForce(ctxT(t), &portal.TaskForce{ID: "tf", Name: "旧名称", LeadUnitID: "a", CreatedAt: created}), "first")
		portaltest.Must(t, s.UpsertTaskForce(ctxT(t), &portal.TaskForce{ID: "tf", Name: "新名称", LeadUnitID: "b",
			MemberIDs: []string{"u1", "u2"}, CreatedAt: created}), "replace")
		got, err := s.FindTaskForceByID(ctxT(t), "tf")
		portaltest.Must(t, err, "find")
		if got.Name != "新名称" || got.LeadUnitID != "b" || !slices.Equal(got.MemberIDs, []string{"u1", "u2"}) || !got.CreatedAt.Equal(created) {
			t.Errorf("after replace = %+v", got)
		}
		all, err := s.FindTaskForces(ctxT(t))
		portaltest.Must(t, err, "find all")
		if len(all) != 1 {
			t.Errorf("replace left %d task forces, want 1", len(all))
		}
	})

	t.Run("AllByName", func(t *testing.T) {
		s := open(t)
		for _, n := range []string{"乙专班", "甲专班", "丙专班"} {
			portaltest.Must(t, s.UpsertTaskForce(ctxT(t), &portal.TaskForce{Name: n, LeadUnitID: "a"}), "upsert %s", n)
		}
		all, err := s.FindTaskForces(ctxT(t))
		portaltest.Must(t, err, "find all")
		var names []string
		for _, tf := range all {
			names = append(names, tf.Name)
		}
		// By code point: 丙 4E19 < 乙 4E59 < 甲 7532.
		if want := []string{"丙专班", "乙专班", "甲专班"}; !slices.Equal(names, want) {
			t.Errorf("order = %v, want %v", names, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		err := s.UpsertTaskForce(ctxT(t), &portal.TaskForce{ID: "bad", Name: "x"})
		if f := portal.ErrorFields(err); portal.ErrorCode(err) != portal.EINVALID || f["name"] == "" || f["lead_unit_id"] == "" {
			t.Fatalf("upsert invalid = %v, want name and lead unit named", err)
		}
		if _, err := s.FindTaskForceByID(ctxT(t), "bad"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("invalid task force was stored (%v)", err)
		}
	})
}

func TestChainStore(t *testing.T) {
	open := func(t *testing.T) *mongostore.ChainStore {
		db := portaltest.DB(t)
		db.SetClock(func() time.Time { return clock })
		return mongostore.NewChainStore(db)
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		c := &portal.Chain{Name: "港口物流", Description: "港口航运和仓储", LeadUnitID: "dept-trans"}
		portaltest.Must(t, s.UpsertChain(ctxT(t), c), "upsert")
		got, err := s.FindChainByID(ctxT(t), c.ID)
		portaltest.Must(t, err, "find")
		if got.Name != "港口物流" || got.Description != "港口航运和仓储" || !got.CreatedAt.Equal(clock) {
			t.Errorf("round trip = %+v", got)
		}
	})

	t.Run("ReplaceAndList", func(t *testing.T) {
		s := open(t)
		portaltest.Must(t, s.UpsertChain(ctxT(t), &portal.Chain{ID: "c1", Name: "黄金珠宝"}), "c1")
		portaltest.Must(t, s.UpsertChain(ctxT(t), &portal.Chain{ID: "c2", Name: "滨海旅游"}), "c2")
		portaltest.Must(t, s.UpsertChain(ctxT(t), &portal.Chain{ID: "c1", Name: "黄金珠宝产业", LeadUnitID: "dept-miit"}), "replace c1")
		all, err := s.FindChains(ctxT(t))
		portaltest.Must(t, err, "list")
		if len(all) != 2 || all[0].ID != "c2" || all[1].Name != "黄金珠宝产业" || all[1].LeadUnitID != "dept-miit" {
			t.Errorf("chains = %+v", all)
		}
	})

	t.Run("ErrInvalidAndNotFound", func(t *testing.T) {
		s := open(t)
		if err := s.UpsertChain(ctxT(t), &portal.Chain{ID: "c", Name: "链"}); portal.ErrorFields(err)["name"] == "" {
			t.Errorf("upsert a one-character name = %v, want invalid name", err)
		}
		if _, err := s.FindChainByID(ctxT(t), "c"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("find after refused upsert = %v, want not found", err)
		}
	})
}
