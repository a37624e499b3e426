package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// TestComposeFile checks the repository's compose.yaml against the settings
// huiqi really has, so that a renamed or removed setting, a wrong port or a
// configuration that would not start is caught without a Docker engine.
func TestComposeFile(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "compose.yaml"))
	if err != nil {
		t.Fatalf("read compose.yaml at the repository root: %v", err)
	}
	for _, p := range checkCompose(doc) {
		t.Error(p)
	}
}

// TestComposeCheckFindsProblems shows that checkCompose does fail: a good
// document passes, and each broken copy of it is reported for its fault.
func TestComposeCheckFindsProblems(t *testing.T) {
	if probs := checkCompose([]byte(goodCompose)); len(probs) != 0 {
		t.Fatalf("the reference document should pass, got:\n%s", strings.Join(probs, "\n"))
	}
	cases := []struct {
		name      string
		old, new  string // replaced once in goodCompose
		wantParts []string
	}{
		{"unknown HUIQI variable",
			"HUIQI_LOG_LEVEL: info", "HUIQI_LOGLEVEL: info",
			[]string{"portal", "HUIQI_LOGLEVEL is not a huiqi setting"}},
		{"wrong mongo port",
			"mongodb://mongo:27017/", "mongodb://mongo:27018/",
			[]string{"HUIQI_MONGO_URI", "mongo:27018", "want mongo:27017"}},
		{"redis url names no compose service",
			"redis://redis:6379/0", "redis://cache:6379/0",
			[]string{"HUIQI_REDIS_URL", "cache:6379", "want redis:6379"}},
		{"published port does not reach the listener",
			`"8080:8080"`, `"8080:8081"`,
			[]string{"portal", "container port 8080 of HUIQI_ADDR is not published"}},
		{"listener on loopback",
			"HUIQI_ADDR: 0.0.0.0:8080", "HUIQI_ADDR: 127.0.0.1:8080",
			[]string{"HUIQI_ADDR", "127.0.0.1", "unreachable"}},
		{"no replica set",
			`command: ["--replSet", "rs0"]`, `command: ["--bind_ip_all"]`,
			[]string{"mongo", "--replSet"}},
		{"replica set name differs",
			"?replicaSet=rs0", "?replicaSet=rs1",
			[]string{"HUIQI_MONGO_URI", `replicaSet "rs1"`, `"rs0"`}},
		{"redis without AOF",
			"--appendonly yes", "--appendonly no",
			[]string{"redis", "appendonly yes"}},
		{"meili key from another variable",
			"HUIQI_MEILI_KEY: ${MEILI_MASTER_KEY}", "HUIQI_MEILI_KEY: ${MEILI_KEY:-k}",
			[]string{"HUIQI_MEILI_KEY", "MEILI_MASTER_KEY"}},
		{"settings that do not validate",
			"HUIQI_TZ: Asia/Shanghai", "HUIQI_TZ: Mars/Olympus",
			[]string{"portal", "Validate", "HUIQI_TZ"}},
		{"wrong subcommand",
			`command: ["worker"]`, `command: ["serve"]`,
			[]string{"worker", `runs "serve"`, `want "worker"`}},
		{"image from elsewhere",
			"build: .\n    command: [\"portal\"]", "image: huiqi:latest\n    command: [\"portal\"]",
			[]string{"portal", "build"}},
		{"server setting missing",
			"\n      - HUIQI_REDIS_URL=redis://redis:6379/0", "",
			[]string{"worker", "HUIQI_REDIS_URL is not set"}},
		{"dollar meant literally",
			"try { rs.status() }", "try { db.x.find({a: {$exists: true}}) }",
			[]string{"services.mongo.healthcheck.test", "variable exists", "$$"}},
		{"dependency not waited for",
			"redis: {condition: service_healthy}", "redis: {condition: service_started}",
			[]string{"depends_on", "redis", "service_healthy"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(goodCompose, tc.old, tc.new, 1)
			if doc == goodCompose {
				t.Fatalf("test bug: %q does not occur in the reference document", tc.old)
			}
			probs := checkCompose([]byte(doc))
			if len(probs) == 0 {
				t.Fatalf("checkCompose found nothing wrong after replacing %q with %q", tc.old, tc.new)
			}
			for _, p := range probs {
				if containsAll(p, tc.wantParts) {
					t.Log(p)
					return
				}
			}
			t.Errorf("no problem mentions all of %q; got:\n%s", tc.wantParts, strings.Join(probs, "\n"))
		})
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// goodCompose is a minimal correct document. It is written in other forms
// than compose.yaml on purpose (a merge key, the worker's environment as a
// list, build as a mapping, commands as strings) so those are exercised too.
const goodCompose = `
x-env: &env
  HUIQI_ADDR: 0.0.0.0:8080
  HUIQI_MONGO_URI: mongodb://mongo:27017/?replicaSet=rs0
  HUIQI_REDIS_URL: redis://redis:6379/0
  HUIQI_MEILI_URL: http://meilisearch:7700
  HUIQI_MEILI_KEY: ${MEILI_MASTER_KEY}
  HUIQI_JWT_SECRET: ${HUIQI_JWT_SECRET:?required}
x-deps: &deps
  mongo: {condition: service_healthy}
  redis: {condition: service_healthy}
  meilisearch: {condition: service_healthy}
services:
  mongo:
    image: mongo:7
    command: ["--replSet", "rs0"]
    healthcheck:
      test: ["CMD", "mongosh", "--eval", "try { rs.status() } catch (e) { rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'mongo:27017'}]}) }"]
  meilisearch:
    image: getmeili/meilisearch:v1.54.0
    environment:
      - MEILI_MASTER_KEY=${MEILI_MASTER_KEY:?required}
    healthcheck:
      test: curl -f http://localhost:7700/health
  redis:
    image: redis:7
    command: redis-server --appendonly yes
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  portal:
    build: .
    command: ["portal"]
    ports: ["8080:8080"]
    environment:
      <<: *env
      HUIQI_TZ: Asia/Shanghai
      HUIQI_LOG_LEVEL: info
    depends_on: *deps
  worker:
    build: {context: .}
    command: ["worker"]
    environment:
      - HUIQI_MONGO_URI=mongodb://mongo:27017/?replicaSet=rs0
      - HUIQI_REDIS_URL=redis://redis:6379/0
      - HUIQI_MEILI_URL=http://meilisearch:7700
      - HUIQI_MEILI_KEY=${MEILI_MASTER_KEY}
      - HUIQI_JWT_SECRET=${HUIQI_JWT_SECRET:?required}
    depends_on:
      mongo: {condition: service_healthy}
      redis: {condition: service_healthy}
      meilisearch: {condition: service_healthy}
`

// backend is a compose service huiqi reaches through a URL setting.
type backend struct {
	env, service, port string
}

var composeBackends = []backend{
	{"HUIQI_MONGO_URI", "mongo", "27017"},
	{"HUIQI_REDIS_URL", "redis", "6379"},
	{"HUIQI_MEILI_URL", "meilisearch", "7700"},
}

// serverSettings must be set for `huiqi portal` and `huiqi worker`, which
// share their stores and their token secret with each other.
var serverSettings = []string{"HUIQI_MONGO_URI", "HUIQI_REDIS_URL", "HUIQI_MEILI_URL", "HUIQI_MEILI_KEY", "HUIQI_JWT_SECRET"}

// checkCompose returns every problem it finds in a compose document, each
// naming the service and the key at fault.
func checkCompose(doc []byte) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	var root map[string]any
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return []string{fmt.Sprintf("compose document is not YAML: %v", err)}
	}
	services, ok := asMap(root["services"])
	if !ok {
		return []string{"compose document has no services mapping"}
	}
	svc := map[string]map[string]any{}
	for _, name := range []string{"mongo", "meilisearch", "redis", "portal", "worker"} {
		m, ok := asMap(services[name])
		if !ok {
			bad("services.%s is missing (or not a mapping)", name)
			continue
		}
		svc[name] = m
	}

	// The variables the operator must set (${VAR:?…} anywhere) get sample
	// values long enough for every secret; all others are taken as unset,
	// so their defaults apply.
	sample := map[string]string{}
	for _, m := range requiredVarRE.FindAllSubmatch(doc, -1) {
		name := string(m[1])
		sample[name] = (strings.ToLower(name) + "-sample-value-0123456789abcdef0123456789abcdef")[:48]
	}
	lookupVar := func(name string) (string, bool) { v, ok := sample[name]; return v, ok }
	// Compose interpolates every string of the file, commands included.
	walkStrings(services, "services", func(path, s string) {
		if _, err := expandCompose(s, lookupVar); err != nil {
			bad("%s: %v", path, err)
		}
	})

	replSet := ""
	if m := svc["mongo"]; m != nil {
		cmd := words(m["command"])
		i := slices.IndexFunc(cmd, func(w string) bool { return w == "--replSet" || strings.HasPrefix(w, "--replSet=") })
		switch {
		case i < 0:
			bad("services.mongo.command %q does not start mongod with --replSet (huiqi needs a replica set)", cmd)
		case strings.HasPrefix(cmd[i], "--replSet="):
			replSet = strings.TrimPrefix(cmd[i], "--replSet=")
		case i+1 < len(cmd):
			replSet = cmd[i+1]
		default:
			bad("services.mongo.command: --replSet has no set name")
		}
		test := healthTest(m, "mongo", bad)
		if test != "" && !(strings.Contains(test, "rs.initiate") && strings.Contains(test, "mongo:27017")) {
			bad("services.mongo.healthcheck %q must initiate the replica set with the member host mongo:27017 (rs.initiate), else the driver is sent to an unreachable host", test)
		}
	}
	if m := svc["redis"]; m != nil {
		cmd := strings.Join(words(m["command"]), " ")
		if !strings.Contains(cmd, "--appendonly yes") && !strings.Contains(cmd, "appendonly yes") {
			bad("services.redis.command %q does not turn on appendonly yes (scheduled jobs would be lost on restart)", cmd)
		}
		healthTest(m, "redis", bad)
	}
	var masterKeyVars []string
	if m := svc["meilisearch"]; m != nil {
		env, eprobs := environment(m)
		for _, p := range eprobs {
			bad("services.meilisearch.environment: %s", p)
		}
		raw, ok := env["MEILI_MASTER_KEY"]
		switch {
		case !ok:
			bad("services.meilisearch.environment has no MEILI_MASTER_KEY (Meilisearch would run without authentication)")
		case !requiredVarRE.MatchString(raw):
			bad("services.meilisearch.environment.MEILI_MASTER_KEY is %q; want a required variable such as ${MEILI_MASTER_KEY:?…}, not a key written in the file", raw)
		default:
			masterKeyVars = varNames(raw)
		}
		healthTest(m, "meilisearch", bad)
	}

	known := map[string]bool{}
	var knownNames []string
	for _, s := range (&Config{}).settings() {
		known[s.Env] = true
		knownNames = append(knownNames, s.Env)
	}

	for _, name := range []string{"portal", "worker"} {
		m := svc[name]
		if m == nil {
			continue
		}
		where := "services." + name

		if ctx, ok := buildContext(m["build"]); !ok {
			bad("%s.build is %v; want the image built from this repository (build: .)", where, m["build"])
		} else if filepath.Clean(ctx) != "." {
			bad("%s.build context is %q; want . (the repository root)", where, ctx)
		}
		if ep := words(m["entrypoint"]); len(ep) > 0 && !slices.Equal(ep, []string{"/huiqi"}) {
			bad("%s.entrypoint %q replaces /huiqi", where, ep)
		}
		if cmd := words(m["command"]); len(cmd) == 0 || cmd[0] != name {
			first := ""
			if len(cmd) > 0 {
				first = cmd[0]
			}
			bad("%s.command runs %q; want %q (huiqi %s)", where, first, name, name)
		}
		checkDependsOn(m["depends_on"], where, bad)

		raw, eprobs := environment(m)
		for _, p := range eprobs {
			bad("%s.environment: %s", where, p)
		}
		env := map[string]string{}
		for _, k := range sortedKeys(raw) {
			if strings.HasPrefix(k, "HUIQI_") && !known[k] {
				bad("%s.environment: %s is not a huiqi setting (settings: %s)", where, k, strings.Join(knownNames, ", "))
			}
			env[k], _ = expandCompose(raw[k], lookupVar) // errors reported by walkStrings
		}
		for _, k := range serverSettings {
			if env[k] == "" {
				bad("%s.environment: %s is not set (or expands to nothing); %s runs beside other processes and needs it", where, k, name)
			}
		}
		for _, k := range []string{"HUIQI_JWT_SECRET", "HUIQI_MEILI_KEY"} {
			if v, ok := raw[k]; ok && v != "" && len(varNames(v)) == 0 {
				bad("%s.environment.%s is written in the file; take it from a variable", where, k)
			}
		}
		if v, ok := raw["HUIQI_MEILI_KEY"]; ok && masterKeyVars != nil {
			refs := varNames(v)
			if len(refs) != 1 || !slices.Contains(masterKeyVars, refs[0]) {
				bad("%s.environment.HUIQI_MEILI_KEY is %q; want the variable behind meilisearch's MEILI_MASTER_KEY (${%s})", where, v, masterKeyVars[0])
			}
		}

		for _, b := range composeBackends {
			v := env[b.env]
			if v == "" {
				continue
			}
			for _, hp := range backendHosts(b.env, v) {
				if hp != b.service+":"+b.port {
					bad("%s.environment.%s names %s; want %s:%s (the compose service and its container port)", where, b.env, hp, b.service, b.port)
				}
			}
			if svc[b.service] == nil {
				bad("%s.environment.%s points at service %s, which the document does not define", where, b.env, b.service)
			}
		}
		if v := env["HUIQI_MONGO_URI"]; v != "" && replSet != "" {
			if u, err := url.Parse(v); err == nil {
				if rs := u.Query().Get("replicaSet"); rs != replSet {
					bad("%s.environment.HUIQI_MONGO_URI has replicaSet %q; mongo runs --replSet %q", where, rs, replSet)
				}
			}
		}

		addr := env["HUIQI_ADDR"]
		if addr == "" {
			addr = settingDefault("HUIQI_ADDR")
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			bad("%s.environment.HUIQI_ADDR %q is not host:port: %v", where, addr, err)
		} else if name == "portal" {
			if host != "" && host != "0.0.0.0" && host != "::" {
				bad("%s.environment.HUIQI_ADDR listens on %s, unreachable through the published port; use 0.0.0.0", where, host)
			}
			targets, pprobs := containerPorts(m["ports"], lookupVar)
			for _, p := range pprobs {
				bad("%s.ports: %s", where, p)
			}
			if p, err := strconv.Atoi(port); err == nil && !slices.ContainsFunc(targets, func(r [2]int) bool { return r[0] <= p && p <= r[1] }) {
				bad("%s.ports: container port %d of HUIQI_ADDR is not published (container ports: %v)", where, p, targets)
			}
		}

		// The same path as `huiqi portal`: flags bound, environment applied
		// (here from the compose file), then validated.
		cfg := &Config{}
		fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
		cfg.bindFlags(fs)
		cfg.applyEnv(fs, func(k string) string { return env[k] })
		if err := cfg.Validate(); err != nil {
			bad("%s: its settings fail Config.Validate: %s", where, strings.ReplaceAll(err.Error(), "\n", "; "))
		}
	}
	return probs
}

