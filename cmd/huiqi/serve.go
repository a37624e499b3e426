package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/redisstore"
	"github.com/huiqi/huiqi/portal/web"
)

// mode says which parts of the system a serving command runs.
type mode int

const (
	modeAll mode = iota
	modePortal
	modeWorker
)

func (m mode) http() bool { return m == modeAll || m == modePortal }
func (m mode) jobs() bool { return m == modeAll || m == modeWorker }

// shutdownTimeout bounds how long in-flight HTTP requests may finish.
const shutdownTimeout = 20 * time.Second

func newServeCmd(name, short string, m mode) *cobra.Command {
	var cfg Config
	var demo bool
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.applyEnv(cmd.Flags(), nil)
			if err := cfg.Validate(); err != nil {
				return fmt.Errorf("invalid configuration:\n%w", err)
			}
			if m != modeAll && (cfg.embeddedMongo() || cfg.embeddedRedis()) {
				return fmt.Errorf("%s runs beside other processes and needs shared servers: set HUIQI_MONGO_URI and HUIQI_REDIS_URL, or use `huiqi serve` for the all-in-one embedded mode", name)
			}
			return serve(cmd.Context(), &cfg, m, demo, cmd.OutOrStdout())
		},
	}
	cfg.bindFlags(cmd.Flags())
	if m == modeAll {
		cmd.Flags().BoolVar(&demo, "demo", false, "load the demo district (idempotent) and print the demo logins")
	}
	return cmd
}

