package portal

import (
	"context"
	"io"
	"time"
)

// Category is one entry of the admin-editable request taxonomy.
type Category struct {
	Code   string        `json:"code" bson:"_id"`
	Name   string        `json:"name" bson:"name"`
	Types  []RequestType `json:"types" bson:"types"` // the request types that may use it
	Order  int           `json:"-" bson:"order"`
	Active bool          `json:"-" bson:"active"`
}

// Allows reports whether requests of type t may use the category.
func (c *Category) Allows(t RequestType) bool {
	for _, x := range c.Types {
		if x == t {
			return true
		}
	}
	return false
}

// CategoryCatalog answers what categories exist.
type CategoryCatalog interface {
	// ActiveCategories returns the categories a new request may use, in order.
	ActiveCategories(ctx context.Context) ([]*Category, error)
	// CategoryByCode returns the category with code, active or not; ENOTFOUND when unknown.
	CategoryByCode(ctx context.Context, code string) (*Category, error)
}

// RouteSuggestion is where the routing rules would send a request.
type RouteSuggestion struct {
	RuleID         string `json:"rule_id"`
	RuleName       string `json:"rule_name"`
	Tier           Tier   `json:"tier"`
	DepartmentID   string `json:"department_id"`
	DepartmentName string `json:"department_name"`
}

// Router suggests a department for a request from the routing rules.
type Router interface {
	// Suggest returns the route of the first rule the request hits, nil when none does.
	Suggest(ctx context.Context, r *Request) (*RouteSuggestion, error)
}

// AttachmentStore keeps the bytes of attachments, per request.
type AttachmentStore interface {
	// PutAttachment stores the content under id and returns its size.
	PutAttachment(ctx context.Context, requestID, id, name, contentType string, content io.Reader) (int64, error)
	// OpenAttachment returns the content; ENOTFOUND when it is not there.
	OpenAttachment(ctx context.Context, requestID, id string) (io.ReadCloser, error)
	// DeleteAttachment removes the content; a missing one is not an error.
	DeleteAttachment(ctx context.Context, requestID, id string) error
}

// Deadliner computes a request's deadlines from its SLA plan. The caller
// sets the generation of what it returns.
type Deadliner interface {
	// Plan returns fresh deadlines for r handed to its department at start.
	Plan(ctx context.Context, r *Request, start time.Time) (*SLA, error)
	// Resume returns r's deadlines after a suspension from pausedAt to now:
	// the legs not yet done move on by the paused time.
	Resume(ctx context.Context, r *Request, pausedAt, now time.Time) (*SLA, error)
}

// RungPlanner decides when a request's next chasing rung fires; the
// service stores its answer with every change, in the same update.
type RungPlanner interface {
	NextRung(ctx context.Context, r *Request) (*time.Time, error)
}

// RequestIndexer keeps the search index of requests used to find similar ones.
type RequestIndexer interface {
	// IndexRequest writes (or removes, for a final request) r's entry.
	IndexRequest(ctx context.Context, r *Request) error
}

// SourceChecker confirms the meeting or forum a request says it was raised
// at, so that nobody files onto a meeting they cannot see.
type SourceChecker interface {
	// CheckSource returns the title of meeting id, which the actor in ctx
	// must see; ENOTFOUND when it may not, EINVALID when the meeting is not
	// of the channel ch.
	CheckSource(ctx context.Context, ch Channel, id string) (string, error)
}

// RequestEvents hears about every change of a request after it is stored:
// the chasing scheduler and the rate counters listen here.
type RequestEvents interface {
	RequestChanged(ctx context.Context, before, after *Request, action string) error
}
