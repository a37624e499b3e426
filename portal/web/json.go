package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// MaxJSONBody is the largest JSON request body accepted.
const MaxJSONBody = 1 << 20

// decodeJSON reads the request body into v, refusing unknown fields, bodies
// over MaxJSONBody and trailing data, with a message that says what is wrong.
func decodeJSON(c *gin.Context, v any) error {
	if c.Request.ContentLength > MaxJSONBody {
		return portal.Errorf(portal.ETOOLARGE, "请求内容超过 %d KiB 上限", MaxJSONBody>>10)
	}
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		return portal.Errorf(portal.EINVALID, "请求内容类型必须是 application/json，收到的是 %s", ct)
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return portal.Errorf(portal.EINVALID, "JSON 格式错误：请求体只能包含一个 JSON 对象")
	}
	return nil
}

// jsonError turns a decoding failure into a domain error naming the problem.
func jsonError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooBig):
		return portal.Errorf(portal.ETOOLARGE, "请求内容超过 %d KiB 上限", tooBig.Limit>>10)
	case errors.Is(err, io.EOF):
		return portal.Errorf(portal.EINVALID, "请求体为空，需要一个 JSON 对象")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return portal.Errorf(portal.EINVALID, "JSON 格式错误：内容不完整")
	case errors.As(err, &syntax):
		return portal.Errorf(portal.EINVALID, "JSON 格式错误：第 %d 个字节附近 %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return portal.Errorf(portal.EINVALID, "JSON 格式错误：需要一个对象，收到的是 %s", typ.Value)
		}
		return portal.Invalid(fmt.Sprintf("字段 %s 的类型错误：需要 %s，收到的是 %s", field, typ.Type, typ.Value),
			map[string]string{field: "类型错误"})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return portal.Invalid(fmt.Sprintf("未知字段 %s", field), map[string]string{field: "未知字段"})
	default:
		return portal.Errorf(portal.EINVALID, "JSON 格式错误：%v", err)
	}
}

// bodyCall is the shape of a thin write handler: the signed-in caller's
// JSON body decoded into an In, handed to fn, and fn's result answered
// with status (or its error with the status table's code).
func bodyCall[In, Out any](s *Server, c *gin.Context, status int, fn func(context.Context, In) (Out, error)) {
	if s.actor(c) == nil {
		return
	}
	var in In
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	out, err := fn(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, out)
}
