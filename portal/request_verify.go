package portal

import (
	"context"
	"fmt"
	"strings"
)

// ActSpotCheck is the timeline action of a spot check's verification.
const ActSpotCheck Action = "spot_check"

// VerifyInput is what a spot-check reviewer records after phoning the
// enterprise: was the problem solved, how satisfied it is, and a note.
type VerifyInput struct {
	Solved       Solved       `json:"solved"`
	Satisfaction Satisfaction `json:"satisfaction"`
	Note         string       `json:"note"`
}

// check validates in and returns the cleaned note.
func (in VerifyInput) check() (string, error) {
	f := map[string]string{}
	if _, ok := SolvedNames[in.Solved]; !ok {
		f["solved"] = "请选择问题是否解决：解决、部分解决或未解决"
	}
	if _, ok := SatisfactionNames[in.Satisfaction]; !ok {
		f["satisfaction"] = "请选择满意程度：满意、基本满意或不满意"
	}
	note := checkText(f, "note", "核实说明", in.Note, 0, 500)
	if len(f) > 0 {
		return "", Invalid("核实结果有误", f)
	}
	return note, nil
}

// errVerifiedByCheck answers a second verification of a request by the same check.
var errVerifiedByCheck = Errorf(ECONFLICT, "该诉求已在本次抽查中核实过，不能重复核实")

// recordVerification writes the outcome a reviewer of check verified to
// request id: Verified with the discrepancy against the record, a
// "spot_check" timeline event, the audit entry, then the after-effects,
// so that the rate counters count the verified outcome. The caller has
// authorized the reviewer for this item; the request itself need not be
// in the reviewer's scope. A request the check already verified comes
// back with errVerifiedByCheck; one no longer closed answers 409.
func (s *RequestService) recordVerification(ctx context.Context, id, checkID string, in VerifyInput) (*Request, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	note, err := in.check()
	if err != nil {
		return nil, err
	}
	r, err := s.Store.FindRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Verified != nil && r.Verified.CheckID == checkID {
		return r, errVerifiedByCheck
	}
	if r.Status != StatusClosed {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("诉求当前状态为“%s”，不是已关闭的诉求，不能抽查核实", StatusNames[r.Status]),
			Fields: map[string]string{"status": string(r.Status)}}
	}
	now := s.now()
	v := &Verification{CheckID: checkID, Solved: in.Solved, Satisfaction: in.Satisfaction, Note: note,
		Discrepancy: Discrepant(r, in.Solved, in.Satisfaction), ReviewerID: a.UserID, ReviewerName: a.Name(), At: now}
	next := cloneRequest(r)
	next.Verified = v
	next.UpdatedAt = now
	next.Timeline = append(next.Timeline, Event{At: now, ActorID: a.UserID, ActorName: a.Name(), Action: string(ActSpotCheck),
		Department: r.DepartmentName, Note: verificationNote(r, v)})
	if err := s.Store.UpdateRequest(ctx, next, r.Version); err != nil {
		return nil, s.conflictNow(ctx, r.ID, err)
	}
	if err := s.Audit.Record(ctx, "request."+string(ActSpotCheck), "request", r.ID, OutcomeOK, next.No+" "+verificationNote(r, v)); err != nil {
		return nil, Internal(err)
	}
	s.after(ctx, r, next, string(ActSpotCheck))
	return next, nil
}

// verificationNote says in one line what the reviewer found, and against what.
func verificationNote(r *Request, v *Verification) string {
	var b strings.Builder
	fmt.Fprintf(&b, "电话核实：%s，%s", SolvedNames[v.Solved], SatisfactionNames[v.Satisfaction])
	switch {
	case !v.Discrepancy:
		b.WriteString("；与记录一致")
	case r.Feedback != nil:
		fmt.Fprintf(&b, "；与回访记录（%s，%s）不一致", SolvedNames[r.Feedback.Solved], SatisfactionNames[r.Feedback.Satisfaction])
	default:
		b.WriteString("；该诉求以“未评价”关闭，企业实际反映未解决或不满意")
	}
	if v.Note != "" {
		b.WriteString("。" + v.Note)
	}
	return b.String()
}
