package portal

import "time"

// Solved is the enterprise's answer to "was the problem solved".
type Solved string

// Answers to "was the problem solved".
const (
	SolvedYes Solved = "solved"   // 解决
	Partly    Solved = "partly"   // 部分解决
	Unsolved  Solved = "unsolved" // 未解决
)

// SolvedAnswers lists the answers in the order the survey shows them.
var SolvedAnswers = []Solved{SolvedYes, Partly, Unsolved}

// SolvedNames are the Chinese names of the answers.
var SolvedNames = map[Solved]string{SolvedYes: "解决", Partly: "部分解决", Unsolved: "未解决"}

// Satisfaction is how satisfied the enterprise says it is.
type Satisfaction string

// Answers to "how satisfied are you".
const (
	Satisfied    Satisfaction = "satisfied"    // 满意
	Basic        Satisfaction = "basic"        // 基本满意
	Dissatisfied Satisfaction = "dissatisfied" // 不满意
)

// SatisfactionAnswers lists the answers in the order the survey shows them.
var SatisfactionAnswers = []Satisfaction{Satisfied, Basic, Dissatisfied}

// SatisfactionNames are the Chinese names of the answers.
var SatisfactionNames = map[Satisfaction]string{Satisfied: "满意", Basic: "基本满意", Dissatisfied: "不满意"}

// FeedbackVia is how an answer was obtained.
type FeedbackVia string

// Ways an answer is obtained.
const (
	ViaLink  FeedbackVia = "link"  // the enterprise answered through its survey link
	ViaPhone FeedbackVia = "phone" // an officer phoned and recorded the answer (电话回访)
)

// FeedbackViaNames are the Chinese names of the ways.
var FeedbackViaNames = map[FeedbackVia]string{ViaLink: "企业在线评价", ViaPhone: "电话回访"}

// Feedback is the enterprise's answer for the latest handling round of a
// request; it is stored on the request in the same update that closes or
// reopens it.
type Feedback struct {
	Solved       Solved       `json:"solved" bson:"solved"`
	Satisfaction Satisfaction `json:"satisfaction" bson:"satisfaction"`
	Comment      string       `json:"comment,omitempty" bson:"comment,omitempty"`
	Via          FeedbackVia  `json:"via" bson:"via"`
	At           time.Time    `json:"at" bson:"at"`
	// RecordedByID and RecordedByName name the officer of a phone follow-up.
	RecordedByID   string `json:"recorded_by_id,omitempty" bson:"recorded_by_id,omitempty"`
	RecordedByName string `json:"recorded_by_name,omitempty" bson:"recorded_by_name,omitempty"`
}

// Unhappy reports whether the answer sends the request back for re-handling.
func (f *Feedback) Unhappy() bool {
	return f.Solved == Unsolved || f.Satisfaction == Dissatisfied
}

// Verification is the outcome a spot-check reviewer verified by calling the
// enterprise (抽查). When present, the rates use it instead of Feedback.
type Verification struct {
	CheckID      string       `json:"check_id" bson:"check_id"`
	Solved       Solved       `json:"solved" bson:"solved"`
	Satisfaction Satisfaction `json:"satisfaction" bson:"satisfaction"`
	Note         string       `json:"note,omitempty" bson:"note,omitempty"`
	// Discrepancy is set when the verified outcome differs from the recorded one.
	Discrepancy  bool      `json:"discrepancy" bson:"discrepancy"`
	ReviewerID   string    `json:"reviewer_id" bson:"reviewer_id"`
	ReviewerName string    `json:"reviewer_name" bson:"reviewer_name"`
	At           time.Time `json:"at" bson:"at"`
}

// Outcome returns the answer the rates count for r: the verified one when a
// spot check verified it, else the enterprise's feedback; ok is false when
// the enterprise has not answered.
func (r *Request) Outcome() (solved Solved, satisfaction Satisfaction, ok bool) {
	switch {
	case r.Verified != nil:
		return r.Verified.Solved, r.Verified.Satisfaction, true
	case r.Feedback != nil:
		return r.Feedback.Solved, r.Feedback.Satisfaction, true
	}
	return "", "", false
}