// walkStrings calls f with every string value under v and its path.
func walkStrings(v any, path string, f func(path, s string)) {
	switch x := v.(type) {
	case string:
		f(path, x)
	case []any:
		for i, e := range x {
			walkStrings(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	default:
		if m, ok := asMap(v); ok {
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walkStrings(m[k], path+"."+k, f)
			}
		}
	}
}

func settingDefault(env string) string {
	for _, s := range (&Config{}).settings() {
		if s.Env == env {
			return s.Default
		}
	}
	return ""
}

// backendHosts returns the host:port pairs a URL setting names, with the
// scheme's default port filled in.
func backendHosts(env, v string) []string {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return []string{fmt.Sprintf("%q (not a URL with a host)", v)}
	}
	def := map[string]string{"mongodb": "27017", "redis": "6379", "rediss": "6379", "http": "80", "https": "443"}[u.Scheme]
	if u.Scheme == "mongodb+srv" {
		return []string{u.Host + " (an SRV record, no port)"}
	}
	var out []string
	for _, h := range strings.Split(u.Host, ",") { // mongodb:// may list several members
		host, port, err := net.SplitHostPort(h)
		if err != nil {
			host, port = h, def
		}
		out = append(out, net.JoinHostPort(host, port))
	}
	return out
}

// healthTest returns the healthcheck command of a service as one string,
// reporting a missing or disabled one.
func healthTest(m map[string]any, name string, bad func(string, ...any)) string {
	hc, ok := asMap(m["healthcheck"])
	if !ok {
		bad("services.%s has no healthcheck (portal and worker wait for it to be healthy)", name)
		return ""
	}
	if d, _ := hc["disable"].(bool); d {
		bad("services.%s.healthcheck is disabled", name)
		return ""
	}
	test := words(hc["test"])
	if len(test) > 0 && (test[0] == "CMD" || test[0] == "CMD-SHELL") {
		test = test[1:]
	}
	if len(test) == 0 || test[0] == "NONE" {
		bad("services.%s.healthcheck has no test", name)
		return ""
	}
	return strings.Join(test, " ")
}

