package portal

import "time"

// MeetingType is the kind of gathering where problems are collected.
type MeetingType string

// Meeting types.
const (
	MeetingJoint     MeetingType = "joint_meeting" // 联席会议
	MeetingForum     MeetingType = "micro_forum"   // 微论坛
	MeetingSymposium MeetingType = "symposium"     // 座谈会
)

// MeetingTypes lists the types in the order forms show them.
var MeetingTypes = []MeetingType{MeetingJoint, MeetingForum, MeetingSymposium}

// MeetingTypeNames are the Chinese names of the types.
var MeetingTypeNames = map[MeetingType]string{MeetingJoint: "联席会议", MeetingForum: "微论坛", MeetingSymposium: "座谈会"}

// Channel returns the intake channel of requests raised at a meeting of type t.
func (t MeetingType) Channel() Channel {
	if t == MeetingForum {
		return ChannelMicroForum
	}
	return ChannelJointMeeting
}

// Topic is one item collected for a meeting's agenda: an existing request
// linked to it, or a new topic an enterprise of the chain submitted.
type Topic struct {
	ID             string    `json:"id" bson:"id"`
	Title          string    `json:"title" bson:"title"`
	Description    string    `json:"description,omitempty" bson:"description,omitempty"`
	RequestID      string    `json:"request_id,omitempty" bson:"request_id,omitempty"`
	EnterpriseID   string    `json:"enterprise_id,omitempty" bson:"enterprise_id,omitempty"`
	EnterpriseName string    `json:"enterprise_name,omitempty" bson:"enterprise_name,omitempty"`
	SubmittedByID  string    `json:"submitted_by_id" bson:"submitted_by_id"`
	SubmittedBy    string    `json:"submitted_by" bson:"submitted_by"`
	SubmittedAt    time.Time `json:"submitted_at" bson:"submitted_at"`
}

// Meeting is a joint meeting, micro-forum or symposium of an industry chain.
type Meeting struct {
	ID             string      `json:"id" bson:"_id"`
	Type           MeetingType `json:"type" bson:"type"`
	Title          string      `json:"title" bson:"title"`
	ChainID        string      `json:"chain_id" bson:"chain_id"`
	ConvenerUnitID string      `json:"convener_unit_id" bson:"convener_unit_id"` // the convening unit
	At             time.Time   `json:"at" bson:"at"`
	Place          string      `json:"place" bson:"place"`
	// DepartmentIDs and EnterpriseIDs are who attends.
	DepartmentIDs []string `json:"department_ids" bson:"department_ids"`
	EnterpriseIDs []string `json:"enterprise_ids" bson:"enterprise_ids"`
	Agenda        string   `json:"agenda,omitempty" bson:"agenda,omitempty"`
	Topics        []Topic  `json:"topics" bson:"topics"`
	Minutes       string   `json:"minutes,omitempty" bson:"minutes,omitempty"`
	// MinutesAt is when the minutes were recorded; nil until then.
	MinutesAt   *time.Time `json:"minutes_at,omitempty" bson:"minutes_at,omitempty"`
	CreatedByID string     `json:"created_by_id" bson:"created_by_id"`
	Version     int        `json:"version" bson:"version"`
	CreatedAt   time.Time  `json:"created_at" bson:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at" bson:"updated_at"`
}

// Visit is a liaison's visit to a company (走访) and the requests raised there.
type Visit struct {
	ID             string    `json:"id" bson:"_id"`
	LiaisonID      string    `json:"liaison_id" bson:"liaison_id"`
	LiaisonName    string    `json:"liaison_name" bson:"liaison_name"`
	EnterpriseID   string    `json:"enterprise_id" bson:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name" bson:"enterprise_name"`
	ChainIDs       []string  `json:"chain_ids,omitempty" bson:"chain_ids,omitempty"`
	At             time.Time `json:"at" bson:"at"`
	PeopleMet      string    `json:"people_met" bson:"people_met"`
	Notes          string    `json:"notes,omitempty" bson:"notes,omitempty"`
	RequestIDs     []string  `json:"request_ids,omitempty" bson:"request_ids,omitempty"`
	CreatedAt      time.Time `json:"created_at" bson:"created_at"`
}

// ActionStatus is where an action item stands.
type ActionStatus string

// Action item states.
const (
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
	ActionCancelled  ActionStatus = "cancelled"
)

// ActionStatuses lists the states in the order filters show them.
var ActionStatuses = []ActionStatus{ActionOpen, ActionInProgress, ActionDone, ActionCancelled}

// ActionStatusNames are the Chinese names of the states.
var ActionStatusNames = map[ActionStatus]string{
	ActionOpen: "未开始", ActionInProgress: "推进中", ActionDone: "已办结", ActionCancelled: "已撤销",
}

// Priority orders action items.
type Priority string

// Priorities.
const (
	PriorityHigh   Priority = "high"
	PriorityNormal Priority = "normal"
	PriorityLow    Priority = "low"
)

// PriorityNames are the Chinese names of the priorities.
var PriorityNames = map[Priority]string{PriorityHigh: "高", PriorityNormal: "中", PriorityLow: "低"}

