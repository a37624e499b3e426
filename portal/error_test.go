package portal_test

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

const genericMessage = "服务器内部错误，请稍后重试"

func TestErrorCode(t *testing.T) {
	notFound := portal.Errorf(portal.ENOTFOUND, "诉求 %s 不存在", "R1")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"Nil", nil, ""},
		{"DomainError", notFound, portal.ENOTFOUND},
		{"Invalid", portal.Invalid("输入有误", map[string]string{"name": "必填"}), portal.EINVALID},
		{"WrappedOnce", fmt.Errorf("find request: %w", notFound), portal.ENOTFOUND},
		{"WrappedTwice", fmt.Errorf("dispatch: %w", fmt.Errorf("find request: %w", notFound)), portal.ENOTFOUND},
		{"JoinedWithPlain", errors.Join(errors.New("io"), portal.Errorf(portal.ECONFLICT, "版本冲突")), portal.ECONFLICT},
		{"PlainError", errors.New("dial tcp 10.0.0.5:27017: connection refused"), portal.EINTERNAL},
		{"WrappedPlainError", fmt.Errorf("load: %w", errors.New("boom")), portal.EINTERNAL},
		{"Internal", portal.Internal(errors.New("boom")), portal.EINTERNAL},
		{"InternalWrappingDomain", portal.Internal(notFound), portal.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := portal.ErrorCode(tc.err); got != tc.want {
				t.Errorf("ErrorCode(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	// secret stands for anything internal: addresses, credentials, driver text.
	const secret = "mongodb://admin:s3cret@10.0.0.5:27017"
	cause := errors.New("connect " + secret + ": connection refused")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"Nil", nil, ""},
		{"DomainError", portal.Errorf(portal.EFORBIDDEN, "无权查看该诉求"), "无权查看该诉求"},
		{"WrappedKeepsOnlyDomainMessage", fmt.Errorf("query %s: %w", secret, portal.Errorf(portal.ENOTFOUND, "单位不存在")), "单位不存在"},
		{"PlainError", cause, genericMessage},
		{"WrappedPlainError", fmt.Errorf("find org units: %w", cause), genericMessage},
		{"Internal", portal.Internal(cause), genericMessage},
		{"WrappedInternal", fmt.Errorf("dispatch: %w", portal.Internal(cause)), genericMessage},
		{"InternalWithCustomMessage", &portal.Error{Code: portal.EINTERNAL, Message: "query " + secret, Err: cause}, genericMessage},
		{"UnavailableHidesCause", &portal.Error{Code: portal.EUNAVAILABLE, Message: "数据库暂时不可用，请稍后重试", Err: cause}, "数据库暂时不可用，请稍后重试"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := portal.ErrorMessage(tc.err)
			if got != tc.want {
				t.Errorf("ErrorMessage(%v) = %q, want %q", tc.err, got, tc.want)
			}
			if strings.Contains(got, "s3cret") || strings.Contains(got, "10.0.0.5") {
				t.Errorf("ErrorMessage(%v) = %q leaks internal details", tc.err, got)
			}
		})
	}
}

func TestErrorFields(t *testing.T) {
	fields := map[string]string{"name": "单位名称不能为空", "tier": "层级必须是 A、B 或 C"}
	invalid := portal.Invalid("单位信息有误", fields)
	for _, tc := range []struct {
		name string
		err  error
		want map[string]string
	}{
		{"Nil", nil, nil},
		{"Invalid", invalid, fields},
		{"WrappedInvalid", fmt.Errorf("upsert org unit: %w", invalid), fields},
		{"OtherCode", portal.Errorf(portal.ENOTFOUND, "单位不存在"), nil},
		{"PlainError", errors.New("boom"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := portal.ErrorFields(tc.err)
			if !maps.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("ErrorFields(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestError(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		err := portal.Errorf(portal.ECONFLICT, "%s 已被 %d 人修改", "诉求", 2)
		if err.Code != portal.ECONFLICT || err.Message != "诉求 已被 2 人修改" {
			t.Fatalf("Errorf = %+v", err)
		}
		if got, want := err.Error(), "conflict: 诉求 已被 2 人修改"; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
		if err.Unwrap() != nil {
			t.Errorf("Unwrap() = %v, want nil", err.Unwrap())
		}
	})
	t.Run("InternalKeepsCauseForLogs", func(t *testing.T) {
		cause := errors.New("connection refused")
		err := portal.Internal(cause)
		if !errors.Is(err, cause) {
			t.Errorf("errors.Is(Internal(cause), cause) = false")
		}
		if !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("Error() = %q, want the cause in the log text", err.Error())
		}
		if err.Message != genericMessage {
			t.Errorf("Message = %q, want the generic message", err.Message)
		}
	})
}