func checkDependsOn(v any, where string, bad func(string, ...any)) {
	deps, ok := asMap(v)
	if !ok {
		bad("%s.depends_on must map mongo, meilisearch and redis to condition: service_healthy", where)
		return
	}
	for _, d := range []string{"mongo", "meilisearch", "redis"} {
		dm, _ := asMap(deps[d])
		if c, _ := dm["condition"].(string); c != "service_healthy" {
			bad("%s.depends_on.%s: condition is %q; want service_healthy", where, d, c)
		}
	}
}

// buildContext returns the build context of `build: ctx` or
// `build: {context: ctx}` (whose context defaults to .).
func buildContext(v any) (string, bool) {
	switch b := v.(type) {
	case string:
		return b, true
	default:
		m, ok := asMap(v)
		if !ok {
			return "", false
		}
		if m["context"] == nil {
			return ".", true
		}
		s, ok := m["context"].(string)
		return s, ok
	}
}

// environment returns a service's environment, written as a mapping or as a
// list of KEY=VALUE; a key without a value (passed through from the host)
// maps to "".
func environment(m map[string]any) (map[string]string, []string) {
	env := map[string]string{}
	var probs []string
	switch e := m["environment"].(type) {
	case nil:
	case []any:
		for _, item := range e {
			s := fmt.Sprint(item)
			k, v, _ := strings.Cut(s, "=")
			if _, dup := env[k]; dup {
				probs = append(probs, fmt.Sprintf("%s is given twice", k))
			}
			env[k] = v
		}
	default:
		em, ok := asMap(e)
		if !ok {
			return nil, []string{fmt.Sprintf("is a %T, want a mapping or a list of KEY=VALUE", e)}
		}
		for k, v := range em {
			if v == nil {
				env[k] = ""
			} else {
				env[k] = fmt.Sprint(v)
			}
		}
	}
	return env, probs
}

