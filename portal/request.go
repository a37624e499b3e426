package portal

import (
	"context"
	"time"
)

// RequestType is what the enterprise is asking for.
type RequestType string

// Request types.
const (
	TypeConsultation RequestType = "consultation" // 咨询
	TypeHelp         RequestType = "help"         // 求助
	TypeComplaint    RequestType = "complaint"    // 投诉
	TypeSuggestion   RequestType = "suggestion"   // 建议
)

// RequestTypes lists the types in the order forms show them.
var RequestTypes = []RequestType{TypeConsultation, TypeHelp, TypeComplaint, TypeSuggestion}

// RequestTypeNames are the Chinese names of the types.
var RequestTypeNames = map[RequestType]string{
	TypeConsultation: "咨询", TypeHelp: "求助", TypeComplaint: "投诉", TypeSuggestion: "建议",
}

// Channel is where a request came in.
type Channel string

// Intake channels.
const (
	ChannelPortal       Channel = "portal"        // the enterprise filed it here
	ChannelJointMeeting Channel = "joint_meeting" // raised at a joint meeting (联席会议)
	ChannelMicroForum   Channel = "micro_forum"   // raised at a micro-forum (微论坛)
	ChannelVisit        Channel = "visit"         // raised during a company visit (走访)
	ChannelHotline      Channel = "hotline_12345" // the city 12345 hotline
	ChannelPhone        Channel = "phone"
	ChannelWeChat       Channel = "wechat"
	ChannelLetter       Channel = "letter"
)

// Channels lists the channels in the order forms show them.
var Channels = []Channel{ChannelPortal, ChannelJointMeeting, ChannelMicroForum, ChannelVisit,
	ChannelHotline, ChannelPhone, ChannelWeChat, ChannelLetter}

// ChannelNames are the Chinese names of the channels.
var ChannelNames = map[Channel]string{
	ChannelPortal: "网上填报", ChannelJointMeeting: "联席会议", ChannelMicroForum: "微论坛",
	ChannelVisit: "走访", ChannelHotline: "12345 热线", ChannelPhone: "电话", ChannelWeChat: "微信",
	ChannelLetter: "来信",
}

// NeedsSource reports whether requests from the channel name the meeting,
// forum or visit they were raised at.
func (c Channel) NeedsSource() bool {
	return c == ChannelJointMeeting || c == ChannelMicroForum || c == ChannelVisit
}

// Status is where a request stands in its life.
type Status string

// Request states.
const (
	StatusSubmitted  Status = "submitted"  // filed, waiting for a dispatcher
	StatusDispatched Status = "dispatched" // sent to a department, not yet signed
	StatusSigned     Status = "signed"     // the department has it
	StatusReplied    Status = "replied"    // first substantive answer given
	StatusResolved   Status = "resolved"   // the department reports it handled
	StatusClosed     Status = "closed"     // the loop is finished
	StatusReturned   Status = "returned"   // sent back to the dispatcher with a reason
	StatusSuspended  Status = "suspended"  // waiting for the enterprise
	StatusWithdrawn  Status = "withdrawn"  // the enterprise took it back before signing
	StatusMerged     Status = "merged"     // folded into a master request
	StatusEscalated  Status = "escalated"  // the handler asks for a higher tier
	StatusReopened   Status = "reopened"   // back for re-handling after feedback
)

// Statuses lists the states in the order filters show them.
var Statuses = []Status{StatusSubmitted, StatusDispatched, StatusSigned, StatusReplied, StatusResolved,
	StatusClosed, StatusReturned, StatusSuspended, StatusEscalated, StatusReopened, StatusWithdrawn, StatusMerged}

// StatusNames are the Chinese names of the states.
var StatusNames = map[Status]string{
	StatusSubmitted: "待分拨", StatusDispatched: "待签收", StatusSigned: "办理中", StatusReplied: "已答复",
	StatusResolved: "已办结", StatusClosed: "已关闭", StatusReturned: "已退回", StatusSuspended: "已挂起",
	StatusWithdrawn: "已撤回", StatusMerged: "已合并", StatusEscalated: "申请升级", StatusReopened: "重办",
}

