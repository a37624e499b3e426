package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
)

func newKPICmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kpi",
		Short: "Manage the rate counters (办理绩效计数)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newKPIRebuildCmd())
	return cmd
}

func newKPIRebuildCmd() *cobra.Command {
	var cfg Config
	cmd := &cobra.Command{
		Use:   "rebuild",
		Short: "Recompute the rate counters from the requests (embedded mode: while the server is stopped)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(ctx context.Context, st *stack) error {
				start := time.Now()
				n, docs, err := st.rebuildKPIs(ctx, os.Stderr)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "rebuilt %d counter documents from %d requests in %s\n", docs, n, time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	cfg.bindFlags(cmd.Flags())
	return cmd
}

// kpiService is the rate service of the stack's database.
func (s *stack) kpiService() *portal.KPIService {
	store := mongostore.NewKPIStore(s.db)
	return &portal.KPIService{Store: store, Requests: store, Org: mongostore.NewOrgStore(s.db),
		Chains: mongostore.NewChainStore(s.db), Categories: mongostore.NewCategoryStore(s.db),
		Location: s.cfg.Location, Log: s.log, Now: time.Now}
}

// rebuildKPIs recomputes the counters from every request, showing its
// progress on w (nil: quietly), and returns the requests read and the
// counter documents written.
func (s *stack) rebuildKPIs(ctx context.Context, w io.Writer) (requests, docs int, err error) {
	var progress func(int)
	if w != nil {
		total, err := s.db.Database().Collection("requests").EstimatedDocumentCount(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("count requests: %w", err)
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetDescription("counting requests"),
			progressbar.OptionSetWriter(w),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
		defer func() { _ = bar.Finish() }() // the bar is only for show
		progress = func(n int) { _ = bar.Add(n) }
	}
	requests, docs, err = s.kpiService().Rebuild(ctx, progress)
	if err != nil {
		return requests, docs, fmt.Errorf("rebuild rate counters: %w", err)
	}
	return requests, docs, nil
}
