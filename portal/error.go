package portal

import (
	"errors"
	"fmt"
	"time"
)

// Error codes shared by every layer. The HTTP layer maps each to one status.
const (
	EINVALID         = "invalid"
	EUNAUTHENTICATED = "unauthenticated"
	EFORBIDDEN       = "forbidden"
	ENOTFOUND        = "not_found"
	ECONFLICT        = "conflict"
	ETOOLARGE        = "too_large"
	ETOOMANY         = "too_many_requests"
	EUNPROCESSABLE   = "unprocessable"
	EGONE            = "gone" // a single-use or time-limited link that is used up or expired
	EUNAVAILABLE     = "unavailable"
	EINTERNAL        = "internal"
)

// Error is the domain error: a code for machines, a message for people and,
// for invalid input, the message for each offending field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter tells a throttled caller how long to wait.
	RetryAfter time.Duration
	// Err is the underlying cause of an internal error; it is logged, never shown.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause of an internal error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming each bad field.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// Internal wraps an unexpected failure; its message stays generic for users.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "服务器内部错误，请稍后重试", Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the human message of err; internal errors get a
// generic message so that details never leak to users.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e.Code != EINTERNAL:
		return e.Message
	default:
		return "服务器内部错误，请稍后重试"
	}
}

// ErrorFields returns the per-field messages of an invalid-input error.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// ErrorRetryAfter returns how long a throttled caller should wait, 0 if
// err is not a throttling error.
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// IsCode reports whether err is a domain error with code.
func IsCode(err error, code string) bool { return err != nil && ErrorCode(err) == code }
