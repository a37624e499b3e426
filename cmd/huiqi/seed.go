package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/search"
)

func newSeedCmd() *cobra.Command {
	var cfg Config
	var withDemo bool
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Load data into the configured store (embedded mode: while the server is stopped)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !withDemo {
				return fmt.Errorf("nothing to load: pass --demo to load the demo district")
			}
			cfg.applyEnv(cmd.Flags(), nil)
			if err := cfg.Validate(); err != nil {
				return fmt.Errorf("invalid configuration:\n%w", err)
			}
			log := newLogger(cfg.Level)
			st, err := openStack(cmd.Context(), &cfg, log, needs{search: true})
			if err != nil {
				return err
			}
			defer st.close(context.Background())
			if err := st.migrate(cmd.Context(), log); err != nil {
				return err
			}
			if err := st.rebuildStale(cmd.Context()); err != nil {
				return err
			}
			password, err := seedDemo(cmd.Context(), st)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "demo data loaded")
			printDemoLogins(cmd.OutOrStdout(), password)
			return nil
		},
	}
	cfg.bindFlags(cmd.Flags())
	cmd.Flags().BoolVar(&withDemo, "demo", false, "load the demo district: org tree, chains, task forces, enterprises and users (idempotent; password from HUIQI_DEMO_PASSWORD or generated)")
	return cmd
}

// seedDemo upserts the demo district and returns the demo password; running
// it twice changes nothing but the demo users' passwords, which it resets.
func seedDemo(ctx context.Context, st *stack) (string, error) {
	password, err := demoPassword(st.cfg.DataDir)
	if err != nil {
		return "", err
	}
	org := mongostore.NewOrgStore(st.db)
	docs := make([]search.Document, 0, len(demo.OrgUnits()))
	for _, u := range demo.OrgUnits() {
		if err := org.UpsertOrgUnit(ctx, u); err != nil {
			return "", fmt.Errorf("org unit %s: %w", u.ID, err)
		}
		docs = append(docs, u.SearchDocument())
	}
	if err := st.orgIndex.Upsert(ctx, docs...); err != nil {
		return "", fmt.Errorf("index org units: %w", err)
	}
	chains := mongostore.NewChainStore(st.db)
	for _, c := range demo.Chains() {
		if err := chains.UpsertChain(ctx, c); err != nil {
			return "", fmt.Errorf("chain %s: %w", c.ID, err)
		}
	}
	tfs := mongostore.NewTaskForceStore(st.db)
	for _, t := range demo.TaskForces() {
		if err := tfs.UpsertTaskForce(ctx, t); err != nil {
			return "", fmt.Errorf("task force %s: %w", t.ID, err)
		}
	}
	ents := mongostore.NewEnterpriseStore(st.db)
	for _, e := range demo.Enterprises() {
		err := ents.CreateEnterprise(ctx, e)
		if portal.ErrorCode(err) == portal.EINVALID && portal.ErrorFields(err)["uscc"] != "" {
			err = ents.UpdateEnterprise(ctx, e) // already there: refresh it
		}
		if err != nil {
			return "", fmt.Errorf("enterprise %s: %w", e.ID, err)
		}
	}
	if err := seedPolicies(ctx, st); err != nil {
		return "", err
	}
	rules := mongostore.NewRoutingRuleStore(st.db)
	for _, r := range demo.RoutingRules() {
		r.CreatedAt, r.UpdatedAt = time.Now().UTC(), time.Now().UTC()
		// A rule that exists is left alone: an admin may have changed it.
		if err := rules.CreateRoutingRule(ctx, r); err != nil && portal.ErrorCode(err) != portal.ECONFLICT {
			return "", fmt.Errorf("routing rule %s: %w", r.ID, err)
		}
	}
	users := mongostore.NewUserStore(st.db)
	for _, u := range demo.Users() {
		if err := upsertUser(ctx, users, u, password); err != nil {
			return "", fmt.Errorf("user %s: %w", u.Username, err)
		}
	}
	if err := seedDemoRequests(ctx, st); err != nil {
		return "", err
	}
	if err := seedDemoMeetings(ctx, st); err != nil {
		return "", err
	}
	if err := seedDemoActionItems(ctx, st); err != nil {
		return "", err
	}
	st.log.Info("demo data loaded", "org_units", len(docs), "enterprises", len(demo.Enterprises()), "users", len(demo.Users()))
	return password, nil
}

// seedPolicies adds the demo catalogue, leaving policies that exist alone
// (an editor may have changed them), and indexes every one.
func seedPolicies(ctx context.Context, st *stack) error {
	store := policystore.New(st.db.Database())
	all := demo.Policies(time.Now())
	docs := make([]search.Document, 0, len(all))
	for _, p := range all {
		err := store.CreatePolicy(ctx, p)
		if portal.ErrorCode(err) == portal.ECONFLICT {
			if p, err = store.FindPolicyByID(ctx, p.ID); err != nil {
				return err
			}
		} else if err != nil {
			return fmt.Errorf("policy %s: %w", p.ID, err)
		} else if err := store.AppendVersion(ctx, &policies.Version{PolicyID: p.ID, Version: p.Version, Action: "create",
			Actor: "演示数据", At: p.CreatedAt, Snapshot: *p}); err != nil && portal.ErrorCode(err) != portal.ECONFLICT {
			return err
		}
		docs = append(docs, policies.SearchDocument(p))
	}
	return st.policyIndex.Upsert(ctx, docs...)
}

// upsertUser creates u or brings the existing account with its username
// back to u's roles, scope and password.
func upsertUser(ctx context.Context, users *mongostore.UserStore, u *portal.User, password string) error {
	hash, err := portal.HashPassword(password)
	if err != nil {
		return err
	}
	existing, err := users.FindUserByUsername(ctx, u.Username)
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND:
		u.PasswordHash = hash
		return users.CreateUser(ctx, u)
	case err != nil:
		return err
	}
	active := portal.UserActive
	_, err = users.UpdateUser(ctx, existing.ID, portal.UserUpdate{
		DisplayName: &u.DisplayName, PasswordHash: &hash, Roles: u.Roles, Status: &active,
		EnterpriseID: &u.EnterpriseID, UnitID: &u.UnitID, ChainID: &u.ChainID, TaskForceID: &u.TaskForceID,
	})
	return err
}

// demoPassword is HUIQI_DEMO_PASSWORD, or a password generated once and
// kept in the data dir so that restarts keep the printed logins valid.
func demoPassword(dataDir string) (string, error) {
	if p := os.Getenv("HUIQI_DEMO_PASSWORD"); p != "" {
		if err := portal.CheckPassword(p, ""); err != nil {
			return "", fmt.Errorf("HUIQI_DEMO_PASSWORD: %s", portal.ErrorMessage(err))
		}
		return p, nil
	}
	path := filepath.Join(dataDir, "demo.password")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= portal.MinPasswordLen {
		return strings.TrimSpace(string(b)), nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	p := string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:])
	if err := os.WriteFile(path, []byte(p+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep demo password: %w", err)
	}
	return p, nil
}

// printDemoLogins tells a demo visitor how to sign in.
func printDemoLogins(w io.Writer, password string) {
	fmt.Fprintf(w, "\nDemo logins (password for all: %s):\n", password)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, u := range demo.Users() {
		var roles []string
		for _, r := range u.Roles {
			roles = append(roles, portal.RoleNames[r])
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Username, strings.Join(roles, "、"), u.DisplayName)
	}
	tw.Flush()
	fmt.Fprintln(w)
}
