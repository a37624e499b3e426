package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// SurveyState is where the survey of one handling round stands.
type SurveyState string

// Survey states.
const (
	SurveyPending  SurveyState = "pending"   // the link is out, the enterprise has not answered
	SurveyFollowUp SurveyState = "follow_up" // no answer within the reminder period: an officer phones (回访任务)
	SurveyAnswered SurveyState = "answered"  // answered by link or by phone
	SurveyUnrated  SurveyState = "unrated"   // no answer in time: the request closed as 未评价
	SurveyVoid     SurveyState = "void"      // the request left the round by other means; nothing is asked any more
)

// SurveyStateNames are the Chinese names of the survey states.
var SurveyStateNames = map[SurveyState]string{
	SurveyPending: "待评价", SurveyFollowUp: "待回访", SurveyAnswered: "已评价", SurveyUnrated: "未评价", SurveyVoid: "已失效",
}

// Survey asks the enterprise about one handling round of a request: the
// round's resolution opens it, the answer (by link or by phone) or the
// unrated close settles it. Its id is "<request id>:<round>", so that
// creating it twice stores it once. Only the SHA-256 hash of the link's
// token is kept.
type Survey struct {
	ID             string      `json:"id" bson:"_id"`
	RequestID      string      `json:"request_id" bson:"request_id"`
	RequestNo      string      `json:"request_no" bson:"request_no"`
	Title          string      `json:"title" bson:"title"`
	EnterpriseID   string      `json:"enterprise_id" bson:"enterprise_id"`
	EnterpriseName string      `json:"enterprise_name" bson:"enterprise_name"`
	ContactName    string      `json:"contact_name" bson:"contact_name"`
	ContactPhone   string      `json:"contact_phone" bson:"contact_phone"`
	Round          int         `json:"round" bson:"round"`
	TokenHash      string      `json:"-" bson:"token_hash"`
	State          SurveyState `json:"state" bson:"state"`
	// ResolvedAt is the round's resolution, which every period counts from.
	ResolvedAt time.Time `json:"resolved_at" bson:"resolved_at"`
	// ExpiresAt ends the link; RemindAt starts the phone follow-up;
	// CloseAt closes the request as unrated.
	ExpiresAt time.Time `json:"expires_at" bson:"expires_at"`
	RemindAt  time.Time `json:"remind_at" bson:"remind_at"`
	CloseAt   time.Time `json:"close_at" bson:"close_at"`
	// NextAt is when the survey's next timer fires (the reminder, then the
	// unrated close); nil once it is settled. The sweeper reads by it.
	NextAt *time.Time `json:"next_at,omitempty" bson:"next_at,omitempty"`
	// NotifiedAt is when the link went out; nil means it must be sent again.
	NotifiedAt *time.Time `json:"notified_at,omitempty" bson:"notified_at,omitempty"`
	// FollowUpID and FollowUpName name the officer who phones the enterprise.
	FollowUpID   string     `json:"follow_up_id,omitempty" bson:"follow_up_id,omitempty"`
	FollowUpName string     `json:"follow_up_name,omitempty" bson:"follow_up_name,omitempty"`
	FollowUpAt   *time.Time `json:"follow_up_at,omitempty" bson:"follow_up_at,omitempty"`
	SettledAt    *time.Time `json:"settled_at,omitempty" bson:"settled_at,omitempty"`
	Version      int        `json:"version" bson:"version"`
	CreatedAt    time.Time  `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at" bson:"updated_at"`
}

// Open reports whether the survey still waits for an answer.
func (sv *Survey) Open() bool { return sv.State == SurveyPending || sv.State == SurveyFollowUp }

// SurveyID is the id of the survey of a request's handling round.
func SurveyID(requestID string, round int) string { return requestID + ":" + strconv.Itoa(round) }

// SurveyFilter selects surveys for a list.
type SurveyFilter struct {
	States     []SurveyState
	FollowUpID string // "" any officer
	Q          string // part of the request number, title or enterprise name
	Offset     int
	Limit      int
}

// SurveyStore persists surveys.
type SurveyStore interface {
	// CreateSurvey stores sv with version 1; ECONFLICT when its id (or
	// token hash) is taken.
	CreateSurvey(ctx context.Context, sv *Survey) error
	// FindSurveyByID returns the survey; ENOTFOUND when there is none.
	FindSurveyByID(ctx context.Context, id string) (*Survey, error)
	// FindSurveyByTokenHash returns the survey whose link has the token
	// with hash; ENOTFOUND when none has.
	FindSurveyByTokenHash(ctx context.Context, hash string) (*Survey, error)
	// UpdateSurvey replaces the survey if its version is still version
	// and bumps sv.Version; of racing writers exactly one wins, the others
	// get ECONFLICT.
	UpdateSurvey(ctx context.Context, sv *Survey, version int) error
	// FindSurveysDue returns up to limit surveys whose next timer fires at
	// or before before, soonest first.
	FindSurveysDue(ctx context.Context, before time.Time, limit int) ([]*Survey, error)
	// FindSurveys returns one page of the matching surveys, the soonest
	// reminder first, and the total.
	FindSurveys(ctx context.Context, f SurveyFilter) ([]*Survey, int, error)
}

// SurveyTimers schedules a survey's timers (the reminder and the unrated
// close) in the job queue; package jobs implements it.
type SurveyTimers interface {
	ScheduleSurvey(ctx context.Context, sv *Survey) error
}

// surveyTokenBytes is the entropy of a survey link's token: 256 bits.
const surveyTokenBytes = 32

// newSurveyToken returns a fresh link token (base64url, no padding) and
// the hash that is stored instead of it.
func newSurveyToken() (token, hash string, err error) {
	var b [surveyTokenBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", Internal(fmt.Errorf("survey token: %w", err))
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashSurveyToken(token), nil
}

// hashSurveyToken is the stored form of a token.
func hashSurveyToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// wellFormedToken reports whether token can be a survey token at all, so
// that garbage is refused without a database read.
func wellFormedToken(token string) bool {
	if len(token) != base64.RawURLEncoding.EncodedLen(surveyTokenBytes) {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == surveyTokenBytes
}
