package portal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// ProgressInput is an owner's progress report. Percent 100 reports the
// item finished: it needs evidence (sent with it or earlier) and waits for
// the committee's confirmation.
type ProgressInput struct {
	Percent *int   `json:"percent"`
	Note    string `json:"note"`
	Version int    `json:"version"`
}

// ConfirmInput is the committee's verdict on an item reported finished:
// confirmed, or sent back (SendBack) with a note saying why.
type ConfirmInput struct {
	SendBack bool   `json:"send_back"`
	Note     string `json:"note"`
	Version  int    `json:"version"`
}

// CancelInput cancels an item, saying why.
type CancelInput struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// Review actions of the board.
const (
	ReviewMarkReviewed = "reviewed"   // 已督查
	ReviewComment      = "comment"    // 督查意见
	ReviewAskUpdate    = "ask_update" // 要求报送进展
)

// ReviewActionNames are the Chinese names of the review actions.
var ReviewActionNames = map[string]string{ReviewMarkReviewed: "标记已督查", ReviewComment: "填写督查意见", ReviewAskUpdate: "要求报送进展"}

// ReviewInput is a bulk review of several items on the board.
type ReviewInput struct {
	IDs    []string `json:"ids"`
	Action string   `json:"action"`
	Note   string   `json:"note"`
}

// ReviewResult says what a bulk review did.
type ReviewResult struct {
	Updated  int `json:"updated"`
	Notified int `json:"notified"`
}

func (s *ActionItemService) maxAttachment() int64 {
	if s.MaxAttachmentBytes > 0 {
		return s.MaxAttachmentBytes
	}
	return DefaultMaxAttachmentBytes
}

// AttachmentLimit returns the largest evidence file accepted, in bytes.
func (s *ActionItemService) AttachmentLimit() int64 { return s.maxAttachment() }

// checkEvidence validates evidence uploads into f, as request attachments are.
func (s *ActionItemService) checkEvidence(it *ActionItem, uploads []Upload, f map[string]string) []checkedUpload {
	if len(uploads) == 0 {
		return nil
	}
	if s.Attachments == nil {
		f["evidence"] = "暂不支持上传佐证材料"
		return nil
	}
	if it.evidenceCount()+len(uploads) > MaxEvidencePerItem {
		f["evidence"] = fmt.Sprintf("每个事项最多 %d 份佐证材料", MaxEvidencePerItem)
		return nil
	}
	out := make([]checkedUpload, 0, len(uploads))
	for _, up := range uploads {
		name := attachmentName(up.Name)
		switch {
		case len(up.Content) == 0:
			f["evidence"] = fmt.Sprintf("佐证材料“%s”是空文件", name)
		case int64(len(up.Content)) > s.maxAttachment():
			f["evidence"] = fmt.Sprintf("佐证材料“%s”超过 %d MB", name, s.maxAttachment()>>20)
		default:
			ct, err := SniffAttachment(up.Content)
			if err != nil {
				f["evidence"] = fmt.Sprintf("佐证材料“%s”不是图片、PDF、音频或视频文件", name)
				continue
			}
			out = append(out, checkedUpload{name: name, contentType: ct, content: up.Content})
		}
	}
	return out
}

// putEvidence stores checked files under the item's id; on failure the
// ones stored are removed.
func (s *ActionItemService) putEvidence(ctx context.Context, it *ActionItem, a *Actor, files []checkedUpload, now time.Time) ([]Attachment, error) {
	var out []Attachment
	for _, up := range files {
		id := NewID()
		n, err := s.Attachments.PutAttachment(ctx, it.ID, id, up.name, up.contentType, bytes.NewReader(up.content))
		if err != nil {
			s.dropEvidence(ctx, it.ID, out)
			return nil, err
		}
		out = append(out, Attachment{ID: id, Name: up.name, ContentType: up.contentType, Size: n, UploadedBy: a.Name(), UploadedAt: now})
	}
	return out, nil
}

func (s *ActionItemService) dropEvidence(ctx context.Context, itemID string, atts []Attachment) {
	for _, att := range atts {
		if err := s.Attachments.DeleteAttachment(ctx, itemID, att.ID); err != nil {
			s.log().Error("drop evidence", "item", itemID, "attachment", att.ID, "err", err)
		}
	}
}

// ownerUnit returns the unit a reports for on it.
func ownerUnit(a *Actor) string { return a.UnitID }