// ProgressUpdate is one report of an owner on an action item.
type ProgressUpdate struct {
	ID       string       `json:"id" bson:"id"`
	Percent  int          `json:"percent" bson:"percent"`
	Note     string       `json:"note" bson:"note"`
	Evidence []Attachment `json:"evidence,omitempty" bson:"evidence,omitempty"`
	ByID     string       `json:"by_id" bson:"by_id"`
	ByName   string       `json:"by_name" bson:"by_name"`
	UnitID   string       `json:"unit_id,omitempty" bson:"unit_id,omitempty"`
	At       time.Time    `json:"at" bson:"at"`
}

// ActionItem is a decision of a meeting (议定事项) owned by a lead
// department, followed up until the committee confirms it done.
type ActionItem struct {
	ID          string `json:"id" bson:"_id"`
	MeetingID   string `json:"meeting_id" bson:"meeting_id"`
	MeetingName string `json:"meeting_name" bson:"meeting_name"`
	ChainID     string `json:"chain_id" bson:"chain_id"`
	// ParentID is the item this one is a sub-item of; Weight is its share
	// of the parent's progress.
	ParentID    string       `json:"parent_id,omitempty" bson:"parent_id,omitempty"`
	Weight      int          `json:"weight,omitempty" bson:"weight,omitempty"`
	Title       string       `json:"title" bson:"title"`
	Description string       `json:"description,omitempty" bson:"description,omitempty"`
	LeadUnitID  string       `json:"lead_unit_id" bson:"lead_unit_id"`
	LeadName    string       `json:"lead_name" bson:"lead_name"`
	CoUnitIDs   []string     `json:"co_unit_ids,omitempty" bson:"co_unit_ids,omitempty"`
	Due         time.Time    `json:"due" bson:"due"`
	Priority    Priority     `json:"priority" bson:"priority"`
	RequestIDs  []string     `json:"request_ids,omitempty" bson:"request_ids,omitempty"`
	Status      ActionStatus `json:"status" bson:"status"`
	// Progress is the percentage done: the latest update's, or for an item
	// with sub-items their weighted mean.
	Progress int              `json:"progress" bson:"progress"`
	Updates  []ProgressUpdate `json:"updates" bson:"updates"`
	// Confirmed is when the committee confirmed the item done.
	ConfirmedAt   *time.Time `json:"confirmed_at,omitempty" bson:"confirmed_at,omitempty"`
	ConfirmedByID string     `json:"confirmed_by_id,omitempty" bson:"confirmed_by_id,omitempty"`
	CancelReason  string     `json:"cancel_reason,omitempty" bson:"cancel_reason,omitempty"`
	// ReviewedAt and ReviewNote record the committee's latest bulk review.
	ReviewedAt *time.Time `json:"reviewed_at,omitempty" bson:"reviewed_at,omitempty"`
	ReviewNote string     `json:"review_note,omitempty" bson:"review_note,omitempty"`
	// Rungs are the chasing rungs already acted on; NextRungAt is when the
	// next one fires, nil when none is pending.
	Rungs      []string   `json:"rungs,omitempty" bson:"rungs,omitempty"`
	NextRungAt *time.Time `json:"-" bson:"next_rung_at,omitempty"`
	Version    int        `json:"version" bson:"version"`
	CreatedAt  time.Time  `json:"created_at" bson:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at" bson:"updated_at"`
	// AwaitingConfirm is set while the owners have reported the item
	// finished (100 % with evidence) and the committee has not yet
	// confirmed it or sent it back; the status stays in_progress.
	AwaitingConfirm bool `json:"awaiting_confirm" bson:"awaiting_confirm"`
	// CoNames are the co-owners' names, in the order of CoUnitIDs.
	CoNames     []string `json:"co_names,omitempty" bson:"co_names,omitempty"`
	CreatedByID string   `json:"created_by_id,omitempty" bson:"created_by_id,omitempty"`
	ConfirmedBy string   `json:"confirmed_by,omitempty" bson:"confirmed_by,omitempty"`
	ReviewedBy  string   `json:"reviewed_by,omitempty" bson:"reviewed_by,omitempty"`
	// DueSetAt is when the current due date was set (at creation or by the
	// last change of it): the warning rung is placed in the span from it
	// to the due time.
	DueSetAt time.Time `json:"due_set_at" bson:"due_set_at"`
	// SubCount is how many sub-items the item has; an item with sub-items
	// takes its progress from them.
	SubCount int `json:"sub_count,omitempty" bson:"sub_count,omitempty"`
	// Events is the item's history besides progress updates: edits,
	// confirmation, send-backs, reviews, chasing rungs, cancellation.
	Events []ActionEvent `json:"events,omitempty" bson:"events,omitempty"`
}

// Overdue reports whether the item is still open past its due time at now;
// an item whose owners have reported it finished waits for the committee,
// not for them, and is not overdue.
func (i *ActionItem) Overdue(now time.Time) bool {
	return (i.Status == ActionOpen || i.Status == ActionInProgress) && !i.AwaitingConfirm && !now.Before(i.Due)
}
