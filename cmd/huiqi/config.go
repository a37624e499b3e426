package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/spf13/pflag"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/workcal"
)

// Config is everything huiqi reads from flags and HUIQI_* variables.
// A flag given on the command line wins over the variable, which wins
// over the default.
type Config struct {
	Addr      string
	DataDir   string
	MongoURI  string
	MongoDB   string
	RedisURL  string
	MeiliURL  string
	MeiliKey  string
	JWTSecret string
	TZ        string
	BaseURL   string
	LogLevel  string
	Proxies   string
	Hours     string
	LadderRaw string
	SweepRaw  string
	AttachRaw string
	ReopenRaw string

	// Filled by Validate.
	Location *time.Location
	Level    slog.Level
	// BusinessHours are the windows of a working day for working-hour limits.
	BusinessHours workcal.BusinessHours
	// Ladder is when chasing rungs fire; SweepEvery how often the sweeper
	// re-derives the rung tasks from MongoDB.
	Ladder     portal.Ladder
	SweepEvery time.Duration
	// AttachmentBytes caps one attachment of a request.
	AttachmentBytes int64
	// FeedbackMaxReopen is how many reopenings feedback may cause before
	// an unhappy answer goes to a dispatcher for review.
	FeedbackMaxReopen int
}

// setting describes one configuration value.
type setting struct {
	Flag, Env, Default, Help string
	Secret                   bool
	Value                    *string
}

// settings lists every configuration value once; flags, environment, help
// and the printed summary all come from this table.
func (c *Config) settings() []setting {
	return []setting{
		{"addr", "HUIQI_ADDR", "127.0.0.1:8080", "host:port the HTTP server listens on", false, &c.Addr},
		{"data-dir", "HUIQI_DATA_DIR", "./data", "directory for embedded databases, the search index and generated secrets", false, &c.DataDir},
		{"mongo-uri", "HUIQI_MONGO_URI", "", "MongoDB connection string; empty runs FerretDB embedded under the data dir", true, &c.MongoURI},
		{"mongo-db", "HUIQI_MONGO_DB", "huiqi", "MongoDB database name", false, &c.MongoDB},
		{"redis-url", "HUIQI_REDIS_URL", "", "Redis URL for background jobs (redis://host:6379/0); empty runs an in-process Redis", true, &c.RedisURL},
		{"meili-url", "HUIQI_MEILI_URL", "", "Meilisearch URL; empty uses a Bleve index under the data dir", false, &c.MeiliURL},
		{"meili-key", "HUIQI_MEILI_KEY", "", "Meilisearch API key", true, &c.MeiliKey},
		{"jwt-secret", "HUIQI_JWT_SECRET", "", "secret that signs access tokens (at least 32 bytes); empty generates one kept in the data dir", true, &c.JWTSecret},
		{"tz", "HUIQI_TZ", "Asia/Shanghai", "time zone of the district, used for deadlines and display", false, &c.TZ},
		{"base-url", "HUIQI_BASE_URL", "", "public URL of the portal, used in links sent to people; empty derives it from the address", false, &c.BaseURL},
		{"log-level", "HUIQI_LOG_LEVEL", "info", "log level: debug, info, warn or error", false, &c.LogLevel},
		{"trusted-proxies", "HUIQI_TRUSTED_PROXIES", "", "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is trusted; empty trusts none", false, &c.Proxies},
		{"business-hours", "HUIQI_BUSINESS_HOURS", workcal.DefaultBusinessHoursSpec, "business hours of a working day that count towards working-hour time limits, HH:MM-HH:MM windows separated by commas", false, &c.Hours},
		{"sla-ladder", "HUIQI_SLA_LADDER", portal.DefaultLadderSpec, "chasing ladder: warn=percent of the allowed time, supervise= and censure= working days after the deadline (0 is off), escalate=on|off proposes censured requests for the next tier", false, &c.LadderRaw},
		{"sla-sweep", "HUIQI_SLA_SWEEP", "5m", "how often the SLA sweeper re-derives scheduled chasing rungs from MongoDB (10s to 1h)", false, &c.SweepRaw},
		{"attachment-max-mb", "HUIQI_ATTACHMENT_MAX_MB", "20", "largest attachment of a request, in MB (1 to 200); page forms carry up to 64 MB at once", false, &c.AttachRaw},
		{"feedback-max-reopen", "HUIQI_FEEDBACK_MAX_REOPEN", "2", "how many times an unsolved or dissatisfied answer reopens a request before the next one goes to a dispatcher for review (0 to 10)", false, &c.ReopenRaw},
	}
}

// bindFlags registers one flag per setting on fs.
func (c *Config) bindFlags(fs *pflag.FlagSet) {
	for _, s := range c.settings() {
		help := s.Help + " (env " + s.Env + ")"
		fs.StringVar(s.Value, s.Flag, s.Default, help)
	}
}

// applyEnv fills every setting whose flag was not given from its variable.
func (c *Config) applyEnv(fs *pflag.FlagSet, getenv func(string) string) {
	for _, s := range c.settings() {
		if f := fs.Lookup(s.Flag); f != nil && f.Changed {
			continue
		}
		if v, ok := lookup(getenv, s.Env); ok {
			*s.Value = v
		}
	}
}

func lookup(getenv func(string) string, key string) (string, bool) {
	if getenv == nil {
		return os.LookupEnv(key)
	}
	v := getenv(key)
	return v, v != ""
}