// Report stores an owner's progress update, with evidence files when
// given. The first update starts the item; 100 % reports it finished,
// which needs evidence and waits for the committee. An item with
// sub-items takes its progress from them and refuses direct updates.
func (s *ActionItemService) Report(ctx context.Context, id string, in ProgressInput, uploads []Upload) (*ActionItem, error) {
	a, it, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ownsAction(a, it) {
		return nil, Errorf(EFORBIDDEN, "只有牵头单位或协办单位可以报送进展")
	}
	if err := finalConflict(it, "报送进展"); err != nil {
		return nil, err
	}
	if it.SubCount > 0 {
		return nil, &Error{Code: ECONFLICT, Message: "该事项已分解为子事项，进度由子事项按权重汇总，请在子事项中报送进展",
			Fields: map[string]string{"percent": "进度由子事项汇总"}}
	}
	if it.AwaitingConfirm {
		return nil, &Error{Code: ECONFLICT, Message: "已报办结，正在等待产业链党委确认；如需补充材料请上传佐证材料",
			Fields: map[string]string{"status": "awaiting_confirm"}}
	}
	if in.Version != 0 && in.Version != it.Version {
		return nil, staleVersion(it)
	}
	f := map[string]string{}
	percent := 0
	switch {
	case in.Percent == nil:
		f["percent"] = "请填写完成进度（0–100）"
	case *in.Percent < 0 || *in.Percent > 100:
		f["percent"] = "完成进度应为 0–100 的整数"
	default:
		percent = *in.Percent
	}
	note := checkText(f, "note", "进展说明", in.Note, 2, 1000)
	if len(uploads) > 5 {
		f["evidence"] = "每次最多上传 5 份佐证材料"
	}
	files := s.checkEvidence(it, uploads, f)
	if len(f) > 0 {
		return nil, Invalid("进展信息有误", f)
	}
	if percent == 100 && len(files) == 0 && !it.HasEvidence() {
		return nil, Invalid("标记办结需上传佐证材料", map[string]string{"evidence": "标记办结需上传佐证材料"})
	}
	now := s.now()
	evidence, err := s.putEvidence(ctx, it, a, files, now)
	if err != nil {
		return nil, err
	}
	next := cloneActionItem(it)
	next.Updates = append(next.Updates, ProgressUpdate{ID: NewID(), Percent: percent, Note: note, Evidence: evidence,
		ByID: a.UserID, ByName: a.Name(), UnitID: ownerUnit(a), At: now})
	next.Progress = percent
	if next.Status == ActionOpen {
		next.Status = ActionInProgress
	}
	next.AwaitingConfirm = percent == 100
	if err := s.save(ctx, it, next, now); err != nil {
		s.dropEvidence(ctx, it.ID, evidence)
		return nil, err
	}
	detail := fmt.Sprintf("%s：%d%%", next.Title, percent)
	if err := s.Audit.Record(ctx, "action_item.progress", "action_item", it.ID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	if next.AwaitingConfirm {
		s.notifyCommittee(ctx, next, "awaiting:"+next.Updates[len(next.Updates)-1].ID, "【待确认】议定事项已报办结："+next.Title,
			fmt.Sprintf("%s报告事项已办结并上传了佐证材料，请确认或退回。", a.Name()), now)
	}
	if next.ParentID != "" {
		s.rollUp(ctx, next.ParentID)
	}
	s.after(ctx, it, next)
	return next, nil
}

// AddEvidence attaches one evidence file to an item as a progress entry
// that keeps the current percentage; owners may add evidence while the
// committee has not yet confirmed the item.
func (s *ActionItemService) AddEvidence(ctx context.Context, id string, up Upload, note string) (*ActionItem, error) {
	a, it, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ownsAction(a, it) {
		return nil, Errorf(EFORBIDDEN, "只有牵头单位或协办单位可以上传佐证材料")
	}
	if err := finalConflict(it, "上传佐证材料"); err != nil {
		return nil, err
	}
	f := map[string]string{}
	text := checkText(f, "note", "说明", note, 0, 1000)
	files := s.checkEvidence(it, []Upload{up}, f)
	if len(f) > 0 {
		return nil, Invalid("佐证材料有误", f)
	}
	if text == "" {
		text = "上传佐证材料：" + files[0].name
	}
	now := s.now()
	evidence, err := s.putEvidence(ctx, it, a, files, now)
	if err != nil {
		return nil, err
	}
	next := cloneActionItem(it)
	next.Updates = append(next.Updates, ProgressUpdate{ID: NewID(), Percent: it.Progress, Note: text, Evidence: evidence,
		ByID: a.UserID, ByName: a.Name(), UnitID: ownerUnit(a), At: now})
	if err := s.save(ctx, it, next, now); err != nil {
		s.dropEvidence(ctx, it.ID, evidence)
		return nil, err
	}
	if err := s.Audit.Record(ctx, "action_item.evidence", "action_item", it.ID, OutcomeOK, evidence[0].Name); err != nil {
		return nil, Internal(err)
	}
	s.after(ctx, it, next)
	return next, nil
}

// OpenEvidence returns an evidence file of an item the actor may see.
func (s *ActionItemService) OpenEvidence(ctx context.Context, id, attachmentID string) (*Attachment, io.ReadCloser, error) {
	_, it, err := s.load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	att := it.Evidence(attachmentID)
	if att == nil || s.Attachments == nil {
		return nil, nil, Errorf(ENOTFOUND, "佐证材料不存在")
	}
	rc, err := s.Attachments.OpenAttachment(ctx, it.ID, att.ID)
	if err != nil {
		return nil, nil, err
	}
	return att, rc, nil
}

// Confirm is the committee's verdict on an item its owners reported
// finished: confirmed done, or sent back with a note. Confirming needs
// evidence; an item with sub-items is reported finished by its roll-up
// once every sub-item not cancelled is done.
func (s *ActionItemService) Confirm(ctx context.Context, id string, in ConfirmInput) (*ActionItem, error) {
	a, it, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !decidesAction(a, it) {
		return nil, Errorf(EFORBIDDEN, "只有本产业链党委成员或系统管理员可以确认办结")
	}
	verb := "确认办结"
	if in.SendBack {
		verb = "退回"
	}
	if err := finalConflict(it, verb); err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != it.Version {
		return nil, staleVersion(it)
	}
	f := map[string]string{}
	var note string
	if in.SendBack {
		note = checkText(f, "note", "退回原因", in.Note, 2, 500)
	} else {
		note = checkText(f, "note", "确认意见", in.Note, 0, 500)
	}
	if len(f) > 0 {
		return nil, Invalid("确认信息有误", f)
	}
	if !in.SendBack && it.SubCount == 0 && !it.HasEvidence() {
		return nil, Invalid("确认办结需有佐证材料：承办单位尚未上传佐证材料", map[string]string{"evidence": "尚无佐证材料"})
	}
	if !it.AwaitingConfirm {
		msg := "承办单位尚未报办结，不能确认"
		if in.SendBack {
			msg = "承办单位尚未报办结，无需退回"
		}
		if it.SubCount > 0 && !in.SendBack {
			msg = "还有子事项未办结，不能确认"
		}
		return nil, &Error{Code: ECONFLICT, Message: msg, Fields: map[string]string{"status": string(it.Status)}}
	}
	now := s.now()
	next := cloneActionItem(it)
	next.AwaitingConfirm = false
	action := "confirm"
	if in.SendBack {
		action = "send_back"
	} else {
		next.Status, next.Progress = ActionDone, 100
		next.ConfirmedAt, next.ConfirmedByID, next.ConfirmedBy = &now, a.UserID, a.Name()
	}
	next.Events = append(next.Events, ActionEvent{At: now, ByID: a.UserID, ByName: a.Name(), Action: action, Note: note})
	if err := s.save(ctx, it, next, now); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "action_item."+action, "action_item", it.ID, OutcomeOK, strings.TrimSpace(next.Title+" "+note)); err != nil {
		return nil, Internal(err)
	}
	key := fmt.Sprintf("%s:%s:v%d", action, it.ID, next.Version)
	if in.SendBack {
		s.notifyOwners(ctx, next, next.Owners(), key, "【退回】议定事项未通过确认："+next.Title, "退回原因："+note+"。请继续办理后重新报办结。", now)
	} else {
		s.notifyOwners(ctx, next, next.Owners(), key, "【已办结】议定事项已确认办结："+next.Title, "产业链党委已确认该事项办结。", now)
	}
	if next.ParentID != "" {
		s.rollUp(ctx, next.ParentID)
	}
	s.after(ctx, it, next)
	return next, nil
}

