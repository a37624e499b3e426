package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/huiqi/huiqi/integrations/embedded"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/search"
)

// stack is the storage, queue and search backends one process uses, either
// the configured servers or their embedded stand-ins.
type stack struct {
	cfg         *Config
	log         *slog.Logger
	db          *mongostore.DB
	redisOpt    asynq.RedisConnOpt
	redis       redis.UniversalClient
	indexes     map[string]search.Index
	orgIndex    search.Index
	policyIndex search.Index
	// requestIndex holds open requests, to find similar ones.
	requestIndex search.Index
	stale        []indexSource // indexes started afresh, to fill from the database

	lock   *os.File
	ferret *embedded.FerretDB
	mini   *miniredis.Miniredis
}

// needs says which backends a command uses.
type needs struct{ redis, search bool }

// openStack opens what the command needs; on failure it closes whatever it
// had opened.
func openStack(ctx context.Context, cfg *Config, log *slog.Logger, n needs) (_ *stack, err error) {
	s := &stack{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			s.close(context.Background())
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("HUIQI_DATA_DIR: %w", err)
	}

	uri := cfg.MongoURI
	if cfg.embeddedMongo() {
		if err := s.lockDataDir(); err != nil {
			return nil, err
		}
		// FerretDB logs every connection at info and commands it does not
		// implement (endSessions on disconnect) as warnings; keep its errors.
		flog := log.With("component", "ferretdb")
		if cfg.Level > slog.LevelDebug {
			flog = slog.New(levelFilter{Handler: log.Handler(), min: slog.LevelError}).With("component", "ferretdb")
		}
		s.ferret, err = embedded.StartFerretDB(filepath.Join(cfg.DataDir, "ferretdb"), flog)
		if err != nil {
			return nil, err
		}
		uri = s.ferret.URI()
	}
	if s.db, err = mongostore.Open(ctx, uri, cfg.MongoDB); err != nil {
		return nil, err
	}

	if n.redis {
		url := cfg.RedisURL
		if cfg.embeddedRedis() {
			if s.mini, err = embedded.StartRedis(); err != nil {
				return nil, err
			}
			url = "redis://" + s.mini.Addr() + "/0"
		}
		if s.redisOpt, err = asynq.ParseRedisURI(url); err != nil {
			return nil, fmt.Errorf("HUIQI_REDIS_URL: %w", err)
		}
		s.redis = s.redisOpt.MakeRedisClient().(redis.UniversalClient)
		if err := s.redis.Ping(ctx).Err(); err != nil {
			return nil, fmt.Errorf("connect to redis: %w", err)
		}
	}

	if n.search {
		if err := s.openIndexes(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// migrate applies the database migrations and, on the embedded backend,
// gives every collection the _id index FerretDB's lookups can use.
func (s *stack) migrate(ctx context.Context, log *slog.Logger) error {
	if _, err := s.db.Migrate(ctx, log); err != nil {
		return err
	}
	if s.ferret == nil {
		return nil
	}
	n, err := s.ferret.IndexIDs(ctx, s.cfg.MongoDB)
	if err != nil {
		return fmt.Errorf("index embedded collections: %w", err)
	}
	log.Debug("embedded _id indexes ready", "collections", n)
	return nil
}

// indexPath is where the embedded backend keeps the named index.
func (s *stack) indexPath(name string) string {
	return filepath.Join(s.cfg.DataDir, "search", name+".bleve")
}

// lockDataDir makes sure only one process uses the embedded database.
func (s *stack) lockDataDir() error {
	f, err := os.OpenFile(filepath.Join(s.cfg.DataDir, "huiqi.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("HUIQI_DATA_DIR: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return fmt.Errorf("data directory %s is in use by another huiqi process; stop it first (the embedded database allows one process)", s.cfg.DataDir)
	}
	s.lock = f
	return nil
}

// close releases everything in the reverse order of opening.
func (s *stack) close(ctx context.Context) {
	for name, idx := range s.indexes {
		if err := idx.Close(); err != nil {
			s.log.Warn("close search index", "index", name, "err", err)
		}
	}
	if s.redis != nil {
		_ = s.redis.Close()
	}
	if s.mini != nil {
		s.mini.Close()
	}
	if s.db != nil {
		if err := s.db.Close(ctx); err != nil {
			s.log.Warn("close database", "err", err)
		}
	}
	if s.ferret != nil {
		if err := s.ferret.Close(); err != nil {
			s.log.Warn("stop embedded ferretdb", "err", err)
		}
	}
	if s.lock != nil {
		_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		_ = s.lock.Close()
	}
}

// jwtSecret returns HUIQI_JWT_SECRET, or the secret generated once and kept
// in the data dir (with a warning: a cluster must share one secret).
func jwtSecret(cfg *Config, log *slog.Logger) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	path := filepath.Join(cfg.DataDir, "jwt.secret")
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		secret := strings.TrimSpace(string(b))
		if len(secret) < 32 {
			return nil, fmt.Errorf("%s holds a secret shorter than 32 bytes; delete it to generate a new one", path)
		}
		log.Warn("HUIQI_JWT_SECRET is not set; using the secret kept in the data dir", "file", path)
		return []byte(secret), nil
	case errors.Is(err, os.ErrNotExist):
		var raw [32]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return nil, err
		}
		secret := hex.EncodeToString(raw[:])
		if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("keep generated JWT secret: %w", err)
		}
		log.Warn("HUIQI_JWT_SECRET is not set; generated a secret and kept it in the data dir — set HUIQI_JWT_SECRET when running more than one process", "file", path)
		return []byte(secret), nil
	default:
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
}

// levelFilter drops records below min, for chatty embedded libraries.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (h levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{Handler: h.Handler.WithAttrs(a), min: h.min}
}

func (h levelFilter) WithGroup(g string) slog.Handler {
	return levelFilter{Handler: h.Handler.WithGroup(g), min: h.min}
}