// serve runs until ctx is cancelled (SIGINT or SIGTERM), then shuts down in
// order: stop accepting and drain HTTP, stop the worker, close the stores.
func serve(ctx context.Context, cfg *Config, m mode, demo bool, out interface{ Write([]byte) (int, error) }) error {
	log := newLogger(cfg.Level)
	slog.SetDefault(log)
	log.Info("starting huiqi", append([]any{"version", version, "mode", modeName(m)}, cfg.LogAttrs()...)...)

	st, err := openStack(ctx, cfg, log, needs{redis: true, search: true})
	if err != nil {
		return err
	}
	defer st.close(context.Background())

	if err := st.migrate(ctx, log); err != nil {
		return err
	}
	if err := st.rebuildStale(ctx); err != nil {
		return err
	}
	secret, err := jwtSecret(cfg, log)
	if err != nil {
		return err
	}
	var demoPass string
	if demo {
		if demoPass, err = seedDemo(ctx, st); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
	}
	users := mongostore.NewUserStore(st.db)
	auth, err := portal.NewAuthService(users, mongostore.NewSessionStore(st.db), redisstore.NewThrottle(st.redis),
		mongostore.NewAuditStore(st.db), time.Now, portal.AuthConfig{Secret: secret})
	if err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	queue := asynq.NewClientFromRedisClient(st.redis)
	policyStore := policystore.New(st.db.Database())
	auditor := &portal.Auditor{Store: mongostore.NewAuditStore(st.db), Now: time.Now}
	calendar := &portal.CalendarService{Store: mongostore.NewCalendarStore(st.db), Audit: auditor, Now: time.Now,
		Zone: cfg.Location, BusinessHours: cfg.BusinessHours}
	policySvc := &policies.Service{Store: policyStore, Index: st.policyIndex, Indexer: &policies.Queue{Client: queue},
		Audit: auditor, Now: time.Now}
	notifications := mongostore.NewNotificationStore(st.db)
	matcher := &policies.Matcher{Policies: policyStore, Enterprises: mongostore.NewEnterpriseStore(st.db), Users: users,
		Notifications: notifications, Queue: &policies.AsynqMatchQueue{Client: queue}, Audit: auditor, Now: time.Now, Location: cfg.Location}
	policySvc.OnPublish = matcher.PolicyPublished
	requestSearch := &portal.RequestSearch{Index: st.requestIndex, Store: mongostore.NewRequestStore(st.db, cfg.Location), Log: log, Now: time.Now}

	var runner *jobs.Runner
	if m.jobs() {
		runner = jobs.NewRunner(jobs.Options{Redis: st.redisOpt, Location: cfg.Location, Log: log, Registerer: reg})
		if err := registerJobs(runner, policySvc, matcher); err != nil {
			return err
		}
		runner.Handle(portal.TypeRequestIndexRepair, requestSearch.HandleRepairTask)
		if err := runner.Every("@every 5m", asynq.NewTask(portal.TypeRequestIndexRepair, nil), asynq.Unique(4*time.Minute)); err != nil {
			return err
		}
		// Started below, once the request service the chasing jobs act through is built.
	}

	enterprises := portal.NewEnterpriseService(mongostore.NewEnterpriseStore(st.db), mongostore.NewOrgStore(st.db), users,
		mongostore.NewChainStore(st.db), mongostore.NewAuditStore(st.db), time.Now)
	matcher.Visibility = enterprises // read by the API only, never by the jobs started above
	registrations := portal.NewRegistrationService(users, mongostore.NewEnterpriseStore(st.db), redisstore.NewThrottle(st.redis),
		mongostore.NewAuditStore(st.db), time.Now)
	admin := portal.NewOrgAdmin(mongostore.NewOrgStore(st.db), mongostore.NewTaskForceStore(st.db), mongostore.NewChainStore(st.db),
		mongostore.NewEnterpriseStore(st.db), users, mongostore.NewSessionStore(st.db), mongostore.NewAuditStore(st.db), time.Now)
	categories := mongostore.NewCategoryStore(st.db)
	requests := &portal.RequestService{Store: mongostore.NewRequestStore(st.db, cfg.Location),
		Enterprises: mongostore.NewEnterpriseStore(st.db), Org: mongostore.NewOrgStore(st.db), Users: users,
		Categories: categories, Attachments: mongostore.NewAttachmentStore(st.db), Notify: notifications,
		Audit: auditor, Log: log, Now: time.Now, MaxAttachmentBytes: cfg.AttachmentBytes}
	routing := &portal.RoutingService{Store: mongostore.NewRoutingRuleStore(st.db), Org: mongostore.NewOrgStore(st.db),
		Categories: categories, Enterprises: enterprises, Audit: auditor, Now: time.Now}
	requests.Router = routing
	requests.Index = requestSearch
	slaPlans := &portal.SLAService{Store: mongostore.NewSLAPlanStore(st.db), Calendar: calendar, Audit: auditor, Log: log, Now: time.Now}
	requests.Deadlines = slaPlans
	chaser := &portal.Chaser{Requests: requests, Store: mongostore.NewRequestStore(st.db, cfg.Location), Calendar: calendar,
		Ladder: cfg.Ladder, Now: time.Now}
	requests.Rungs = chaser
	chasing := jobs.NewSLA(jobs.SLAOptions{Chaser: chaser, Redis: st.redis, Registerer: reg, Log: log, SweepEvery: cfg.SweepEvery})
	requests.Events = append(requests.Events, chasing)
	kpis := st.kpiService()
	meetings, visits := st.meetingServices(requests, auditor)
	actionItems := st.actionItemService(requests, auditor, calendar)
	actionJobs := jobs.NewActionItems(jobs.ActionItemsOptions{Service: actionItems, Redis: st.redis, Log: log, SweepEvery: cfg.SweepEvery})
	actionItems.Events = append(actionItems.Events, actionJobs)
	meetings.Actions = actionItems
	requests.Sources = meetings
	requests.Events = append(requests.Events, &portal.KPICounter{Store: kpis.Store, Location: cfg.Location})
	feedback := &portal.FeedbackService{Requests: requests, Surveys: mongostore.NewSurveyStore(st.db), Calendar: calendar,
		MaxReopen: cfg.FeedbackMaxReopen, Now: time.Now}
	feedbackJobs := jobs.NewFeedback(jobs.FeedbackOptions{Service: feedback, Redis: st.redis, Log: log})
	feedback.Timers = feedbackJobs
	requests.Events = append(requests.Events, feedback)
	if runner != nil {
		if err := chasing.Install(runner); err != nil {
			return err
		}
		if err := feedbackJobs.Install(runner); err != nil {
			return err
		}
		if err := actionJobs.Install(runner); err != nil {
			return err
		}
		if err := runner.Start(); err != nil {
			return err
		}
		defer runner.Shutdown()
	}
	spotChecks := &portal.SpotCheckService{Store: mongostore.NewSpotCheckStore(st.db), Requests: requests, Users: users,
		Audit: auditor, Zone: cfg.Location, Now: time.Now}
	jobsUI := asynqmon.New(asynqmon.Options{RootPath: "/admin/jobs", RedisConnOpt: st.redisOpt})
	defer jobsUI.Close()
	srv, err := web.NewServer(web.Options{
		Log:            log,
		Registry:       reg,
		Checks:         readyChecks(st),
		Org:            mongostore.NewOrgStore(st.db),
		OrgIndex:       st.orgIndex,
		Auth:           auth,
		Users:          users,
		Admin:          admin,
		Policies:       policySvc,
		Enterprises:    enterprises,
		Registrations:  registrations,
		Matcher:        matcher,
		Notifications:  &portal.NotificationService{Store: notifications, Audit: auditor, Now: time.Now},
		Calendar:       calendar,
		Requests:       requests,
		Categories:     categories,
		Routing:        routing,
		CategoryAdmin:  &portal.CategoryService{Store: categories, Audit: auditor},
		Chasing:        chaser,
		Feedback:       feedback,
		SLA:            slaPlans,
		JobsUI:         jobsUI,
		KPIs:           kpis,
		Meetings:       meetings,
		Visits:         visits,
		SpotChecks:     spotChecks,
		ActionItems:    actionItems,
		Location:       cfg.Location,
		Version:        version,
		SecureCookies:  strings.HasPrefix(cfg.PublicURL(), "https://"),
		TrustedProxies: cfg.TrustedProxies(),
	})
	if err != nil {
		return err
	}
	handler := srv.Handler()
	if !m.http() {
		handler = opsOnly(handler)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("HUIQI_ADDR: %w", err)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    web.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	url := cfg.PublicURL()
	fmt.Fprintf(out, "\n惠企通 is running at %s (%s mode)\n", url, modeName(m))
	if demo {
		printDemoLogins(out, demoPass)
	}
	log.Info("ready", "url", url, "listen", ln.Addr().String())

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", "err", err)
	}
	// Deferred: runner.Shutdown, then st.close.
	log.Info("http drained")
	return nil
}

