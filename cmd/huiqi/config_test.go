package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// load builds a Config the way a command does: flags over env over defaults.
func load(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	var c Config
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	c.bindFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse flags: %v", err)
	}
	c.applyEnv(fs, func(k string) string { return env[k] })
	return &c, c.Validate()
}

func TestConfigDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.MongoDB != "huiqi" || c.TZ != "Asia/Shanghai" || c.LogLevel != "info" {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if !c.embeddedMongo() || !c.embeddedRedis() || !c.embeddedSearch() {
		t.Errorf("defaults should run everything embedded")
	}
	if c.Location.String() != "Asia/Shanghai" {
		t.Errorf("location %v", c.Location)
	}
	if c.AttachmentBytes != 20<<20 {
		t.Errorf("attachment limit %d bytes, want 20 MB", c.AttachmentBytes)
	}
	if c.BusinessHours.String() != "09:00-12:00,13:30-18:00" {
		t.Errorf("business hours %v", c.BusinessHours)
	}
	if got := c.PublicURL(); got != "http://127.0.0.1:8080" {
		t.Errorf("PublicURL = %q", got)
	}
}

func TestConfigPrecedence(t *testing.T) {
	env := map[string]string{"HUIQI_ADDR": "127.0.0.1:9000", "HUIQI_MONGO_DB": "fromenv", "HUIQI_LOG_LEVEL": "debug"}
	c, err := load(t, env, "--addr", "127.0.0.1:9100")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" {
		t.Errorf("flag should win over env: addr %q", c.Addr)
	}
	if c.MongoDB != "fromenv" || c.LogLevel != "debug" {
		t.Errorf("env should win over default: %q %q", c.MongoDB, c.LogLevel)
	}
}

func TestConfigValidationNamesTheSetting(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HUIQI_ADDR": "8080"}, "HUIQI_ADDR"},
		{map[string]string{"HUIQI_ADDR": "127.0.0.1:99999"}, "HUIQI_ADDR: port"},
		{map[string]string{"HUIQI_ADDR": "bad_host!:80"}, "HUIQI_ADDR: host"},
		{map[string]string{"HUIQI_DATA_DIR": file}, "HUIQI_DATA_DIR"},
		{map[string]string{"HUIQI_MONGO_URI": "postgres://x"}, "HUIQI_MONGO_URI"},
		{map[string]string{"HUIQI_MONGO_DB": "a.b"}, "HUIQI_MONGO_DB"},
		{map[string]string{"HUIQI_REDIS_URL": "http://redis"}, "HUIQI_REDIS_URL"},
		{map[string]string{"HUIQI_MEILI_URL": "ftp://meili"}, "HUIQI_MEILI_URL"},
		{map[string]string{"HUIQI_MEILI_KEY": "k"}, "HUIQI_MEILI_KEY: is set but HUIQI_MEILI_URL is empty"},
		{map[string]string{"HUIQI_JWT_SECRET": "short"}, "HUIQI_JWT_SECRET: must be at least 32 bytes"},
		{map[string]string{"HUIQI_TZ": "Mars/Olympus"}, "HUIQI_TZ"},
		{map[string]string{"HUIQI_BASE_URL": "/relative"}, "HUIQI_BASE_URL"},
		{map[string]string{"HUIQI_LOG_LEVEL": "loud"}, "HUIQI_LOG_LEVEL"},
		{map[string]string{"HUIQI_BUSINESS_HOURS": "09:00-12:00,11:00-18:00"}, "HUIQI_BUSINESS_HOURS: window \"11:00-18:00\" starts before"},
		{map[string]string{"HUIQI_BUSINESS_HOURS": "9-18"}, "HUIQI_BUSINESS_HOURS"},
		{map[string]string{"HUIQI_ATTACHMENT_MAX_MB": "0"}, "HUIQI_ATTACHMENT_MAX_MB"},
		{map[string]string{"HUIQI_ATTACHMENT_MAX_MB": "20MB"}, "HUIQI_ATTACHMENT_MAX_MB"},
		{map[string]string{"HUIQI_ATTACHMENT_MAX_MB": "500"}, "HUIQI_ATTACHMENT_MAX_MB"},
		{map[string]string{"HUIQI_TRUSTED_PROXIES": "10.0.0.1, not-an-ip"}, `HUIQI_TRUSTED_PROXIES: "not-an-ip"`},
	} {
		_, err := load(t, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("env %v: error %v, want it to mention %q", tc.env, err, tc.want)
		}
	}
	// Several problems are reported together.
	_, err := load(t, map[string]string{"HUIQI_TZ": "x", "HUIQI_LOG_LEVEL": "y"})
	if err == nil || !strings.Contains(err.Error(), "HUIQI_TZ") || !strings.Contains(err.Error(), "HUIQI_LOG_LEVEL") {
		t.Errorf("want both problems reported, got %v", err)
	}
}

func TestConfigServerMode(t *testing.T) {
	c, err := load(t, map[string]string{
		"HUIQI_MONGO_URI":  "mongodb://app:s3cret@mongo:27017/?replicaSet=rs0",
		"HUIQI_REDIS_URL":  "redis://:r3dis@redis:6379/0",
		"HUIQI_MEILI_URL":  "http://meilisearch:7700",
		"HUIQI_MEILI_KEY":  "master-key-value",
		"HUIQI_JWT_SECRET": strings.Repeat("k", 40),
		"HUIQI_BASE_URL":   "https://huiqi.example.gov.cn/",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.embeddedMongo() || c.embeddedRedis() || c.embeddedSearch() {
		t.Error("server mode should not embed anything")
	}
	if c.PublicURL() != "https://huiqi.example.gov.cn" {
		t.Errorf("PublicURL = %q", c.PublicURL())
	}
	var attrs []string
	for _, a := range c.LogAttrs() {
		attrs = append(attrs, a.(slog.Attr).String())
	}
	printed := strings.Join(attrs, " ")
	for _, secret := range []string{"s3cret", "r3dis", "master-key-value", strings.Repeat("k", 40)} {
		if strings.Contains(printed, secret) {
			t.Errorf("printed configuration leaks %q: %s", secret, printed)
		}
	}
	for _, visible := range []string{"mongo:27017", "redis:6379", "http://meilisearch:7700", "HUIQI_JWT_SECRET=****"} {
		if !strings.Contains(printed, visible) {
			t.Errorf("printed configuration lacks %q: %s", visible, printed)
		}
	}
}

func TestEveryFlagIsDocumented(t *testing.T) {
	root := newRootCmd()
	for _, cmd := range root.Commands() {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if len(strings.TrimSpace(f.Usage)) < 10 {
				t.Errorf("%s --%s has no useful help text", cmd.Name(), f.Name)
			}
		})
		if cmd.Short == "" {
			t.Errorf("command %s has no description", cmd.Name())
		}
	}
}