// Final reports whether nothing more happens to a request in state s.
func (s Status) Final() bool {
	return s == StatusClosed || s == StatusWithdrawn || s == StatusMerged
}

// Open reports whether a request in state s still waits for an answer;
// resolved requests wait only for the enterprise's feedback.
func (s Status) Open() bool { return !s.Final() && s != StatusResolved }

// OpenStatuses are the states Open reports true for.
var OpenStatuses = func() []Status {
	var out []Status
	for _, s := range Statuses {
		if s.Open() {
			out = append(out, s)
		}
	}
	return out
}()

// Event is one line of a request's timeline.
type Event struct {
	At         time.Time `json:"at" bson:"at"`
	ActorID    string    `json:"actor_id,omitempty" bson:"actor_id,omitempty"`
	ActorName  string    `json:"actor_name" bson:"actor_name"`
	Action     string    `json:"action" bson:"action"`
	From       Status    `json:"from,omitempty" bson:"from,omitempty"`
	To         Status    `json:"to,omitempty" bson:"to,omitempty"`
	Department string    `json:"department,omitempty" bson:"department,omitempty"` // name of the department involved
	Note       string    `json:"note,omitempty" bson:"note,omitempty"`
}

// Attachment describes a file attached to a request; the bytes live in the
// attachment store.
type Attachment struct {
	ID          string    `json:"id" bson:"id"`
	Name        string    `json:"name" bson:"name"`
	ContentType string    `json:"content_type" bson:"content_type"` // sniffed from the content
	Size        int64     `json:"size" bson:"size"`
	UploadedBy  string    `json:"uploaded_by" bson:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at" bson:"uploaded_at"`
}

// Source is the meeting, forum or visit a request was raised at.
type Source struct {
	ID   string `json:"id,omitempty" bson:"id,omitempty"`
	Name string `json:"name" bson:"name"`
}