// containerPorts returns the container side of each published port as an
// inclusive range, from the short ("[ip:]host:container[/proto]") and the
// long ({target: …}) syntax.
func containerPorts(v any, lookupVar func(string) (string, bool)) ([][2]int, []string) {
	list, _ := v.([]any)
	var out [][2]int
	var probs []string
	for _, item := range list {
		var target string
		if m, ok := asMap(item); ok {
			target = fmt.Sprint(m["target"])
		} else {
			s, err := expandCompose(fmt.Sprint(item), lookupVar)
			if err != nil {
				probs = append(probs, err.Error())
				continue
			}
			s, _, _ = strings.Cut(s, "/")
			target = s[strings.LastIndex(s, ":")+1:]
		}
		lo, hi, isRange := strings.Cut(target, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil {
			probs = append(probs, fmt.Sprintf("cannot read the container port of %v", item))
			continue
		}
		out = append(out, [2]int{a, b})
	}
	return out, probs
}

// words returns a command written as a list or as one string.
func words(v any) []string {
	switch c := v.(type) {
	case string:
		return strings.Fields(c)
	case []any:
		out := make([]string, len(c))
		for i, w := range c {
			out[i] = fmt.Sprint(w)
		}
		return out
	}
	return nil
}

func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any: // only when some key is not a string
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[fmt.Sprint(k)] = v
		}
		return out, true
	}
	return nil, false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Compose interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?message}, ${VAR?message}, ${VAR:+alternative}, ${VAR+alternative}.
