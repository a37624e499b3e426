package portal

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal/workcal"
)

// SLALimit is one leg's time limit: an amount of a unit (hours, working
// days or working hours), counted from dispatch.
type SLALimit struct {
	Amount int          `json:"amount" bson:"amount"`
	Unit   workcal.Unit `json:"unit" bson:"unit"`
}

// String writes the limit for people: "24 小时", "3 个工作日".
func (l SLALimit) String() string {
	if name, ok := workcal.UnitNames[l.Unit]; ok {
		return fmt.Sprintf("%d %s", l.Amount, name)
	}
	return fmt.Sprintf("%d %s", l.Amount, l.Unit)
}

// SLAPlan is the time limits requests of one type run on when dispatched
// to a department of one tier: sign (签收), with a shorter urgent variant,
// reply (答复) and resolve (办结).
type SLAPlan struct {
	Type       RequestType `json:"type" bson:"type"`
	Tier       Tier        `json:"tier" bson:"tier"`
	Sign       SLALimit    `json:"sign" bson:"sign"`
	UrgentSign SLALimit    `json:"urgent_sign" bson:"urgent_sign"`
	Reply      SLALimit    `json:"reply" bson:"reply"`
	Resolve    SLALimit    `json:"resolve" bson:"resolve"`
}

// ID names the plan in a request's SLA: "<type>:<tier>", e.g. "complaint:B".
func (p *SLAPlan) ID() string { return string(p.Type) + ":" + string(p.Tier) }

// Name names the plan for people: "投诉 · B 级".
func (p *SLAPlan) Name() string {
	return fmt.Sprintf("%s · %s 级", RequestTypeNames[p.Type], p.Tier)
}

// Limit returns the limit of leg l; urgent picks the urgent sign limit.
func (p *SLAPlan) Limit(l Leg, urgent bool) SLALimit {
	switch {
	case l == LegSign && urgent:
		return p.UrgentSign
	case l == LegSign:
		return p.Sign
	case l == LegReply:
		return p.Reply
	default:
		return p.Resolve
	}
}

// SLAPlans is one version of the plan matrix: a plan for every request
// type at every tier. Version 0 is the built-in default, in force until an
// admin first saves; each save stores the next version and keeps the old
// ones, so that a request's PlanVersion can still be read.
type SLAPlans struct {
	Version       int       `json:"version" bson:"_id"`
	Plans         []SLAPlan `json:"plans" bson:"plans"`
	UpdatedBy     string    `json:"updated_by,omitempty" bson:"updated_by,omitempty"`
	UpdatedByName string    `json:"updated_by_name,omitempty" bson:"updated_by_name,omitempty"`
	UpdatedAt     time.Time `json:"updated_at,omitzero" bson:"updated_at"`
	// Summary says what the version changed, for the history list.
	Summary string `json:"summary,omitempty" bson:"summary,omitempty"`
}

// Plan returns the plan of type t at tier, nil when the matrix has none.
func (m *SLAPlans) Plan(t RequestType, tier Tier) *SLAPlan {
	for i := range m.Plans {
		if m.Plans[i].Type == t && m.Plans[i].Tier == tier {
			return &m.Plans[i]
		}
	}
	return nil
}

// PlanByID returns the plan named id ("complaint:B"), nil when unknown.
func (m *SLAPlans) PlanByID(id string) *SLAPlan {
	t, tier, ok := strings.Cut(id, ":")
	if !ok {
		return nil
	}
	return m.Plan(RequestType(t), Tier(tier))
}

// SLATiers lists the tiers in the order the matrix shows them.
var SLATiers = []Tier{TierA, TierB, TierC}

// SLALegKeys are the limits of a plan, as named in fields and forms.
var SLALegKeys = []string{"sign", "urgent_sign", "reply", "resolve"}

// SLALegKeyNames are the Chinese names of SLALegKeys.
var SLALegKeyNames = map[string]string{"sign": "签收", "urgent_sign": "紧急签收", "reply": "答复", "resolve": "办结"}

// limitByKey returns a pointer to the limit of p named key.
func (p *SLAPlan) limitByKey(key string) *SLALimit {
	switch key {
	case "sign":
		return &p.Sign
	case "urgent_sign":
		return &p.UrgentSign
	case "reply":
		return &p.Reply
	default:
		return &p.Resolve
	}
}

// LimitByKey returns the limit of p named by one of SLALegKeys.
func (p *SLAPlan) LimitByKey(key string) SLALimit { return *p.limitByKey(key) }

// DefaultSLAPlans returns version 0 of the matrix, the limits of the
// district programmes: sign within 24 hours (urgent: 4 hours), reply
// within 1 working day; complaints and suggestions resolved within 3
// working days; consultations and help requests within 2 (tier C), 3
// (tier B) or 4 (tier A) working days.
func DefaultSLAPlans() *SLAPlans {
	days := func(n int) SLALimit { return SLALimit{n, workcal.WorkingDays} }
	hours := func(n int) SLALimit { return SLALimit{n, workcal.Hours} }
	resolveDays := map[Tier]int{TierA: 4, TierB: 3, TierC: 2}
	m := &SLAPlans{Plans: []SLAPlan{}}
	for _, t := range RequestTypes {
		for _, tier := range SLATiers {
			resolve := resolveDays[tier]
			if t == TypeComplaint || t == TypeSuggestion {
				resolve = 3
			}
			m.Plans = append(m.Plans, SLAPlan{Type: t, Tier: tier, Sign: hours(24), UrgentSign: hours(4),
				Reply: days(1), Resolve: days(resolve)})
		}
	}
	return m
}

