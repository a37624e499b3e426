package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
)

// newUserCmd manages accounts directly in the store: the way to create the
// first admin, or to recover one, without the portal running.
func newUserCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Add users, set passwords and disable users in the configured store (embedded mode: while the server is stopped)",
	}
	cmd.AddCommand(newUserAddCmd(), newUserPasswdCmd(), newUserDisableCmd())
	return cmd
}

// withStore validates the configuration, opens the store, runs fn and
// closes it again.
func withStore(cmd *cobra.Command, cfg *Config, fn func(ctx context.Context, st *stack) error) error {
	cfg.applyEnv(cmd.Flags(), nil)
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := newLogger(cfg.Level)
	st, err := openStack(cmd.Context(), cfg, log, needs{})
	if err != nil {
		return err
	}
	defer st.close(context.Background())
	if err := st.migrate(cmd.Context(), log); err != nil {
		return err
	}
	return fn(cmd.Context(), st)
}

// cliError turns a domain error into a message for the terminal, listing
// the offending fields.
func cliError(err error) error {
	if err == nil || portal.ErrorCode(err) == portal.EINTERNAL {
		return err
	}
	msg := portal.ErrorMessage(err)
	for field, m := range portal.ErrorFields(err) {
		msg += fmt.Sprintf("\n  %s: %s", field, m)
	}
	return fmt.Errorf("%s", msg)
}

func newUserAddCmd() *cobra.Command {
	var cfg Config
	var username, password, roles, name, enterprise, unit, chain, taskForce, phone string
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Create an active user",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(ctx context.Context, st *stack) error {
				u := &portal.User{Username: username, DisplayName: name, Phone: phone, Status: portal.UserActive}
				if u.DisplayName == "" {
					u.DisplayName = username
				}
				for _, r := range strings.Split(roles, ",") {
					role := portal.Role(strings.TrimSpace(r))
					if _, ok := portal.RoleNames[role]; !ok {
						return fmt.Errorf("unknown role %q; roles are %s", r, knownRoles())
					}
					u.Roles = append(u.Roles, role)
				}
				if err := portal.CheckPassword(password, username); err != nil {
					return cliError(err)
				}
				var err error
				if enterprise != "" {
					e, err := mongostore.NewEnterpriseStore(st.db).FindEnterpriseByUSCC(ctx, enterprise)
					if err != nil {
						return fmt.Errorf("enterprise %s: %s", enterprise, portal.ErrorMessage(err))
					}
					u.EnterpriseID = e.ID
				}
				if unit != "" {
					if u.UnitID, err = findUnit(ctx, st, unit); err != nil {
						return err
					}
				}
				if chain != "" {
					c, err := mongostore.NewChainStore(st.db).FindChainByID(ctx, chain)
					if err != nil {
						return fmt.Errorf("chain %s: %s", chain, portal.ErrorMessage(err))
					}
					u.ChainID = c.ID
				}
				if taskForce != "" {
					t, err := mongostore.NewTaskForceStore(st.db).FindTaskForceByID(ctx, taskForce)
					if err != nil {
						return fmt.Errorf("task force %s: %s", taskForce, portal.ErrorMessage(err))
					}
					u.TaskForceID = t.ID
				}
				if u.PasswordHash, err = portal.HashPassword(password); err != nil {
					return err
				}
				if err := mongostore.NewUserStore(st.db).CreateUser(ctx, u); err != nil {
					return cliError(err)
				}
				if err := audit(ctx, st, "user.create", u.ID, "created with huiqi user add"); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "user %s created (%s)\n", u.Username, roles)
				return nil
			})
		},
	}
	cfg.bindFlags(cmd.Flags())
	f := cmd.Flags()
	f.StringVar(&username, "username", "", "login name: 3–32 lower-case letters, digits, _ . -")
	f.StringVar(&password, "password", "", "initial password (at least 8 characters, not a common one)")
	f.StringVar(&roles, "role", "", "roles, comma-separated: "+knownRoles())
	f.StringVar(&name, "name", "", "display name shown in the portal (default: the username)")
	f.StringVar(&phone, "phone", "", "mobile or landline number")
	f.StringVar(&enterprise, "enterprise", "", "USCC of the enterprise an enterprise user belongs to")
	f.StringVar(&unit, "unit", "", "org unit id or exact name: the department of a handler or dept_head, the subtree of a dispatcher")
	f.StringVar(&chain, "chain", "", "industry chain id of a committee member")
	f.StringVar(&taskForce, "task-force", "", "task force id of a liaison")
	for _, req := range []string{"username", "password", "role"} {
		_ = cmd.MarkFlagRequired(req)
	}
	return cmd
}

