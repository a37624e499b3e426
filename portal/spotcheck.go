package portal

import (
	"cmp"
	"context"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"
)

// SpotCheck is one spot check (抽查): a sample of the requests closed in one
// month, drawn per department from a recorded seed so that anyone can draw
// it again, whose items reviewers verify by phoning the enterprises.
type SpotCheck struct {
	ID      string `json:"id" bson:"_id"`
	Month   string `json:"month" bson:"month"`     // YYYY-MM in the district's zone: the month the requests closed in
	Percent int    `json:"percent" bson:"percent"` // of each department's closed requests
	// Seed makes the sample reproducible; it stays below 2^53 so that it
	// survives JSON in every client.
	Seed       int64              `json:"seed" bson:"seed"`
	Strata     []SpotCheckStratum `json:"strata" bson:"strata"`
	Population int                `json:"population" bson:"population"` // closed requests of the month
	Sampled    int                `json:"sampled" bson:"sampled"`
	// ReviewerIDs are everyone who has or had an item, so that a reviewer
	// finds the check in the list.
	ReviewerIDs   []string  `json:"reviewer_ids" bson:"reviewer_ids"`
	CreatedByID   string    `json:"created_by_id" bson:"created_by_id"`
	CreatedByName string    `json:"created_by_name" bson:"created_by_name"`
	CreatedAt     time.Time `json:"created_at" bson:"created_at"`
}

// SpotCheckStratum is one department's share of a spot check.
type SpotCheckStratum struct {
	DepartmentID   string `json:"department_id" bson:"department_id"`
	DepartmentName string `json:"department_name" bson:"department_name"`
	Population     int    `json:"population" bson:"population"` // its closed requests of the month
	Sample         int    `json:"sample" bson:"sample"`         // how many were drawn
}

// SpotCheckItem is one sampled request with what the reviewer needs to
// call the enterprise and, once done, the verified outcome.
type SpotCheckItem struct {
	ID             string    `json:"-" bson:"_id"` // <check id>:<request id>
	CheckID        string    `json:"check_id" bson:"check_id"`
	Seq            int       `json:"seq" bson:"seq"` // position in the sample: department by department, by request id
	RequestID      string    `json:"request_id" bson:"request_id"`
	RequestNo      string    `json:"request_no" bson:"request_no"`
	Title          string    `json:"title" bson:"title"`
	EnterpriseID   string    `json:"enterprise_id" bson:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name" bson:"enterprise_name"`
	ContactName    string    `json:"contact_name" bson:"contact_name"`
	ContactPhone   string    `json:"contact_phone" bson:"contact_phone"`
	DepartmentID   string    `json:"department_id" bson:"department_id"`
	DepartmentName string    `json:"department_name" bson:"department_name"`
	ClosedAt       time.Time `json:"closed_at" bson:"closed_at"`
	CheckMonth     string    `json:"check_month" bson:"check_month"` // the month of the check, to list a reviewer's queue newest first
	// Recorded is the enterprise's answer on record (nil: closed 未评价);
	// refreshed to what the verification was compared with.
	Recorded     *Feedback `json:"recorded,omitempty" bson:"recorded,omitempty"`
	ReviewerID   string    `json:"reviewer_id" bson:"reviewer_id"`
	ReviewerName string    `json:"reviewer_name" bson:"reviewer_name"`
	// Verified is the outcome the reviewer recorded; nil while pending.
	Verified *Verification `json:"verified,omitempty" bson:"verified,omitempty"`
	// State mirrors Verified for filtering: pending, verified or discrepancy.
	State   SpotCheckItemState `json:"state" bson:"state"`
	Version int                `json:"version" bson:"version"`
}

// SpotCheckItemState is where an item stands.
type SpotCheckItemState string

// Item states; a discrepancy is a verified item whose outcome contradicts the record.
const (
	ItemPending     SpotCheckItemState = "pending"
	ItemVerified    SpotCheckItemState = "verified"
	ItemDiscrepancy SpotCheckItemState = "discrepancy"
)

// SpotCheckItemStates lists the states in the order filters show them.
var SpotCheckItemStates = []SpotCheckItemState{ItemPending, ItemVerified, ItemDiscrepancy}

// SpotCheckItemStateNames are the Chinese names of the states.
var SpotCheckItemStateNames = map[SpotCheckItemState]string{
	ItemPending: "待核实", ItemVerified: "已核实（一致）", ItemDiscrepancy: "结果不一致",
}

// SpotCheckItemID is the id of the item of request in check.
func SpotCheckItemID(checkID, requestID string) string { return checkID + ":" + requestID }

// SpotCheckFilter selects spot checks for a list, newest first.
type SpotCheckFilter struct {
	ReviewerID string // "" for every check
	Month      string
	Offset     int
	Limit      int
}

// SpotCheckItemFilter selects items of one check, or a reviewer's items
// across checks, in sample order.
type SpotCheckItemFilter struct {
	CheckID      string
	ReviewerID   string
	DepartmentID string
	States       []SpotCheckItemState
	Q            string // part of the request number, title or enterprise name
	Offset       int
	Limit        int
}

