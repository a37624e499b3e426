package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal/portaltest"
)

// buildBinary compiles huiqi once for the end-to-end tests.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "huiqi-e2e-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "huiqi")
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// process is a running huiqi with its output captured.
type process struct {
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func huiqiBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test builds the binary; skipped with -short")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func start(t testing.TB, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start huiqi: %v", err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// waitReady polls /readyz until it answers 200.
func (p *process) waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			t.Fatalf("huiqi exited before ready: %v\nstdout:\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
		default:
		}
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("huiqi not ready within 90s\nstderr:\n%s", p.stderr)
}

// stop sends SIGTERM and requires a clean exit.
func (p *process) stop(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal: %v", err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("huiqi did not exit cleanly on SIGTERM: %v\nstderr:\n%s", err, p.stderr)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("huiqi did not stop within 60s of SIGTERM\nstderr:\n%s", p.stderr)
	}
}

// run runs a short command to completion.
func run(t testing.TB, bin string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

type unitList struct {
	Total int `json:"total"`
	Items []struct {
		Name string `json:"name"`
	} `json:"items"`
}

// TestServeRestartKeepsData runs the real binary on the embedded default:
// serve --demo, the home page in Chromium, SIGTERM, a second start that
// finds the data, reindex while stopped, and a third start.
func TestServeRestartKeepsData(t *testing.T) {
	bin := huiqiBinary(t)
	dataDir := t.TempDir()
	port := portaltest.FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := []string{"HUIQI_DATA_DIR=" + dataDir, fmt.Sprintf("HUIQI_ADDR=127.0.0.1:%d", port), "HUIQI_JWT_SECRET=", "HUIQI_MONGO_URI=", "HUIQI_REDIS_URL=", "HUIQI_MEILI_URL="}

	first := start(t, bin, env, "serve", "--demo")
	first.waitReady(t, base)
	if !strings.Contains(first.stdout.String(), "running at "+base) {
		t.Errorf("stdout does not print the URL:\n%s", first.stdout)
	}
	var units unitList
	getJSON(t, base+"/api/v1/org-units", &units)
	if units.Total != 28 {
		t.Fatalf("demo org units: %d, want 28", units.Total)
	}
	secret, err := os.ReadFile(filepath.Join(dataDir, "jwt.secret"))
	if err != nil || len(bytes.TrimSpace(secret)) < 32 {
		t.Fatalf("generated JWT secret not kept in the data dir: %v", err)
	}
	if !strings.Contains(first.stderr.String(), "HUIQI_JWT_SECRET is not set") {
		t.Errorf("no warning about the generated JWT secret")
	}

	// The home page renders in a real browser.
	ctx := portaltest.Browser(t, 375, 812)
	var text string
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"), chromedp.Text("body", &text, chromedp.ByQuery)); err != nil {
		t.Fatalf("load home page in chromium: %v", err)
	}
	if !strings.Contains(text, "12 个区直部门") {
		t.Errorf("home page in chromium lacks the service network: %q", text)
	}

	// A second process on the same embedded data dir is refused.
	other := fmt.Sprintf("HUIQI_ADDR=127.0.0.1:%d", portaltest.FreePort(t))
	out, err := run(t, bin, append(env, other), "serve")
	if err == nil || !strings.Contains(out, "in use by another huiqi process") {
		t.Errorf("second process on the same data dir: err %v, output:\n%s", err, out)
	}

	first.stop(t)
	if !strings.Contains(first.stderr.String(), "http drained") {
		t.Errorf("shutdown did not drain HTTP:\n%s", first.stderr)
	}

	second := start(t, bin, env, "serve")
	second.waitReady(t, base)
	getJSON(t, base+"/api/v1/org-units", &units)
	if units.Total != 28 {
		t.Errorf("after restart: %d org units, want 28", units.Total)
	}
	if strings.Contains(second.stdout.String(), "demo") {
		t.Errorf("normal mode mentions demo:\n%s", second.stdout)
	}
	second.stop(t)
	secret2, _ := os.ReadFile(filepath.Join(dataDir, "jwt.secret"))
	if !bytes.Equal(secret, secret2) {
		t.Errorf("JWT secret changed across restarts")
	}

	out, err = run(t, bin, env, "reindex")
	if err != nil || !strings.Contains(out, "reindexed 28 documents into org_units") {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	third := start(t, bin, env, "serve")
	third.waitReady(t, base)
	getJSON(t, base+"/api/v1/org-units?q=交通", &units)
	if units.Total != 1 || units.Items[0].Name != "区交通运输局" {
		t.Errorf("search after reindex: %+v", units)
	}
	third.stop(t)
}

// TestCommandLine checks the commands' own answers without a server.
func TestCommandLine(t *testing.T) {
	bin := huiqiBinary(t)
	dataDir := t.TempDir()
	env := []string{"HUIQI_DATA_DIR=" + dataDir}
	for _, tc := range []struct {
		name    string
		env     []string
		args    []string
		wantErr bool
		want    string
	}{
		{"version", nil, []string{"version"}, false, "huiqi "},
		{"help lists commands", nil, []string{"--help"}, false, "reindex"},
		{"serve help documents flags", nil, []string{"serve", "--help"}, false, "HUIQI_MONGO_URI"},
		{"seed needs --demo", nil, []string{"seed"}, true, "pass --demo"},
		{"bad config names the setting", []string{"HUIQI_TZ=Nowhere/Land"}, []string{"serve"}, true, "HUIQI_TZ"},
		{"portal needs shared servers", nil, []string{"portal"}, true, "set HUIQI_MONGO_URI and HUIQI_REDIS_URL"},
		{"worker needs shared servers", nil, []string{"worker"}, true, "set HUIQI_MONGO_URI and HUIQI_REDIS_URL"},
		{"unknown command", nil, []string{"frobnicate"}, true, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, bin, append(env, tc.env...), tc.args...)
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v\n%s", err, tc.wantErr, out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	out, err := run(t, bin, env, "seed", "--demo")
	if err != nil || !strings.Contains(out, "demo data loaded") {
		t.Fatalf("seed --demo: %v\n%s", err, out)
	}
	out, err = run(t, bin, env, "seed", "--demo")
	if err != nil {
		t.Fatalf("seed --demo twice: %v\n%s", err, out)
	}

	// Managing users against the stopped embedded store.
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr bool
		want    string
	}{
		{"unknown role", []string{"user", "add", "--username", "zhang", "--password", "Haiwan#2026", "--role", "boss"}, true, `unknown role "boss"`},
		{"unknown enterprise", []string{"user", "add", "--username", "zhang", "--password", "Haiwan#2026", "--role", "enterprise", "--enterprise", "91440308MA5G99999X"}, true, "enterprise 91440308MA5G99999X"},
		{"unknown unit", []string{"user", "add", "--username", "zhang", "--password", "Haiwan#2026", "--role", "handler", "--unit", "区不存在局"}, true, `unknown org unit "区不存在局"`},
		{"handler needs a unit", []string{"user", "add", "--username", "zhang", "--password", "Haiwan#2026", "--role", "handler"}, true, "unit_id"},
		{"weak password", []string{"user", "add", "--username", "zhang", "--password", "12345678", "--role", "admin"}, true, "过于常见"},
		{"missing flag", []string{"user", "add", "--username", "zhang", "--role", "admin"}, true, `"password" not set`},
		{"add by unit name", []string{"user", "add", "--username", "zhang", "--password", "Haiwan#2026", "--role", "handler,dept_head", "--unit", "区交通运输局", "--name", "张三"}, false, "user zhang created"},
		{"duplicate", []string{"user", "add", "--username", "zhang", "--password", "Haiwan#2026", "--role", "admin"}, true, "用户名已被使用"},
		{"add a second", []string{"user", "add", "--username", "lisi", "--password", "Haiwan#2026", "--role", "admin"}, false, "user lisi created"},
		{"passwd unknown user", []string{"user", "passwd", "--username", "nobody", "--password", "Haiwan#2027"}, true, "user nobody"},
		{"passwd", []string{"user", "passwd", "--username", "zhang", "--password", "Haiwan#2027"}, false, "password of zhang changed"},
		{"disable", []string{"user", "disable", "--username", "lisi"}, false, "user lisi disabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, bin, env, tc.args...)
			if (err != nil) != tc.wantErr || !strings.Contains(out, tc.want) {
				t.Errorf("err = %v (want error %v), output lacks %q:\n%s", err, tc.wantErr, tc.want, out)
			}
		})
	}

	// The server sees what the commands wrote.
	port := portaltest.FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := start(t, bin, append(env, fmt.Sprintf("HUIQI_ADDR=127.0.0.1:%d", port)), "serve")
	p.waitReady(t, base)
	for _, tc := range []struct {
		user, password string
		status         int
	}{{"zhang", "Haiwan#2027", 200}, {"zhang", "Haiwan#2026", 401}, {"lisi", "Haiwan#2026", 403}} {
		body := fmt.Sprintf(`{"username":%q,"password":%q}`, tc.user, tc.password)
		res, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("login %s/%s: %d, want %d", tc.user, tc.password, res.StatusCode, tc.status)
		}
	}
	p.stop(t)
}