// Request is an enterprise's request (诉求): one document holding its state,
// routing, deadlines and timeline, changed only by version-guarded updates.
type Request struct {
	ID             string      `json:"id" bson:"_id"`
	No             string      `json:"no" bson:"no"` // HQ-2026-000123, unique
	EnterpriseID   string      `json:"enterprise_id" bson:"enterprise_id"`
	EnterpriseName string      `json:"enterprise_name" bson:"enterprise_name"`
	SubdistrictID  string      `json:"subdistrict_id,omitempty" bson:"subdistrict_id,omitempty"`
	ParkID         string      `json:"park_id,omitempty" bson:"park_id,omitempty"`
	ChainIDs       []string    `json:"chain_ids,omitempty" bson:"chain_ids,omitempty"`
	LiaisonID      string      `json:"liaison_id,omitempty" bson:"liaison_id,omitempty"` // the enterprise's liaison when filed
	ContactName    string      `json:"contact_name" bson:"contact_name"`
	ContactPhone   string      `json:"contact_phone" bson:"contact_phone"`
	Title          string      `json:"title" bson:"title"`
	Description    string      `json:"description" bson:"description"`
	Category       string      `json:"category" bson:"category"` // a category code
	Type           RequestType `json:"type" bson:"type"`
	Channel        Channel     `json:"channel" bson:"channel"`
	Source         *Source     `json:"source,omitempty" bson:"source,omitempty"`
	Urgent         bool        `json:"urgent,omitempty" bson:"urgent,omitempty"`

	FiledByID   string `json:"filed_by_id" bson:"filed_by_id"`
	FiledByName string `json:"filed_by_name" bson:"filed_by_name"`
	// FirstContactID (首接负责) is whoever first received the request; they
	// track it until a handler signs.
	FirstContactID   string `json:"first_contact_id,omitempty" bson:"first_contact_id,omitempty"`
	FirstContactName string `json:"first_contact_name,omitempty" bson:"first_contact_name,omitempty"`

	Status         Status     `json:"status" bson:"status"`
	SuspendedFrom  Status     `json:"suspended_from,omitempty" bson:"suspended_from,omitempty"`
	SuspendedAt    *time.Time `json:"suspended_at,omitempty" bson:"suspended_at,omitempty"`
	Tier           Tier       `json:"tier,omitempty" bson:"tier,omitempty"`
	DepartmentID   string     `json:"department_id,omitempty" bson:"department_id,omitempty"`
	DepartmentName string     `json:"department_name,omitempty" bson:"department_name,omitempty"`
	// PastDepartmentIDs are the departments that had the request before
	// (returned, redispatched away): they keep reading it, not acting on it.
	PastDepartmentIDs []string `json:"past_department_ids,omitempty" bson:"past_department_ids,omitempty"`
	// RouteRuleID is the routing rule that suggested the department.
	RouteRuleID  string `json:"route_rule_id,omitempty" bson:"route_rule_id,omitempty"`
	HandlerID    string `json:"handler_id,omitempty" bson:"handler_id,omitempty"`
	HandlerName  string `json:"handler_name,omitempty" bson:"handler_name,omitempty"`
	Reply        string `json:"reply,omitempty" bson:"reply,omitempty"`
	Resolution   string `json:"resolution,omitempty" bson:"resolution,omitempty"`
	ReturnReason string `json:"return_reason,omitempty" bson:"return_reason,omitempty"`
	// EscalateTo is the tier a handler asked to hand the request up to.
	EscalateTo Tier `json:"escalate_to,omitempty" bson:"escalate_to,omitempty"`

	Attachments []Attachment `json:"attachments" bson:"attachments"`
	PolicyIDs   []string     `json:"policy_ids,omitempty" bson:"policy_ids,omitempty"`
	ParentID    string       `json:"parent_id,omitempty" bson:"parent_id,omitempty"`
	ChildIDs    []string     `json:"child_ids,omitempty" bson:"child_ids,omitempty"`
	Timeline    []Event      `json:"-" bson:"timeline"`

	// SLA holds the deadlines the request runs on once dispatched.
	SLA *SLA `json:"sla,omitempty" bson:"sla,omitempty"`
	// DueAt is the deadline of the earliest leg not yet done, for inbox order
	// and the overdue filter; nil when nothing is running.
	DueAt *time.Time `json:"due_at,omitempty" bson:"due_at,omitempty"`
	// NextRungAt is when the earliest chasing rung not yet acted on fires,
	// so that the sweeper reads only requests with rungs due, not every
	// open request; nil when no rung is pending.
	NextRungAt *time.Time `json:"-" bson:"next_rung_at,omitempty"`
	// Extension is the pending request to extend a leg (延期申请), nil when none waits.
	Extension *ExtensionRequest `json:"extension,omitempty" bson:"extension,omitempty"`

	// Reopened counts the times feedback sent the request back (重办).
	Reopened int `json:"reopened,omitempty" bson:"reopened,omitempty"`
	// Feedback is the enterprise's answer for the latest handling round.
	Feedback *Feedback `json:"feedback,omitempty" bson:"feedback,omitempty"`
	// Unrated is set when the request closed without an answer (未评价).
	Unrated bool `json:"unrated,omitempty" bson:"unrated,omitempty"`
	// Verified is the outcome a spot check verified; the rates prefer it.
	Verified   *Verification `json:"verified,omitempty" bson:"verified,omitempty"`
	Version    int           `json:"version" bson:"version"`
	CreatedAt  time.Time     `json:"created_at" bson:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at" bson:"updated_at"`
	SignedAt   *time.Time    `json:"signed_at,omitempty" bson:"signed_at,omitempty"`
	RepliedAt  *time.Time    `json:"replied_at,omitempty" bson:"replied_at,omitempty"`
	ResolvedAt *time.Time    `json:"resolved_at,omitempty" bson:"resolved_at,omitempty"`
	ClosedAt   *time.Time    `json:"closed_at,omitempty" bson:"closed_at,omitempty"`
}

// Overdue reports whether a running deadline has passed at now.
func (r *Request) Overdue(now time.Time) bool {
	return r.DueAt != nil && r.Status.Open() && !now.Before(*r.DueAt)
}

// Leg is one timed stage of handling.
type Leg string

