package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// RegistrationService lets an enterprise's staff register themselves and
// lets the enterprise's liaison (or an admin) verify or reject them.
type RegistrationService struct {
	Users       UserStore
	Enterprises EnterpriseStore
	Throttle    Throttle
	Audit       *Auditor
	// MaxPerAddress registrations are accepted from one client address
	// within Window; later ones are refused until the window ends.
	MaxPerAddress int
	Window        time.Duration
}

// NewRegistrationService returns the service with its default limit of 10
// registrations per address per hour.
func NewRegistrationService(users UserStore, ents EnterpriseStore, throttle Throttle, audit AuditStore, now func() time.Time) *RegistrationService {
	if now == nil {
		now = time.Now
	}
	return &RegistrationService{Users: users, Enterprises: ents, Throttle: throttle, Audit: &Auditor{Store: audit, Now: now},
		MaxPerAddress: 10, Window: time.Hour}
}

// Registration is what a visitor sends to register an enterprise account.
type Registration struct {
	USCC        string `json:"uscc"`
	CompanyName string `json:"company_name"`
	ContactName string `json:"contact_name"`
	Phone       string `json:"phone"`
	Username    string `json:"username"`
	Password    string `json:"password"`
}

// PendingRegistration is a user waiting for verification with its enterprise.
type PendingRegistration struct {
	User       *User       `json:"user"`
	Enterprise *Enterprise `json:"enterprise"`
}

// RegistrationPage is one page of registrations waiting for verification.
type RegistrationPage struct {
	Items   []PendingRegistration `json:"items"`
	Total   int                   `json:"total"`
	Page    int                   `json:"page"`
	PerPage int                   `json:"per_page"`
}