// Validate checks every setting and stops at nothing: all problems are
// reported together, each naming its variable.
func (c *Config) Validate() error {
	var errs []error
	bad := func(env, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", env, fmt.Sprintf(format, args...)))
	}
	if host, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("HUIQI_ADDR", "%q is not host:port (%v)", c.Addr, err)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("HUIQI_ADDR", "port %q must be a number from 0 to 65535", port)
	} else if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
		bad("HUIQI_ADDR", "host %q is neither an IP address nor a host name", host)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("HUIQI_DATA_DIR", "must not be empty")
	} else if fi, err := os.Stat(c.DataDir); err == nil && !fi.IsDir() {
		bad("HUIQI_DATA_DIR", "%s exists and is not a directory", c.DataDir)
	}
	if c.MongoURI != "" {
		u, err := url.Parse(c.MongoURI)
		if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") || u.Host == "" {
			bad("HUIQI_MONGO_URI", "must be a mongodb:// or mongodb+srv:// URI with a host")
		}
	}
	if c.MongoDB == "" || len(c.MongoDB) > 63 || strings.ContainsAny(c.MongoDB, `/\. "$*<>:|?`) {
		bad("HUIQI_MONGO_DB", "%q is not a valid database name (1–63 characters, none of /\\. \"$*<>:|?)", c.MongoDB)
	}
	if c.RedisURL != "" {
		if _, err := asynq.ParseRedisURI(c.RedisURL); err != nil {
			bad("HUIQI_REDIS_URL", "%v", err)
		}
	}
	if c.MeiliURL != "" {
		u, err := url.Parse(c.MeiliURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("HUIQI_MEILI_URL", "must be an http:// or https:// URL with a host")
		}
	} else if c.MeiliKey != "" {
		bad("HUIQI_MEILI_KEY", "is set but HUIQI_MEILI_URL is empty")
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		bad("HUIQI_JWT_SECRET", "must be at least 32 bytes long (got %d)", len(c.JWTSecret))
	}
	if loc, err := time.LoadLocation(c.TZ); err != nil || c.TZ == "" {
		bad("HUIQI_TZ", "%q is not a known time zone (for example Asia/Shanghai)", c.TZ)
	} else {
		c.Location = loc
	}
	if h, err := workcal.ParseBusinessHours(c.Hours); err != nil {
		bad("HUIQI_BUSINESS_HOURS", "%v", err)
	} else {
		c.BusinessHours = h
	}
	if l, err := portal.ParseLadder(c.LadderRaw); err != nil {
		bad("HUIQI_SLA_LADDER", "%v", err)
	} else {
		c.Ladder = l
	}
	if d, err := time.ParseDuration(c.SweepRaw); err != nil || d < 10*time.Second || d > time.Hour {
		bad("HUIQI_SLA_SWEEP", "%q must be a duration from 10s to 1h, such as 5m", c.SweepRaw)
	} else {
		c.SweepEvery = d
	}
	if mb, err := strconv.Atoi(c.AttachRaw); err != nil || mb < 1 || mb > 200 {
		bad("HUIQI_ATTACHMENT_MAX_MB", "%q must be a whole number of MB from 1 to 200", c.AttachRaw)
	} else {
		c.AttachmentBytes = int64(mb) << 20
	}
	if n, err := strconv.Atoi(c.ReopenRaw); err != nil || n < 0 || n > 10 {
		bad("HUIQI_FEEDBACK_MAX_REOPEN", "%q must be a whole number from 0 to 10", c.ReopenRaw)
	} else {
		c.FeedbackMaxReopen = n
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("HUIQI_BASE_URL", "must be an absolute http:// or https:// URL")
		}
	}
	for _, p := range c.TrustedProxies() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("HUIQI_TRUSTED_PROXIES", "%q is neither an IP address nor a CIDR", p)
			}
		}
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug":
		c.Level = slog.LevelDebug
	case "info":
		c.Level = slog.LevelInfo
	case "warn":
		c.Level = slog.LevelWarn
	case "error":
		c.Level = slog.LevelError
	default:
		bad("HUIQI_LOG_LEVEL", "%q must be debug, info, warn or error", c.LogLevel)
	}
	return errors.Join(errs...)
}

// TrustedProxies returns the proxies listed in HUIQI_TRUSTED_PROXIES.
func (c *Config) TrustedProxies() []string {
	var out []string
	for _, p := range strings.Split(c.Proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// PublicURL is the base URL people reach the portal at.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	host, port, _ := net.SplitHostPort(c.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Embedded reports which parts run in-process.
func (c *Config) embeddedMongo() bool  { return c.MongoURI == "" }
func (c *Config) embeddedRedis() bool  { return c.RedisURL == "" }
func (c *Config) embeddedSearch() bool { return c.MeiliURL == "" }

// LogAttrs returns the configuration for the start-up log, secrets masked.
func (c *Config) LogAttrs() []any {
	var attrs []any
	for _, s := range c.settings() {
		v := *s.Value
		switch {
		case v == "" && s.Env == "HUIQI_MONGO_URI":
			v = "(embedded FerretDB)"
		case v == "" && s.Env == "HUIQI_REDIS_URL":
			v = "(embedded)"
		case v == "" && s.Env == "HUIQI_MEILI_URL":
			v = "(embedded Bleve)"
		case v == "" && s.Env == "HUIQI_JWT_SECRET":
			v = "(kept in data dir)"
		case v == "":
		case s.Secret:
			v = maskSecret(v)
		}
		attrs = append(attrs, slog.String(s.Env, v))
	}
	return attrs
}

// maskSecret hides a secret; for URLs only the password part is hidden so
// that the host stays visible.
func maskSecret(v string) string {
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		return u.Redacted()
	}
	return "****"
}

func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}
