package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// statusOf is the one table that maps domain error codes to HTTP statuses.
var statusOf = map[string]int{
	portal.EINVALID:         http.StatusBadRequest,
	portal.EUNAUTHENTICATED: http.StatusUnauthorized,
	portal.EFORBIDDEN:       http.StatusForbidden,
	portal.ENOTFOUND:        http.StatusNotFound,
	portal.ECONFLICT:        http.StatusConflict,
	portal.ETOOLARGE:        http.StatusRequestEntityTooLarge,
	portal.ETOOMANY:         http.StatusTooManyRequests,
	portal.EUNPROCESSABLE:   http.StatusUnprocessableEntity,
	portal.EGONE:            http.StatusGone,
	portal.EUNAVAILABLE:     http.StatusServiceUnavailable,
	portal.EINTERNAL:        http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for err.
func StatusOf(err error) int {
	if s, ok := statusOf[portal.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// writeError answers an API call with err, logging internal errors only.
func (s *Server) writeError(c *gin.Context, err error) {
	code := portal.ErrorCode(err)
	if code == portal.EINTERNAL || code == portal.EUNAVAILABLE {
		s.logger(c).Error("request failed", "err", err)
	}
	if d := portal.ErrorRetryAfter(err); d > 0 {
		c.Header("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = portal.ErrorMessage(err)
	body.Error.Fields = portal.ErrorFields(err)
	c.AbortWithStatusJSON(StatusOf(err), body)
}
