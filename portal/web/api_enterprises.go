package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// enterpriseRoutes registers the enterprise API; every route but the
// industry table needs a verified actor and is scoped by the service.
func (s *Server) enterpriseRoutes(api *gin.RouterGroup) {
	api.GET("/industries", s.apiIndustries)
	api.GET("/enterprises", s.apiListEnterprises)
	api.POST("/enterprises", s.apiCreateEnterprise)
	api.POST("/enterprises/import", s.apiImportEnterprises)
	api.GET("/enterprises/:id", s.apiGetEnterprise)
	api.PUT("/enterprises/:id", s.apiUpdateEnterprise)
}

// apiIndustries answers GET /api/v1/industries: the GB/T 4754 table, public.
func (s *Server) apiIndustries(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, gin.H{"items": portal.Industries})
}

// enterpriseListQuery reads q, chain, page and per_page, naming a
// parameter that is not a number.
func enterpriseListQuery(c *gin.Context) (portal.EnterpriseQuery, error) {
	q := portal.EnterpriseQuery{Q: c.Query("q"), ChainID: strings.TrimSpace(c.Query("chain"))}
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	return q, err
}

// apiListEnterprises answers GET /api/v1/enterprises.
func (s *Server) apiListEnterprises(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	q, err := enterpriseListQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.opt.Enterprises.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiGetEnterprise answers GET /api/v1/enterprises/{id}.
func (s *Server) apiGetEnterprise(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	e, err := s.opt.Enterprises.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// apiCreateEnterprise answers POST /api/v1/enterprises (admin).
func (s *Server) apiCreateEnterprise(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.EnterpriseInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.opt.Enterprises.Create(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/enterprises/"+e.ID)
	c.JSON(http.StatusCreated, e)
}

// apiUpdateEnterprise answers PUT /api/v1/enterprises/{id}: the fields
// sent change, the others stay.
func (s *Server) apiUpdateEnterprise(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var upd portal.EnterpriseUpdate
	if err := decodeJSON(c, &upd); err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.opt.Enterprises.Update(c.Request.Context(), c.Param("id"), upd)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// apiImportEnterprises answers POST /api/v1/enterprises/import: a
// multipart upload with the file in field "file"; the answer is the report.
func (s *Server) apiImportEnterprises(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	file, err := importUpload(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer file.Close()
	rep, err := s.opt.Enterprises.Import(c.Request.Context(), file)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// maxImportBody bounds the whole upload: the file and the form around it.
const maxImportBody = portal.MaxImportBytes + 64<<10

// importUpload opens the uploaded file of field "file", refusing bodies
// over the import limit before they are read in full.
func importUpload(c *gin.Context) (multipart.File, error) {
	tooLarge := &portal.Error{Code: portal.ETOOLARGE, Message: "文件超过 5 MiB 上限，请拆分后分批导入", Fields: map[string]string{"file": "文件过大"}}
	if c.Request.ContentLength > maxImportBody {
		return nil, tooLarge
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxImportBody)
	fh, err := c.FormFile("file")
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return nil, tooLarge
	case errors.Is(err, http.ErrMissingFile):
		return nil, portal.Invalid("请选择要导入的文件（表单字段 file）", map[string]string{"file": "请选择文件"})
	case err != nil:
		return nil, portal.Invalid("上传格式有误：请以 multipart/form-data 提交，文件放在字段 file 中", map[string]string{"file": "未收到文件"})
	case fh.Size > portal.MaxImportBytes:
		return nil, tooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, portal.Internal(err)
	}
	return f, nil
}
