package portal

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ChainService runs the industry chains (产业链) and their committees
// (产业链党委): every signed-in user may see the chains and how many
// enterprises each holds; who sits on a committee is shown only to admins
// and to that committee's own members; admins create and change chains.
type ChainService struct {
	Chains      ChainStore
	Users       UserStore
	Enterprises EnterpriseStore
	Org         OrgStore
	Audit       *Auditor
}

// ChainInput is what an admin sends to create or change a chain.
type ChainInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	LeadUnitID  string `json:"lead_unit_id"`
}

// ChainSummary is a chain with its lead unit's name and how many
// enterprises belong to it.
type ChainSummary struct {
	*Chain
	LeadUnitName string `json:"lead_unit_name,omitempty"`
	Enterprises  int    `json:"enterprises"`
}

// ChainMember is a member of a chain's committee.
type ChainMember struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Phone       string     `json:"phone,omitempty"`
	Status      UserStatus `json:"status"`
}

// ChainDetail is a chain with, for those allowed to see it, its committee.
type ChainDetail struct {
	ChainSummary
	// CommitteeVisible says whether the actor may see the committee;
	// Members is nil (and left out of JSON) when they may not.
	CommitteeVisible bool           `json:"committee_visible"`
	Members          []*ChainMember `json:"members,omitempty"`
}

// maxChainDescription bounds a chain's description.
const maxChainDescription = 500

// FindChains returns one page of chains whose name contains q, for any
// signed-in user. Chains are few, so they are filtered after reading them all.
func (s *ChainService) FindChains(ctx context.Context, q string, offset, limit int) ([]*ChainSummary, int, error) {
	if err := denyVisitors(ctx); err != nil {
		return nil, 0, err
	}
	all, err := s.Chains.FindChains(ctx)
	if err != nil {
		return nil, 0, err
	}
	q = strings.TrimSpace(q)
	var match []*Chain
	for _, c := range all {
		if q == "" || strings.Contains(c.Name, q) || strings.Contains(c.Description, q) {
			match = append(match, c)
		}
	}
	names, err := orgUnitNames(ctx, s.Org)
	if err != nil {
		return nil, 0, err
	}
	out := []*ChainSummary{}
	for _, c := range pageSlice(match, offset, limit) {
		sum, err := s.summary(ctx, c, names)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, sum)
	}
	return out, len(match), nil
}

// FindChain returns a chain; its committee members are included only for
// admins and members of that chain's committee.
func (s *ChainService) FindChain(ctx context.Context, id string) (*ChainDetail, error) {
	if err := denyVisitors(ctx); err != nil {
		return nil, err
	}
	c, err := s.Chains.FindChainByID(ctx, id)
	if err != nil {
		return nil, err
	}
	names, err := orgUnitNames(ctx, s.Org)
	if err != nil {
		return nil, err
	}
	sum, err := s.summary(ctx, c, names)
	if err != nil {
		return nil, err
	}
	d := &ChainDetail{ChainSummary: *sum}
	if a := ActorFrom(ctx); a.IsAdmin() || (a.Has(RoleCommittee) && a.ChainID == id) {
		d.CommitteeVisible = true
		if d.Members, err = s.committee(ctx, id); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// committee returns the committee members of chain id. Committee members
// are a few dozen accounts, so they are read by role and picked by chain.
func (s *ChainService) committee(ctx context.Context, id string) ([]*ChainMember, error) {
	role := RoleCommittee
	users, _, err := s.Users.FindUsers(ctx, UserFilter{Role: &role})
	if err != nil {
		return nil, err
	}
	out := []*ChainMember{}
	for _, u := range users {
		if u.ChainID == id {
			out = append(out, &ChainMember{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Phone: u.Phone, Status: u.Status})
		}
	}
	return out, nil
}

func (s *ChainService) summary(ctx context.Context, c *Chain, names map[string]string) (*ChainSummary, error) {
	_, n, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{ChainID: &c.ID, Limit: 1})
	if err != nil {
		return nil, err
	}
	return &ChainSummary{Chain: c, LeadUnitName: names[c.LeadUnitID], Enterprises: n}, nil
}

// CreateChain adds an industry chain (admin only).
func (s *ChainService) CreateChain(ctx context.Context, in ChainInput) (*Chain, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "chain.create", "chain", ""); err != nil {
		return nil, err
	}
	c := &Chain{ID: NewID()}
	if err := s.check(ctx, c, in); err != nil {
		return nil, err
	}
	if err := s.Chains.UpsertChain(ctx, c); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "chain.create", "chain", c.ID, OutcomeOK, c.Name); err != nil {
		return nil, Internal(err)
	}
	return c, nil
}

// UpdateChain changes a chain's name, description or lead unit (admin only).
func (s *ChainService) UpdateChain(ctx context.Context, id string, in ChainInput) (*Chain, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "chain.update", "chain", id); err != nil {
		return nil, err
	}
	old, err := s.Chains.FindChainByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c := &Chain{ID: id, CreatedAt: old.CreatedAt}
	if err := s.check(ctx, c, in); err != nil {
		return nil, err
	}
	var parts []string
	for _, p := range []struct{ field, from, to string }{
		{"名称", old.Name, c.Name}, {"简介", old.Description, c.Description}, {"牵头单位", old.LeadUnitID, c.LeadUnitID},
	} {
		if p.from != p.to {
			parts = append(parts, fmt.Sprintf("%s：%s → %s", p.field, p.from, p.to))
		}
	}
	if len(parts) == 0 {
		return old, nil
	}
	if err := s.Chains.UpsertChain(ctx, c); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "chain.update", "chain", c.ID, OutcomeOK, strings.Join(parts, "；")); err != nil {
		return nil, Internal(err)
	}
	return c, nil
}

// check fills c from in and validates it against the stored data.
func (s *ChainService) check(ctx context.Context, c *Chain, in ChainInput) error {
	f := map[string]string{}
	c.Name = strings.TrimSpace(in.Name)
	c.Description = strings.TrimSpace(in.Description)
	c.LeadUnitID = strings.TrimSpace(in.LeadUnitID)
	if err := c.Validate(); err != nil {
		f["name"] = ErrorFields(err)["name"]
	} else {
		all, err := s.Chains.FindChains(ctx)
		if err != nil {
			return err
		}
		for _, other := range all {
			if other.ID != c.ID && other.Name == c.Name {
				f["name"] = "已有同名的产业链"
			}
		}
	}
	if utf8.RuneCountInString(c.Description) > maxChainDescription {
		f["description"] = fmt.Sprintf("简介不能超过 %d 个字", maxChainDescription)
	}
	if c.LeadUnitID != "" {
		units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{c.LeadUnitID}})
		if err != nil {
			return err
		}
		if len(units) == 0 {
			f["lead_unit_id"] = "牵头单位不存在"
		}
	}
	if len(f) > 0 {
		return Invalid("产业链信息有误", f)
	}
	return nil
}

// denyVisitors refuses visitors and accounts still waiting for verification.
func denyVisitors(ctx context.Context) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHENTICATED, "请先登录")
	case a.Pending:
		return Errorf(EFORBIDDEN, "您的账号正在等待审核，审核通过后才能使用此功能")
	}
	return nil
}