// SpotCheckCount is how far the items of one department of one check are.
type SpotCheckCount struct {
	CheckID       string `json:"check_id" bson:"check_id"`
	DepartmentID  string `json:"department_id" bson:"department_id"`
	Items         int    `json:"items" bson:"items"`
	Verified      int    `json:"verified" bson:"verified"` // discrepancies included
	Discrepancies int    `json:"discrepancies" bson:"discrepancies"`
}

// SpotCheckStore persists spot checks and their items.
type SpotCheckStore interface {
	// FindSpotCheckCandidates returns the closed requests with a
	// department that closed in [from, to), without descriptions and timelines.
	FindSpotCheckCandidates(ctx context.Context, from, to time.Time) ([]*Request, error)
	// CreateSpotCheck stores the check with its items; a failure leaves no check behind.
	CreateSpotCheck(ctx context.Context, c *SpotCheck, items []*SpotCheckItem) error
	FindSpotCheckByID(ctx context.Context, id string) (*SpotCheck, error)
	FindSpotChecks(ctx context.Context, f SpotCheckFilter) ([]*SpotCheck, int, error)
	FindSpotCheckItem(ctx context.Context, checkID, requestID string) (*SpotCheckItem, error)
	FindSpotCheckItems(ctx context.Context, f SpotCheckItemFilter) ([]*SpotCheckItem, int, error)
	// CountSpotCheckItems counts the items of the checks by department,
	// only those of reviewerID when it is set.
	CountSpotCheckItems(ctx context.Context, checkIDs []string, reviewerID string) ([]SpotCheckCount, error)
	// UpdateSpotCheckItem writes it if the stored version is still version
	// and bumps it.Version; a concurrent change answers ECONFLICT.
	UpdateSpotCheckItem(ctx context.Context, it *SpotCheckItem, version int) error
	// AddSpotCheckReviewer lists reviewerID among the check's reviewers.
	AddSpotCheckReviewer(ctx context.Context, checkID, reviewerID string) error
}

// MaxSpotCheckSeed bounds seeds to integers JSON carries exactly (2^53 − 1).
const MaxSpotCheckSeed = 1<<53 - 1

// SampleSize is how many of a department's n closed requests percent
// asks for: p % rounded up, at least one when there are any.
func SampleSize(n, percent int) int {
	if n <= 0 || percent <= 0 {
		return 0
	}
	return min(n, max(1, (n*percent+99)/100))
}

// DrawSample draws the stratified sample: the candidates grouped by
// department, each group sorted by request id, and SampleSize of each
// drawn with a generator seeded by seed and the department id. Seeding per
// department keeps one department's sample independent of the others', so
// the same month, percent, seed and data always give the same sample. The
// strata come ordered by department name and id; the sample by stratum,
// then request id.
func DrawSample(candidates []*Request, percent int, seed int64) ([]SpotCheckStratum, []*Request) {
	groups := map[string][]*Request{}
	for _, r := range candidates {
		if r.DepartmentID != "" {
			groups[r.DepartmentID] = append(groups[r.DepartmentID], r)
		}
	}
	strata := make([]SpotCheckStratum, 0, len(groups))
	for id, rs := range groups {
		slices.SortFunc(rs, func(a, b *Request) int { return cmp.Compare(a.ID, b.ID) })
		strata = append(strata, SpotCheckStratum{DepartmentID: id, DepartmentName: rs[0].DepartmentName,
			Population: len(rs), Sample: SampleSize(len(rs), percent)})
	}
	slices.SortFunc(strata, func(a, b SpotCheckStratum) int {
		return cmp.Or(cmp.Compare(a.DepartmentName, b.DepartmentName), cmp.Compare(a.DepartmentID, b.DepartmentID))
	})
	var picked []*Request
	for _, st := range strata {
		rs := groups[st.DepartmentID]
		h := fnv.New64a()
		_, _ = h.Write([]byte(st.DepartmentID))
		rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
		// A partial Fisher–Yates shuffle: the first Sample positions end
		// up holding a uniform draw without replacement.
		idx := make([]int, len(rs))
		for i := range idx {
			idx[i] = i
		}
		for i := 0; i < st.Sample; i++ {
			j := i + rng.IntN(len(idx)-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		chosen := slices.Sorted(slices.Values(idx[:st.Sample]))
		for _, i := range chosen {
			picked = append(picked, rs[i])
		}
	}
	return strata, picked
}

// Discrepant reports whether a verified answer contradicts what r
// recorded: with feedback on record, any difference in either answer; for
// a request closed without one (未评价), an enterprise that says the
// problem is unsolved or that it is dissatisfied, since the closure
// presumed the opposite.
func Discrepant(r *Request, solved Solved, satisfaction Satisfaction) bool {
	if r.Feedback != nil {
		return r.Feedback.Solved != solved || r.Feedback.Satisfaction != satisfaction
	}
	return solved == Unsolved || satisfaction == Dissatisfied
}

// SolvedName is the Chinese name of the verified "solved" answer.
func (v *Verification) SolvedName() string { return SolvedNames[v.Solved] }

// SatisfactionName is the Chinese name of the verified satisfaction.
func (v *Verification) SatisfactionName() string { return SatisfactionNames[v.Satisfaction] }
