package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// ActionItemStore persists action items (议定事项) in the action_items
// collection; their evidence bytes are in the attachment store under the
// item's id.
type ActionItemStore struct{ db *DB }

var _ portal.ActionItemStore = (*ActionItemStore)(nil)

// NewActionItemStore returns the action item store of db.
func NewActionItemStore(db *DB) *ActionItemStore { return &ActionItemStore{db: db} }

func (s *ActionItemStore) coll() *mongo.Collection { return s.db.db.Collection("action_items") }

// actionItemDoc is an item as stored, with the sort key of every list:
// final (done or cancelled) items after the open ones.
type actionItemDoc struct {
	*portal.ActionItem `bson:",inline"`
	Final              bool `bson:"final"`
}

func actionDocOf(it *portal.ActionItem) actionItemDoc {
	return actionItemDoc{ActionItem: it, Final: it.Final()}
}

// CreateActionItem stores a new item; an id taken answers ECONFLICT.
func (s *ActionItemStore) CreateActionItem(ctx context.Context, it *portal.ActionItem) error {
	_, err := s.coll().InsertOne(ctx, actionDocOf(it))
	if mongo.IsDuplicateKeyError(err) {
		return portal.Errorf(portal.ECONFLICT, "议定事项已存在")
	}
	return translate(err, "议定事项")
}

// FindActionItemByID returns the item with id.
func (s *ActionItemStore) FindActionItemByID(ctx context.Context, id string) (*portal.ActionItem, error) {
	var it portal.ActionItem
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&it); err != nil {
		return nil, translate(err, "议定事项")
	}
	return &it, nil
}

// actionListProjection leaves out what lists never show.
var actionListProjection = bson.D{{Key: "description", Value: 0}, {Key: "events", Value: 0}}

// FindActionItems returns one page of the matching items, open ones
// first, each group by due time then id, and the total. Lists leave out
// the description and history, but keep the progress updates (evidence
// counts and the latest note are shown).
func (s *ActionItemStore) FindActionItems(ctx context.Context, f portal.ActionItemFilter) ([]*portal.ActionItem, int, error) {
	sort := bson.D{{Key: "final", Value: 1}, {Key: "due", Value: 1}, {Key: "_id", Value: 1}}
	return findProjectedPage[portal.ActionItem](ctx, s.coll(), actionQuery(f), sort, actionListProjection, f.Offset, f.Limit, "议定事项")
}

// actionQuery is f as a query; every set field must match.
func actionQuery(f portal.ActionItemFilter) bson.D {
	and := bson.A{}
	add := func(k string, v any) { and = append(and, bson.D{{Key: k, Value: v}}) }
	if f.AnyOf != nil {
		or := bson.A{}
		for _, c := range f.AnyOf {
			switch {
			case c.ChainID != "":
				or = append(or, bson.D{{Key: "chain_id", Value: c.ChainID}})
			case c.UnitID != "":
				or = append(or, bson.D{{Key: "lead_unit_id", Value: c.UnitID}}, bson.D{{Key: "co_unit_ids", Value: c.UnitID}})
			}
		}
		if len(or) == 0 {
			add("_id", bson.D{{Key: "$in", Value: bson.A{}}})
		} else {
			add("$or", or)
		}
	}
	if f.IDs != nil {
		add("_id", bson.D{{Key: "$in", Value: f.IDs}})
	}
	if f.ChainID != "" {
		add("chain_id", f.ChainID)
	}
	if f.MeetingID != "" {
		add("meeting_id", f.MeetingID)
	}
	if f.ParentID != "" {
		add("parent_id", f.ParentID)
	}
	if f.UnitID != "" {
		add("$or", bson.A{bson.D{{Key: "lead_unit_id", Value: f.UnitID}}, bson.D{{Key: "co_unit_ids", Value: f.UnitID}}})
	}
	if len(f.Statuses) > 0 {
		add("status", bson.D{{Key: "$in", Value: f.Statuses}})
	}
	if f.AwaitingConfirm != nil {
		add("awaiting_confirm", *f.AwaitingConfirm)
	}
	if f.OverdueAt != nil {
		add("status", bson.D{{Key: "$in", Value: bson.A{portal.ActionOpen, portal.ActionInProgress}}})
		add("awaiting_confirm", false)
		add("due", bson.D{{Key: "$lte", Value: *f.OverdueAt}})
	}
	if f.Q != "" {
		add("title", bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"})
	}
	if len(and) == 0 {
		return bson.D{}
	}
	return bson.D{{Key: "$and", Value: and}}
}

// UpdateActionItem replaces the stored item with it if its version is
// still version, and bumps it.Version. The claim on
// "action_items:<id>:<version>" makes exactly one of several racing
// writers win, also on embedded FerretDB, whose conditional updates are
// not atomic.
func (s *ActionItemStore) UpdateActionItem(ctx context.Context, it *portal.ActionItem, version int) error {
	conflict := portal.Errorf(portal.ECONFLICT, "该事项刚被他人修改，请刷新后重试")
	if err := ClaimVersion(ctx, s.db.db, "action_items", it.ID, version); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return conflict
		}
		return err
	}
	var stored struct {
		Version int `bson:"version"`
	}
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: it.ID}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&stored)
	if err != nil {
		return translate(err, "议定事项")
	}
	if stored.Version != version {
		return conflict
	}
	it.Version = version + 1
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: it.ID}}, actionDocOf(it))
	if err != nil || res.MatchedCount == 0 {
		it.Version = version
		if err != nil {
			return translate(err, "议定事项")
		}
		return conflict
	}
	return nil
}