// registerJobs wires every task handler and periodic schedule.
func registerJobs(r *jobs.Runner, pol *policies.Service, match *policies.Matcher) error {
	r.Handle(policies.TypeIndex, pol.HandleIndexTask)
	r.Handle(policies.TypeExpire, pol.HandleExpireTask)
	r.Handle(policies.TypeRepair, pol.HandleRepairTask)
	r.Handle(policies.TypePolicyMatch, match.HandlePolicyMatchTask)
	r.Handle(policies.TypeEnterpriseMatch, match.HandleEnterpriseMatchTask)
	r.Handle(policies.TypeMatchRepair, match.HandleMatchRepairTask)
	if err := r.Every("@every 10m", asynq.NewTask(policies.TypeMatchRepair, nil), asynq.Unique(5*time.Minute)); err != nil {
		return err
	}
	if err := r.Every("5 0 * * *", asynq.NewTask(policies.TypeExpire, nil), asynq.Unique(time.Hour)); err != nil {
		return err
	}
	return r.Every("@every 10m", asynq.NewTask(policies.TypeRepair, nil), asynq.Unique(5*time.Minute))
}

// opsOnly exposes only health, readiness and metrics (the worker's HTTP).
func opsOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			h.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

func readyChecks(st *stack) []web.ReadyCheck {
	return []web.ReadyCheck{
		{Name: "database", Check: st.db.Ping},
		{Name: "redis", Check: func(ctx context.Context) error { return st.redis.Ping(ctx).Err() }},
		{Name: "search", Check: st.orgIndex.Ping},
	}
}

func modeName(m mode) string {
	return [...]string{"all-in-one", "portal", "worker"}[m]
}