var (
	composeVarRE  = regexp.MustCompile(`\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))`)
	requiredVarRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*):?\?`)
)

// varNames lists the variables a value refers to.
func varNames(s string) []string {
	var names []string
	for _, m := range composeVarRE.FindAllStringSubmatch(s, -1) {
		if n := m[1] + m[4]; n != "" {
			names = append(names, n)
		}
	}
	return names
}

// expandCompose substitutes variables the way docker compose does. It is
// stricter than compose: besides an unset required variable, an unset
// variable without a default (often a $ meant literally) and any other use
// of $ are errors.
func expandCompose(s string, lookupVar func(string) (string, bool)) (string, error) {
	var errs []string
	out := composeVarRE.ReplaceAllStringFunc(s, func(ref string) string {
		if ref == "$$" {
			return "\x00" // a literal $, restored below
		}
		m := composeVarRE.FindStringSubmatch(ref)
		name, op, arg := m[1]+m[4], m[2], m[3]
		v, set := lookupVar(name)
		nonEmpty := set && v != ""
		switch op {
		case "":
			if !set {
				errs = append(errs, fmt.Sprintf("variable %s is neither required (${%s:?…}) anywhere nor given a default, so compose would put an empty string here (write $$ for a literal $)", name, name))
			}
			return v
		case ":-":
			if nonEmpty {
				return v
			}
			return arg
		case "-":
			if set {
				return v
			}
			return arg
		case ":?", "?":
			if (op == ":?" && nonEmpty) || (op == "?" && set) {
				return v
			}
			errs = append(errs, fmt.Sprintf("required variable %s is missing: %s", name, arg))
			return ""
		case ":+":
			if nonEmpty {
				return arg
			}
			return ""
		case "+":
			if set {
				return arg
			}
			return ""
		}
		return ref
	})
	if strings.Contains(out, "$") {
		errs = append(errs, fmt.Sprintf("%q uses $ in a form compose does not interpolate (write $$ for a literal $)", s))
	}
	if errs != nil {
		return "", fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return strings.ReplaceAll(out, "\x00", "$"), nil
}