// ActionItemFacets counts the matching items per meeting and per lead
// unit, each by name.
func (s *ActionItemStore) ActionItemFacets(ctx context.Context, f portal.ActionItemFilter) (meetings, owners []portal.ActionFacet, err error) {
	group := func(id, name string) ([]portal.ActionFacet, error) {
		// Grouping by the id and the name together, which go with each
		// other, names each group without an accumulator FerretDB lacks.
		cur, err := s.coll().Aggregate(ctx, mongo.Pipeline{
			{{Key: "$match", Value: actionQuery(f)}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "id", Value: "$" + id}, {Key: "name", Value: "$" + name}}},
				{Key: "count", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
			{{Key: "$sort", Value: bson.D{{Key: "_id.name", Value: 1}, {Key: "_id.id", Value: 1}}}},
		})
		if err != nil {
			return nil, translate(err, "议定事项")
		}
		var rows []struct {
			Key struct {
				ID   string `bson:"id"`
				Name string `bson:"name"`
			} `bson:"_id"`
			Count int `bson:"count"`
		}
		if err := cur.All(ctx, &rows); err != nil {
			return nil, translate(err, "议定事项")
		}
		out := make([]portal.ActionFacet, 0, len(rows))
		at := map[string]int{}
		for _, r := range rows {
			if i, ok := at[r.Key.ID]; ok {
				out[i].Count += r.Count // items named before a rename: one entry
				continue
			}
			at[r.Key.ID] = len(out)
			out = append(out, portal.ActionFacet{ID: r.Key.ID, Name: r.Key.Name, Count: r.Count})
		}
		return out, nil
	}
	if meetings, err = group("meeting_id", "meeting_name"); err != nil {
		return nil, nil, err
	}
	if owners, err = group("lead_unit_id", "lead_name"); err != nil {
		return nil, nil, err
	}
	return meetings, owners, nil
}

// actionRungProjection keeps what rungs are planned from.
var actionRungProjection = bson.D{{Key: "description", Value: 0}, {Key: "events", Value: 0}, {Key: "updates", Value: 0}}

// FindActionItemsWithRungBefore returns up to limit items whose next rung
// fires at or before before, by that time then id, after the cursor.
// Action items are a few per meeting, so even the embedded backend's
// scan of the collection stays small.
func (s *ActionItemStore) FindActionItemsWithRungBefore(ctx context.Context, before time.Time, after *portal.RungCursor, limit int) ([]*portal.ActionItem, error) {
	q := bson.D{{Key: "next_rung_at", Value: bson.D{{Key: "$lte", Value: before}}}}
	if after != nil {
		q = bson.D{{Key: "$and", Value: bson.A{q, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "next_rung_at", Value: bson.D{{Key: "$gt", Value: after.At}}}},
			bson.D{{Key: "next_rung_at", Value: after.At}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: after.ID}}}},
		}}}}}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "next_rung_at", Value: 1}, {Key: "_id", Value: 1}}).SetProjection(actionRungProjection)
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := s.coll().Find(ctx, q, opts)
	if err != nil {
		return nil, translate(err, "议定事项")
	}
	out := []*portal.ActionItem{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "议定事项")
	}
	return out, nil
}

// actionItemIndexes serve the board (chain, status, due), a meeting's
// items, a unit's items as lead or co-owner, the chasing sweep and the
// sub-items of an item.
func actionItemIndexes(ctx context.Context, db *mongo.Database) error {
	return ensureIndexes(ctx, db.Collection("action_items"),
		mongo.IndexModel{Keys: bson.D{{Key: "chain_id", Value: 1}, {Key: "status", Value: 1}, {Key: "due", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "meeting_id", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "lead_unit_id", Value: 1}, {Key: "status", Value: 1}, {Key: "due", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "co_unit_ids", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "next_rung_at", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "parent_id", Value: 1}}},
	)
}
