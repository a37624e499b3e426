package portal

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password limits: long enough to resist guessing, long enough for a
// passphrase in Chinese.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// CheckPassword says why a new password is refused, or returns nil.
func CheckPassword(password, username string) error {
	n := utf8.RuneCountInString(password)
	bad := func(msg string) error { return Invalid(msg, map[string]string{"password": msg}) }
	switch {
	case n < MinPasswordLen:
		return bad(fmt.Sprintf("密码至少需要 %d 个字符", MinPasswordLen))
	case n > MaxPasswordLen:
		return bad(fmt.Sprintf("密码不能超过 %d 个字符", MaxPasswordLen))
	case commonPasswords[strings.ToLower(password)]:
		return bad("这个密码过于常见，很容易被猜到，请换一个")
	case username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)):
		return bad("密码不能包含用户名")
	case strings.Count(password, string([]rune(password)[0])) == n: // n counts characters, not bytes
		return bad("密码不能由同一个字符重复组成")
	}
	return nil
}

// argon2id parameters (RFC 9106's second recommendation, memory lowered to
// what OWASP suggests so that logins stay cheap on a small server).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash.
func VerifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var version int
	var mem uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version || parts[2] != fmt.Sprintf("v=%d", version) {
		return false, errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, fmt.Errorf("argon2 parameters: %w", err)
	}
	// Bounds keep a corrupted hash from panicking argon2 (zero rounds or
	// threads) or from making one sign-in allocate gigabytes.
	if parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", mem, t, p) || t < 1 || t > 16 || p < 1 || p > 16 || mem < 8*uint32(p) || mem > 1<<20 {
		return false, fmt.Errorf("argon2 parameters %q out of range", parts[3])
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("argon2 key: %w", err)
	}
	// An empty key would compare equal to an empty result: every password
	// would match.
	if len(salt) < 8 || len(want) < 16 {
		return false, errors.New("argon2 salt or key too short")
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