// The three legs every dispatched request runs.
const (
	LegSign    Leg = "sign"    // 签收
	LegReply   Leg = "reply"   // 答复
	LegResolve Leg = "resolve" // 办结
)

// Legs lists the legs in order.
var Legs = []Leg{LegSign, LegReply, LegResolve}

// LegNames are the Chinese names of the legs.
var LegNames = map[Leg]string{LegSign: "签收", LegReply: "答复", LegResolve: "办结"}

// LegDeadline is one leg's deadline and, once the leg is done, whether it
// was done on time — stamped at the transition and never recomputed.
type LegDeadline struct {
	Leg    Leg        `json:"leg" bson:"leg"`
	Due    time.Time  `json:"due" bson:"due"`
	DoneAt *time.Time `json:"done_at,omitempty" bson:"done_at,omitempty"`
	OnTime *bool      `json:"on_time,omitempty" bson:"on_time,omitempty"`
	// Rungs are the chasing rungs already acted on for this generation.
	Rungs []string `json:"rungs,omitempty" bson:"rungs,omitempty"`
}

// SLA is the set of deadlines a request runs on: computed at dispatch and
// recomputed, with a new generation, when the request is redispatched,
// escalated, resumed or reopened.
type SLA struct {
	PlanID          string        `json:"plan_id" bson:"plan_id"`
	PlanVersion     int           `json:"plan_version" bson:"plan_version"`
	CalendarVersion string        `json:"calendar_version" bson:"calendar_version"`
	Generation      int           `json:"generation" bson:"generation"`
	Start           time.Time     `json:"start" bson:"start"`
	Legs            []LegDeadline `json:"legs" bson:"legs"`
}

// Leg returns the deadline of leg l, nil when the SLA has none.
func (s *SLA) Leg(l Leg) *LegDeadline {
	if s == nil {
		return nil
	}
	for i := range s.Legs {
		if s.Legs[i].Leg == l {
			return &s.Legs[i]
		}
	}
	return nil
}

// NextDue returns the earliest deadline of a leg not yet done.
func (s *SLA) NextDue() *time.Time {
	if s == nil {
		return nil
	}
	var due *time.Time
	for i := range s.Legs {
		if s.Legs[i].DoneAt == nil && (due == nil || s.Legs[i].Due.Before(*due)) {
			d := s.Legs[i].Due
			due = &d
		}
	}
	return due
}

// RequestScope is one clause of what an actor may see; a request matches
// the clause when it matches every non-empty field.
type RequestScope struct {
	EnterpriseID string
	LiaisonID    string
	FiledByID    string
	ChainID      string
	DepartmentID string   // the department now, or one that had it before
	RegionIn     []string // sub-district or park among these units
	DepartmentIn []string // the department among these units
}

// RequestFilter selects requests for a list.
type RequestFilter struct {
	// AnyOf limits the result to requests matching at least one clause;
	// nil applies no limit, an empty slice matches nothing.
	AnyOf        []RequestScope
	Statuses     []Status
	DepartmentID string
	Category     string
	Channel      Channel
	EnterpriseID string
	Q            string // part of the number, title or enterprise name
	// OverdueAt selects open requests whose running deadline has passed at it.
	OverdueAt *time.Time
	IDs       []string
	ParentID  string
	// SourceID selects requests raised at that meeting, forum or visit.
	SourceID string
	// ByDue orders by the running deadline (soonest first) instead of newest first.
	ByDue  bool
	Offset int
	Limit  int
}

// RequestStore persists requests.
type RequestStore interface {
	// CreateRequest gives r the next number of its year and stores it.
	CreateRequest(ctx context.Context, r *Request) error
	FindRequestByID(ctx context.Context, id string) (*Request, error)
	// FindRequests returns one page (without descriptions and timelines) and the total.
	FindRequests(ctx context.Context, f RequestFilter) ([]*Request, int, error)
	// UpdateRequest writes r if the stored version is still version and
	// bumps r.Version; a concurrent change answers ECONFLICT.
	UpdateRequest(ctx context.Context, r *Request, version int) error
}
