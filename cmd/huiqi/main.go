// Command huiqi is the whole portal in one binary: the HTTP portal, the
// background worker and scheduler, and the tools to seed, reindex and manage
// users. With no servers configured it runs everything embedded under the
// data directory.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	_ "time/tzdata" // the district zone must load on machines without a zoneinfo database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "huiqi:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "huiqi",
		Short:         "惠企通 — enterprise-service portal of a district",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newServeCmd("serve", "Run the HTTP portal, the job worker and the scheduler in one process", modeAll),
		newServeCmd("portal", "Run only the HTTP portal (server mode: needs shared MongoDB and Redis)", modePortal),
		newServeCmd("worker", "Run only the job worker and scheduler (server mode: needs shared MongoDB and Redis)", modeWorker),
		newSeedCmd(),
		newReindexCmd(),
		newKPICmd(),
		newUserCmd(),
		newVersionCmd(),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this binary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "huiqi", version)
			return nil
		},
	}
}

// newLogger returns the process logger writing JSON when stderr is not a
// terminal (collected logs) and text otherwise.
func newLogger(level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}