// Cancel cancels an item that is not final, saying why; an item with
// sub-items still open is refused until they are done or cancelled.
func (s *ActionItemService) Cancel(ctx context.Context, id string, in CancelInput) (*ActionItem, error) {
	a, it, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !decidesAction(a, it) {
		return nil, Errorf(EFORBIDDEN, "只有本产业链党委成员或系统管理员可以撤销议定事项")
	}
	if err := finalConflict(it, "撤销"); err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != it.Version {
		return nil, staleVersion(it)
	}
	f := map[string]string{}
	reason := checkText(f, "reason", "撤销原因", in.Reason, 2, 500)
	if len(f) > 0 {
		return nil, Invalid("撤销信息有误", f)
	}
	if it.SubCount > 0 {
		subs, _, err := s.Store.FindActionItems(ctx, ActionItemFilter{ParentID: it.ID, Statuses: []ActionStatus{ActionOpen, ActionInProgress}, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(subs) > 0 {
			return nil, &Error{Code: ECONFLICT, Message: "该事项还有未办结的子事项，请先办结或撤销子事项",
				Fields: map[string]string{"status": string(it.Status)}}
		}
	}
	now := s.now()
	next := cloneActionItem(it)
	next.Status, next.AwaitingConfirm, next.CancelReason = ActionCancelled, false, reason
	next.Events = append(next.Events, ActionEvent{At: now, ByID: a.UserID, ByName: a.Name(), Action: "cancel", Note: reason})
	if err := s.save(ctx, it, next, now); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "action_item.cancel", "action_item", it.ID, OutcomeOK, next.Title+"："+reason); err != nil {
		return nil, Internal(err)
	}
	s.notifyOwners(ctx, next, next.Owners(), "cancel:"+it.ID, "【已撤销】议定事项已撤销："+next.Title, "撤销原因："+reason, now)
	if next.ParentID != "" {
		s.rollUp(ctx, next.ParentID)
	}
	s.after(ctx, it, next)
	return next, nil
}

// Review applies one review action to several items of the board: marks
// them reviewed, records a comment, or asks the owners for an update (a
// notification to the owner units' handlers and heads). Every item must be
// one the actor decides on; otherwise nothing is changed.
func (s *ActionItemService) Review(ctx context.Context, in ReviewInput) (*ReviewResult, error) {
	a, err := actionReader(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && !a.Has(RoleCommittee) {
		return nil, Errorf(EFORBIDDEN, "只有产业链党委成员或系统管理员可以督查议定事项")
	}
	f := map[string]string{}
	var ids []string
	for _, id := range in.IDs {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		f["ids"] = "请至少选择一项议定事项"
	case len(ids) > MaxActionReview:
		f["ids"] = fmt.Sprintf("一次最多督查 %d 项", MaxActionReview)
	}
	var note string
	switch in.Action {
	case ReviewComment:
		note = checkText(f, "note", "督查意见", in.Note, 2, 500)
	case ReviewMarkReviewed, ReviewAskUpdate:
		note = checkText(f, "note", "督查意见", in.Note, 0, 500)
	default:
		f["action"] = "请选择督查操作：标记已督查、填写督查意见或要求报送进展"
	}
	if len(f) > 0 {
		return nil, Invalid("督查信息有误", f)
	}
	items := make([]*ActionItem, 0, len(ids))
	for _, id := range ids {
		_, it, err := s.load(ctx, id)
		if err != nil {
			return nil, err
		}
		if !decidesAction(a, it) {
			return nil, Errorf(EFORBIDDEN, "只有本产业链党委成员或系统管理员可以督查议定事项“%s”", it.Title)
		}
		if in.Action == ReviewAskUpdate && it.Final() {
			return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("事项“%s”%s，无需报送进展", it.Title, ActionStatusNames[it.Status]),
				Fields: map[string]string{"ids": it.ID}}
		}
		items = append(items, it)
	}
	res := &ReviewResult{}
	for _, it := range items {
		n, err := s.reviewOne(ctx, a, it, in.Action, note)
		if err != nil {
			return res, err
		}
		res.Updated++
		res.Notified += n
	}
	return res, nil
}

// reviewOne records one review on it, re-reading it when another change
// wins the race, and returns how many notifications it stored.
func (s *ActionItemService) reviewOne(ctx context.Context, a *Actor, it *ActionItem, action, note string) (int, error) {
	for attempt := 0; ; attempt++ {
		now := s.now()
		next := cloneActionItem(it)
		next.ReviewedAt, next.ReviewedBy = &now, a.Name()
		if note != "" {
			next.ReviewNote = note
		}
		next.Events = append(next.Events, ActionEvent{At: now, ByID: a.UserID, ByName: a.Name(), Action: action, Note: note})
		err := s.save(ctx, it, next, now)
		if IsCode(err, ECONFLICT) && attempt < 5 {
			if it, err = s.Store.FindActionItemByID(ctx, it.ID); err != nil {
				return 0, err
			}
			continue
		}
		if err != nil {
			return 0, err
		}
		if err := s.Audit.Record(ctx, "action_item.review", "action_item", it.ID, OutcomeOK,
			strings.TrimSpace(ReviewActionNames[action]+" "+note)); err != nil {
			return 0, Internal(err)
		}
		n := 0
		if action == ReviewAskUpdate {
			body := "产业链党委请贵单位尽快报送该事项的最新进展。"
			if note != "" {
				body += "督查意见：" + note
			}
			n = s.notifyOwners(ctx, next, next.Owners(), fmt.Sprintf("ask:%s:%d", it.ID, now.UnixNano()),
				"【请报送进展】议定事项："+next.Title, body, now)
		}
		return n, nil
	}
}

// RollUp returns the progress of an item with sub-items: the mean of the
// sub-items' progress weighted by their weights (a done sub-item counts
// 100, a cancelled one not at all), rounded half up; when every weight is
// 0 the plain mean. It never says 100 before every counted sub-item is
// at 100. active is how many sub-items count, allDone whether each of
// them is done.
func RollUp(subs []*ActionItem) (progress int, active int, allDone bool) {
	var sum, weights, plain float64
	allDone = true
	every100 := true
	for _, x := range subs {
		if x.Status == ActionCancelled {
			continue
		}
		active++
		p := x.Progress
		if x.Status == ActionDone {
			p = 100
		} else {
			allDone = false
		}
		p = max(0, min(100, p))
		if p < 100 {
			every100 = false
		}
		w := max(0, x.Weight)
		sum += float64(w * p)
		weights += float64(w)
		plain += float64(p)
	}
	if active == 0 {
		return 0, 0, false
	}
	mean := plain / float64(active)
	if weights > 0 {
		mean = sum / weights
	}
	progress = int(math.Floor(mean + 0.5))
	if progress >= 100 && !every100 {
		progress = 99
	}
	return progress, active, allDone
}

// rollUp recomputes a parent's progress, sub-item count and state from
// its sub-items after one of them changed, re-reading on a lost race.
// It is idempotent: a change it finds already made writes nothing. A
// failure is logged: the sub-item's change is stored, and the next change
// of any sub-item rolls up again.
func (s *ActionItemService) rollUp(ctx context.Context, parentID string) {
	if err := s.rollUpOnce(ctx, parentID); err != nil {
		s.log().Error("roll up action item", "item", parentID, "err", err)
	}
}

func (s *ActionItemService) rollUpOnce(ctx context.Context, parentID string) error {
	for attempt := 0; ; attempt++ {
		p, err := s.Store.FindActionItemByID(ctx, parentID)
		if err != nil {
			return err
		}
		subs, total, err := s.Store.FindActionItems(ctx, ActionItemFilter{ParentID: parentID, Limit: maxSubItems})
		if err != nil {
			return err
		}
		progress, active, allDone := RollUp(subs)
		next := cloneActionItem(p)
		next.SubCount = total
		if !p.Final() {
			next.Progress = progress
			if next.Status == ActionOpen && (progress > 0 || anyStarted(subs)) {
				next.Status = ActionInProgress
			}
			next.AwaitingConfirm = active > 0 && allDone
		}
		if next.SubCount == p.SubCount && next.Progress == p.Progress && next.Status == p.Status && next.AwaitingConfirm == p.AwaitingConfirm {
			return nil
		}
		now := s.now()
		a, byID := ActorFrom(ctx), ""
		if a != nil {
			byID = a.UserID
		}
		next.Events = append(next.Events, ActionEvent{At: now, ByID: byID, ByName: a.Name(), Action: "rollup",
			Note: fmt.Sprintf("子事项 %d 项，汇总进度 %d%%", total, next.Progress)})
		err = s.save(ctx, p, next, now)
		if IsCode(err, ECONFLICT) && attempt < 10 {
			continue
		}
		if err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, "action_item.rollup", "action_item", p.ID, OutcomeOK,
			fmt.Sprintf("%s：%d%%", next.Title, next.Progress)); err != nil {
			return Internal(err)
		}
		if next.AwaitingConfirm && !p.AwaitingConfirm {
			s.notifyCommittee(ctx, next, fmt.Sprintf("awaiting:%s:v%d", next.ID, next.Version), "【待确认】议定事项的子事项已全部办结："+next.Title,
				"各子事项均已确认办结，请确认该事项办结。", now)
		}
		s.after(ctx, p, next)
		return nil
	}
}

// anyStarted reports whether any sub-item has left the open state.
func anyStarted(subs []*ActionItem) bool {
	for _, x := range subs {
		if x.Status != ActionOpen && x.Status != ActionCancelled {
			return true
		}
	}
	return false
}
