package portal

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Enterprise is a company served by the portal (一企一档).
type Enterprise struct {
	ID               string            `json:"id" bson:"_id"`
	USCC             string            `json:"uscc" bson:"uscc"` // 统一社会信用代码, unique
	Name             string            `json:"name" bson:"name"`
	Address          string            `json:"address,omitempty" bson:"address,omitempty"`
	District         string            `json:"district,omitempty" bson:"district,omitempty"`
	SubdistrictID    string            `json:"subdistrict_id,omitempty" bson:"subdistrict_id,omitempty"` // tier-B org unit
	ParkID           string            `json:"park_id,omitempty" bson:"park_id,omitempty"`               // tier-C org unit (community or park)
	IndustrySection  string            `json:"industry_section,omitempty" bson:"industry_section,omitempty"`
	IndustryDivision string            `json:"industry_division,omitempty" bson:"industry_division,omitempty"`
	ContactName      string            `json:"contact_name,omitempty" bson:"contact_name,omitempty"`
	ContactPhone     string            `json:"contact_phone,omitempty" bson:"contact_phone,omitempty"`
	LiaisonID        string            `json:"liaison_id,omitempty" bson:"liaison_id,omitempty"` // the liaison responsible (包干)
	TaskForceID      string            `json:"task_force_id,omitempty" bson:"task_force_id,omitempty"`
	ChainIDs         []string          `json:"chain_ids,omitempty" bson:"chain_ids,omitempty"`
	Profile          EnterpriseProfile `json:"profile" bson:"profile"`
	CreatedAt        time.Time         `json:"created_at" bson:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at" bson:"updated_at"`
}

// Normalize tidies what people type: spaces, the case of the USCC.
func (e *Enterprise) Normalize() {
	e.USCC = NormalizeUSCC(e.USCC)
	e.Name = strings.TrimSpace(e.Name)
	e.Address = strings.TrimSpace(e.Address)
	e.ContactName = strings.TrimSpace(e.ContactName)
	e.ContactPhone = strings.ReplaceAll(strings.TrimSpace(e.ContactPhone), " ", "")
	e.IndustrySection = strings.ToUpper(strings.TrimSpace(e.IndustrySection))
	e.IndustryDivision = strings.TrimSpace(e.IndustryDivision)
}

// Validate checks the enterprise's own fields (not that referenced org
// units, liaisons or chains exist: services check those).
func (e *Enterprise) Validate() error {
	f := map[string]string{}
	if err := ValidateUSCC(e.USCC); err != nil {
		f["uscc"] = ErrorFields(err)["uscc"]
	}
	if n := utf8.RuneCountInString(e.Name); n < 2 || n > 100 {
		f["name"] = "企业名称应为 2–100 个字"
	}
	if utf8.RuneCountInString(e.Address) > 200 {
		f["address"] = "地址不能超过 200 个字"
	}
	if e.IndustrySection != "" {
		if _, ok := IndustrySection(e.IndustrySection); !ok {
			f["industry_section"] = "行业门类应为 GB/T 4754 的 A–T"
		}
	}
	if e.IndustryDivision != "" {
		sec, _, ok := DivisionSection(e.IndustryDivision)
		switch {
		case !ok:
			f["industry_division"] = "行业大类应为 GB/T 4754 的两位代码 01–97"
		case e.IndustrySection != "" && sec != e.IndustrySection:
			f["industry_division"] = "行业大类 " + e.IndustryDivision + " 不属于门类 " + e.IndustrySection
		}
	}
	if utf8.RuneCountInString(e.ContactName) > 40 {
		f["contact_name"] = "联系人不能超过 40 个字"
	}
	if e.ContactPhone != "" && !ValidPhone(e.ContactPhone) {
		f["contact_phone"] = "联系电话格式不正确"
	}
	if len(f) > 0 {
		return Invalid("企业信息有误", f)
	}
	return nil
}

// EnterpriseFilter selects enterprises; nil or empty fields are not applied.
type EnterpriseFilter struct {
	IDs       []string
	Q         string // part of the name or the USCC
	LiaisonID *string
	ChainID   *string
	UnitIn    []string // subdistrict or park among these units
	Offset    int
	Limit     int
}

// EnterpriseStore persists enterprises.
type EnterpriseStore interface {
	CreateEnterprise(ctx context.Context, e *Enterprise) error
	FindEnterpriseByID(ctx context.Context, id string) (*Enterprise, error)
	FindEnterpriseByUSCC(ctx context.Context, uscc string) (*Enterprise, error)
	FindEnterprises(ctx context.Context, f EnterpriseFilter) ([]*Enterprise, int, error)
	// UpdateEnterprise replaces the enterprise's fields (not id, USCC or created_at).
	UpdateEnterprise(ctx context.Context, e *Enterprise) error
	// ReassignLiaison moves the given enterprises (all of from's when ids is
	// empty) from liaison from to liaison to, and returns how many moved.
	ReassignLiaison(ctx context.Context, from, to, taskForceID string, ids []string) (int, error)
}

// Chain is an industry chain (产业链) with its committee (产业链党委).
type Chain struct {
	ID          string    `json:"id" bson:"_id"`
	Name        string    `json:"name" bson:"name"`
	Description string    `json:"description,omitempty" bson:"description,omitempty"`
	LeadUnitID  string    `json:"lead_unit_id,omitempty" bson:"lead_unit_id,omitempty"`
	CreatedAt   time.Time `json:"created_at" bson:"created_at"`
}

// Validate checks the chain's fields.
func (c *Chain) Validate() error {
	if n := utf8.RuneCountInString(strings.TrimSpace(c.Name)); n < 2 || n > 40 {
		return Invalid("产业链信息有误", map[string]string{"name": "产业链名称应为 2–40 个字"})
	}
	return nil
}

// TaskForce is a 专班: a team of liaison officers led by a unit, each
// responsible for a caseload of enterprises.
type TaskForce struct {
	ID         string    `json:"id" bson:"_id"`
	Name       string    `json:"name" bson:"name"`
	LeadUnitID string    `json:"lead_unit_id" bson:"lead_unit_id"`
	MemberIDs  []string  `json:"member_ids" bson:"member_ids"` // liaison users
	CreatedAt  time.Time `json:"created_at" bson:"created_at"`
}

// Validate checks the task force's fields.
func (t *TaskForce) Validate() error {
	f := map[string]string{}
	if n := utf8.RuneCountInString(strings.TrimSpace(t.Name)); n < 2 || n > 40 {
		f["name"] = "专班名称应为 2–40 个字"
	}
	if t.LeadUnitID == "" {
		f["lead_unit_id"] = "必须指定牵头单位"
	}
	if len(f) > 0 {
		return Invalid("专班信息有误", f)
	}
	return nil
}

// ChainStore persists industry chains.
type ChainStore interface {
	UpsertChain(ctx context.Context, c *Chain) error
	FindChainByID(ctx context.Context, id string) (*Chain, error)
	FindChains(ctx context.Context) ([]*Chain, error)
}

// TaskForceStore persists task forces.
type TaskForceStore interface {
	UpsertTaskForce(ctx context.Context, t *TaskForce) error
	FindTaskForceByID(ctx context.Context, id string) (*TaskForce, error)
	FindTaskForces(ctx context.Context) ([]*TaskForce, error)
}