func newUserPasswdCmd() *cobra.Command {
	var cfg Config
	var username, password string
	cmd := &cobra.Command{
		Use:   "passwd",
		Short: "Set a user's password (ends the user's sessions)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(ctx context.Context, st *stack) error {
				users := mongostore.NewUserStore(st.db)
				u, err := users.FindUserByUsername(ctx, username)
				if err != nil {
					return fmt.Errorf("user %s: %s", username, portal.ErrorMessage(err))
				}
				if err := portal.CheckPassword(password, u.Username); err != nil {
					return cliError(err)
				}
				hash, err := portal.HashPassword(password)
				if err != nil {
					return err
				}
				if err := changeUser(ctx, st, u.ID, portal.UserUpdate{PasswordHash: &hash}, "user.password_reset", "password set with huiqi user passwd"); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed; their sessions have ended\n", u.Username)
				return nil
			})
		},
	}
	cfg.bindFlags(cmd.Flags())
	cmd.Flags().StringVar(&username, "username", "", "the user whose password to set")
	cmd.Flags().StringVar(&password, "password", "", "the new password (at least 8 characters, not a common one)")
	_ = cmd.MarkFlagRequired("username")
	_ = cmd.MarkFlagRequired("password")
	return cmd
}

func newUserDisableCmd() *cobra.Command {
	var cfg Config
	var username string
	cmd := &cobra.Command{
		Use:   "disable",
		Short: "Disable a user at once: their tokens and sessions stop working",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(ctx context.Context, st *stack) error {
				users := mongostore.NewUserStore(st.db)
				u, err := users.FindUserByUsername(ctx, username)
				if err != nil {
					return fmt.Errorf("user %s: %s", username, portal.ErrorMessage(err))
				}
				disabled := portal.UserDisabled
				if err := changeUser(ctx, st, u.ID, portal.UserUpdate{Status: &disabled}, "user.disable", "disabled with huiqi user disable"); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "user %s disabled\n", u.Username)
				return nil
			})
		},
	}
	cfg.bindFlags(cmd.Flags())
	cmd.Flags().StringVar(&username, "username", "", "the user to disable")
	_ = cmd.MarkFlagRequired("username")
	return cmd
}

// changeUser applies upd, ends the user's sessions and audits the change.
func changeUser(ctx context.Context, st *stack, id string, upd portal.UserUpdate, action, reason string) error {
	if _, err := mongostore.NewUserStore(st.db).UpdateUser(ctx, id, upd); err != nil {
		return cliError(err)
	}
	if err := mongostore.NewSessionStore(st.db).RevokeUserSessions(ctx, id, reason, time.Now()); err != nil {
		return err
	}
	return audit(ctx, st, action, id, reason)
}

// findUnit resolves an org unit by id or exact name.
func findUnit(ctx context.Context, st *stack, idOrName string) (string, error) {
	units, err := mongostore.NewOrgStore(st.db).FindOrgUnits(ctx, portal.OrgUnitFilter{})
	if err != nil {
		return "", err
	}
	for _, u := range units {
		if u.ID == idOrName || u.Name == idOrName {
			return u.ID, nil
		}
	}
	return "", fmt.Errorf("unknown org unit %q (give its id or exact name)", idOrName)
}

// audit records a command-line change under the operator's name.
func audit(ctx context.Context, st *stack, action, userID, detail string) error {
	ctx = portal.WithActor(ctx, &portal.Actor{Username: "cli", DisplayName: "命令行"})
	a := &portal.Auditor{Store: mongostore.NewAuditStore(st.db), Now: time.Now}
	return a.Record(ctx, action, "user", userID, portal.OutcomeOK, detail)
}

func knownRoles() string {
	names := make([]string, 0, len(portal.RoleNames))
	for _, r := range []portal.Role{portal.RoleEnterprise, portal.RoleLiaison, portal.RoleDispatcher, portal.RoleHandler,
		portal.RoleDeptHead, portal.RoleCommittee, portal.RolePolicyEditor, portal.RoleAdmin} {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}