// Bounds of a limit's amount.
const (
	SLAMaxHours       = 720 // for hours and working hours: 30 days
	SLAMaxWorkingDays = 60
)

// checkLimit names what is wrong with l, "" when nothing is.
func checkLimit(l SLALimit) string {
	switch l.Unit {
	case workcal.Hours, workcal.WorkingHours:
		if l.Amount < 1 || l.Amount > SLAMaxHours {
			return fmt.Sprintf("时限必须是 1–%d 的整数（%s）", SLAMaxHours, workcal.UnitNames[l.Unit])
		}
	case workcal.WorkingDays:
		if l.Amount < 1 || l.Amount > SLAMaxWorkingDays {
			return fmt.Sprintf("时限必须是 1–%d 的整数（个工作日）", SLAMaxWorkingDays)
		}
	default:
		return "时限单位必须是小时、工作日或工作小时"
	}
	return ""
}

// limitNoLonger reports whether a limit a always ends no later than b
// when both start at the same instant, whatever the instant and the
// holidays; day is the business time of one working day.
//
// Natural hours end no later than the same number of working hours (business
// time is a part of natural time) and no later than 24 natural hours per
// working day (N working days end at the earliest N×24 hours after the
// start). Working hours end within the Nth working day after the start
// day when they fit in N working days' business time; they outlast N
// working days only when they exceed N+1 days of business time (the start
// day may contribute a whole one). Working time against natural hours is
// never guaranteed: a long holiday stretches it without bound.
func limitNoLonger(a, b SLALimit, day time.Duration) bool {
	h := time.Duration(a.Amount) * time.Hour
	switch {
	case a.Unit == b.Unit:
		return a.Amount <= b.Amount
	case a.Unit == workcal.Hours && b.Unit == workcal.WorkingHours:
		return a.Amount <= b.Amount
	case a.Unit == workcal.Hours && b.Unit == workcal.WorkingDays:
		return a.Amount <= 24*b.Amount
	case a.Unit == workcal.WorkingHours && b.Unit == workcal.WorkingDays:
		return h <= time.Duration(b.Amount)*day
	case a.Unit == workcal.WorkingDays && b.Unit == workcal.WorkingHours:
		return time.Duration(b.Amount)*time.Hour > time.Duration(a.Amount+1)*day
	}
	return false
}

// checkSLAPlans checks a whole matrix: every type at every tier exactly
// once, each limit within its bounds, the urgent sign limit no longer than
// the normal one and the reply limit no longer than the resolve limit.
// Problems are named "<type>.<tier>.<limit>", e.g. "complaint.B.resolve".
func checkSLAPlans(plans []SLAPlan, day time.Duration) map[string]string {
	bad := map[string]string{}
	seen := map[string]bool{}
	for i := range plans {
		p := &plans[i]
		_, knownType := RequestTypeNames[p.Type]
		switch {
		case !knownType || !p.Tier.Valid():
			bad[fmt.Sprintf("plans.%d", i)] = fmt.Sprintf("第 %d 项的诉求类型或层级未知（类型应为咨询、求助、投诉或建议，层级应为 A、B 或 C）", i+1)
			continue
		case seen[p.ID()]:
			bad[fmt.Sprintf("plans.%d", i)] = fmt.Sprintf("%s 重复出现", p.Name())
			continue
		}
		seen[p.ID()] = true
		prefix := string(p.Type) + "." + string(p.Tier) + "."
		for _, key := range SLALegKeys {
			if msg := checkLimit(p.LimitByKey(key)); msg != "" {
				bad[prefix+key] = fmt.Sprintf("%s %s：%s", p.Name(), SLALegKeyNames[key], msg)
			}
		}
		if bad[prefix+"sign"] == "" && bad[prefix+"urgent_sign"] == "" && !limitNoLonger(p.UrgentSign, p.Sign, day) {
			bad[prefix+"urgent_sign"] = fmt.Sprintf("%s：紧急签收时限（%s）不能长于一般签收时限（%s）", p.Name(), p.UrgentSign, p.Sign)
		}
		if bad[prefix+"reply"] == "" && bad[prefix+"resolve"] == "" && !limitNoLonger(p.Reply, p.Resolve, day) {
			bad[prefix+"reply"] = fmt.Sprintf("%s：答复时限（%s）可能晚于办结时限（%s），答复时限不能长于办结时限", p.Name(), p.Reply, p.Resolve)
		}
	}
	for _, t := range RequestTypes {
		for _, tier := range SLATiers {
			if !seen[string(t)+":"+string(tier)] && bad["plans"] == "" {
				bad["plans"] = fmt.Sprintf("缺少%s类诉求 %s 级的时限", RequestTypeNames[t], tier)
			}
		}
	}
	return bad
}

// SLAPlanStore keeps the versions of the plan matrix.
type SLAPlanStore interface {
	// CurrentSLAPlans returns the newest stored version; ENOTFOUND when
	// none is stored and the defaults are in force.
	CurrentSLAPlans(ctx context.Context) (*SLAPlans, error)
	// SLAPlansVersion returns stored version v; ENOTFOUND when not stored.
	SLAPlansVersion(ctx context.Context, v int) (*SLAPlans, error)
	// SaveSLAPlans stores m as version m.Version, only over version
	// m.Version-1 (over nothing for version 1); ECONFLICT otherwise, so
	// that of two admins saving at once exactly one wins.
	SaveSLAPlans(ctx context.Context, m *SLAPlans) error
	// FindSLAPlanVersions returns one page of the stored versions, newest
	// first, and how many there are.
	FindSLAPlanVersions(ctx context.Context, offset, limit int) ([]*SLAPlans, int, error)
}