// Pages returns how many pages the list has (at least 1).
func (p *RegistrationPage) Pages() int {
	if p.PerPage <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// RegistrationMessage is what a new registrant is told.
const RegistrationMessage = "注册成功。账号需由贵企业的专班联络员或管理员审核，审核通过前可以登录，但只能浏览公开信息。"

// Register creates a pending enterprise user. The enterprise is found by
// USCC or created from the form; an enterprise already on file keeps its
// data. Registrations are limited per client address.
func (s *RegistrationService) Register(ctx context.Context, r Registration, clientIP string) (*User, error) {
	r.USCC = NormalizeUSCC(r.USCC)
	r.CompanyName = strings.TrimSpace(r.CompanyName)
	r.ContactName = strings.TrimSpace(r.ContactName)
	r.Phone = strings.ReplaceAll(strings.TrimSpace(r.Phone), " ", "")
	r.Username = strings.ToLower(strings.TrimSpace(r.Username))
	ctx = WithActor(ctx, &Actor{Username: r.Username, DisplayName: r.Username, ClientIP: clientIP})

	key := "register:ip:" + clientIP
	n, wait, err := s.Throttle.Failures(ctx, key)
	if err != nil {
		return nil, Internal(fmt.Errorf("read registration throttle: %w", err))
	}
	if n >= s.MaxPerAddress {
		_ = s.Audit.Record(ctx, "user.register", "user", r.Username, OutcomeThrottled, key)
		minutes := max(int((wait+time.Minute-1)/time.Minute), 1)
		return nil, &Error{Code: ETOOMANY, Message: fmt.Sprintf("注册过于频繁，请 %d 分钟后再试", minutes), RetryAfter: wait}
	}
	// Every attempt counts, so that the form cannot be used to probe
	// which usernames exist.
	if _, _, err := s.Throttle.Fail(ctx, key, s.Window); err != nil {
		return nil, Internal(fmt.Errorf("count registration: %w", err))
	}

	if err := s.check(ctx, r); err != nil {
		return nil, err
	}
	hash, err := HashPassword(r.Password)
	if err != nil {
		return nil, Internal(err)
	}
	ent, detail, err := s.enterpriseFor(ctx, r)
	if err != nil {
		return nil, err
	}
	u := &User{Username: r.Username, DisplayName: r.ContactName, Phone: r.Phone, PasswordHash: hash,
		Roles: []Role{RoleEnterprise}, EnterpriseID: ent.ID, Status: UserPending}
	// The enterprise is written first: should the username be taken in the
	// moment since it was checked, an enterprise without an account is left,
	// which a later registration or import simply finds.
	if err := s.Users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "user.register", "user", u.ID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// check validates the form, naming every bad field at once.
func (s *RegistrationService) check(ctx context.Context, r Registration) error {
	f := map[string]string{}
	if err := ValidateUSCC(r.USCC); err != nil {
		f["uscc"] = ErrorFields(err)["uscc"]
	}
	if n := utf8.RuneCountInString(r.CompanyName); n < 2 || n > 100 {
		f["company_name"] = "企业名称应为 2–100 个字"
	}
	if n := utf8.RuneCountInString(r.ContactName); n < 1 || n > 40 {
		f["contact_name"] = "请填写联系人姓名（不超过 40 个字）"
	}
	if !ValidPhone(r.Phone) {
		f["phone"] = "请填写正确的手机号或带区号的固定电话"
	}
	if !usernamePattern.MatchString(r.Username) {
		f["username"] = "用户名须为 3–32 位小写字母、数字或 _ . -，并以字母或数字开头"
	} else if _, err := s.Users.FindUserByUsername(ctx, r.Username); err == nil {
		f["username"] = "用户名已被使用，请换一个"
	} else if ErrorCode(err) != ENOTFOUND {
		return err
	}
	if err := CheckPassword(r.Password, r.Username); err != nil {
		f["password"] = ErrorFields(err)["password"]
	}
	if len(f) > 0 {
		return Invalid("注册信息有误，请按提示修改", f)
	}
	return nil
}

// enterpriseFor finds the enterprise with the USCC, or creates it from
// the form, and says which for the audit log.
func (s *RegistrationService) enterpriseFor(ctx context.Context, r Registration) (*Enterprise, string, error) {
	e, err := s.Enterprises.FindEnterpriseByUSCC(ctx, r.USCC)
	if err == nil {
		detail := "bound to existing enterprise " + e.ID
		if e.Name != r.CompanyName {
			detail += fmt.Sprintf("; company name on the form %q differs from the stored %q, kept the stored one", r.CompanyName, e.Name)
		}
		return e, detail, nil
	}
	if ErrorCode(err) != ENOTFOUND {
		return nil, "", err
	}
	e = &Enterprise{USCC: r.USCC, Name: r.CompanyName, ContactName: r.ContactName, ContactPhone: r.Phone}
	if err := s.Enterprises.CreateEnterprise(ctx, e); err != nil {
		if ErrorCode(err) == EINVALID && ErrorFields(err)["uscc"] != "" {
			// Created by another registration a moment ago: bind to it.
			if e, err := s.Enterprises.FindEnterpriseByUSCC(ctx, r.USCC); err == nil {
				return e, "bound to existing enterprise " + e.ID, nil
			}
		}
		return nil, "", err
	}
	if err := s.Audit.Record(ctx, "enterprise.create", "enterprise", e.ID, OutcomeOK, "self-registration: "+e.USCC+" "+e.Name); err != nil {
		return nil, "", Internal(err)
	}
	return e, "created enterprise " + e.ID, nil
}

// errUserNotFound is what an actor learns of a user it may not see.
var errUserNotFound = Errorf(ENOTFOUND, "用户不存在")

// reviewable loads the user and its enterprise and checks the actor may
// decide on it: an admin, or the liaison responsible for the enterprise.
// Colleagues of the same enterprise may see the user but not decide
// (EFORBIDDEN); anyone else learns nothing (ENOTFOUND).
func (s *RegistrationService) reviewable(ctx context.Context, id string) (*User, *Enterprise, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	u, err := s.Users.FindUserByID(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, errUserNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	var ent *Enterprise
	if u.EnterpriseID != "" {
		ent, err = s.Enterprises.FindEnterpriseByID(ctx, u.EnterpriseID)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return nil, nil, err
		}
	}
	switch {
	case a.IsAdmin():
	case a.Has(RoleLiaison) && ent != nil && ent.LiaisonID == a.UserID:
	case a.UserID == u.ID || (a.Has(RoleEnterprise) && u.EnterpriseID != "" && a.EnterpriseID == u.EnterpriseID):
		return nil, nil, Errorf(EFORBIDDEN, "只有贵企业的包干联络员或管理员可以审核注册")
	default:
		return nil, nil, errUserNotFound
	}
	if u.Status != UserPending {
		return nil, nil, Errorf(ECONFLICT, "该账号当前状态为“%s”，不是待审核的注册", UserStatusNames[u.Status])
	}
	return u, ent, nil
}

// Verify activates a pending registration.
func (s *RegistrationService) Verify(ctx context.Context, id string) (*User, error) {
	u, _, err := s.reviewable(ctx, id)
	if err != nil {
		return nil, err
	}
	active := UserActive
	u, err = s.Users.UpdateUser(ctx, u.ID, UserUpdate{Status: &active})
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "user.verify", "user", u.ID, OutcomeOK, "enterprise "+u.EnterpriseID); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// Reject refuses a pending registration: the account is disabled and the
// reason kept in the audit log.
func (s *RegistrationService) Reject(ctx context.Context, id, reason string) (*User, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return nil, Invalid("请填写拒绝理由（2–200 个字）", map[string]string{"reason": "请填写拒绝理由（2–200 个字）"})
	}
	u, _, err := s.reviewable(ctx, id)
	if err != nil {
		return nil, err
	}
	disabled := UserDisabled
	u, err = s.Users.UpdateUser(ctx, u.ID, UserUpdate{Status: &disabled})
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "user.reject", "user", u.ID, OutcomeOK, "reason: "+reason); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// Pending lists the registrations the actor may verify: every one for an
// admin, those of its caseload for a liaison. q matches the username or
// name; page counts from 1.
func (s *RegistrationService) Pending(ctx context.Context, q string, page, perPage int) (*RegistrationPage, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	if !a.HasAny(RoleAdmin, RoleLiaison) {
		return nil, Errorf(EFORBIDDEN, "只有专班联络员和管理员可以审核注册")
	}
	q = strings.TrimSpace(q)
	f := map[string]string{}
	if utf8.RuneCountInString(q) > 50 {
		f["q"] = "查询词不能超过 50 个字"
	}
	checkPaging(f, &page, &perPage, DefaultEnterprisesPerPage, MaxEnterprisesPerPage)
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	pending, role := UserPending, RoleEnterprise
	filter := UserFilter{Q: q, Status: &pending, Role: &role, Offset: (page - 1) * perPage, Limit: perPage}
	if !a.IsAdmin() {
		caseload, _, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{LiaisonID: &a.UserID})
		if err != nil {
			return nil, err
		}
		filter.EnterpriseIn = make([]string, 0, len(caseload))
		for _, e := range caseload {
			filter.EnterpriseIn = append(filter.EnterpriseIn, e.ID)
		}
	}
	out := &RegistrationPage{Items: []PendingRegistration{}, Page: page, PerPage: perPage}
	if filter.EnterpriseIn != nil && len(filter.EnterpriseIn) == 0 {
		return out, nil
	}
	users, total, err := s.Users.FindUsers(ctx, filter)
	if err != nil {
		return nil, err
	}
	out.Total = total
	var ids []string
	for _, u := range users {
		if u.EnterpriseID != "" && !slices.Contains(ids, u.EnterpriseID) {
			ids = append(ids, u.EnterpriseID)
		}
	}
	byID := map[string]*Enterprise{}
	if len(ids) > 0 {
		ents, _, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{IDs: ids})
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			byID[e.ID] = e
		}
	}
	for _, u := range users {
		out.Items = append(out.Items, PendingRegistration{User: u, Enterprise: byID[u.EnterpriseID]})
	}
	return out, nil
}
