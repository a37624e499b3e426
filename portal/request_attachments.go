package portal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxAttachmentBytes caps one attachment unless configured otherwise.
const DefaultMaxAttachmentBytes = 20 << 20

// attachmentTypes are the content types accepted, as sniffed from the
// bytes, with the name shown in errors.
var attachmentTypes = map[string]string{
	"image/jpeg": "JPEG 图片", "image/png": "PNG 图片", "image/gif": "GIF 图片", "image/webp": "WebP 图片",
	"application/pdf": "PDF 文档",
	"audio/mpeg":      "MP3 音频", "audio/wave": "WAV 音频", "application/ogg": "OGG 音频", "audio/aiff": "AIFF 音频",
	"video/mp4": "MP4 视频", "video/webm": "WebM 视频", "video/avi": "AVI 视频",
}

// SniffAttachment returns the content type of a file from its first bytes;
// the name is never trusted. Anything but images, PDF, audio and video is
// refused.
func SniffAttachment(head []byte) (string, error) {
	ct := http.DetectContentType(head)
	ct, _, _ = strings.Cut(ct, ";")
	if _, ok := attachmentTypes[ct]; !ok {
		return "", Invalid("附件类型不支持", map[string]string{"attachments": "只能上传图片、PDF、音频或视频文件"})
	}
	return ct, nil
}

func (s *RequestService) maxAttachment() int64 {
	if s.MaxAttachmentBytes > 0 {
		return s.MaxAttachmentBytes
	}
	return DefaultMaxAttachmentBytes
}

// AttachmentLimit returns the largest attachment accepted, in bytes, so
// that the HTTP layer can refuse a larger upload before reading it.
func (s *RequestService) AttachmentLimit() int64 { return s.maxAttachment() }

// checkedUpload is an upload whose type and size passed.
type checkedUpload struct {
	name        string
	contentType string
	content     []byte
}

// checkUploads validates uploads into f and returns the good ones.
func (s *RequestService) checkUploads(uploads []Upload, f map[string]string) ([]checkedUpload, error) {
	if len(uploads) > 0 && s.Attachments == nil {
		f["attachments"] = "暂不支持上传附件"
		return nil, nil
	}
	out := make([]checkedUpload, 0, len(uploads))
	for _, up := range uploads {
		name := attachmentName(up.Name)
		switch {
		case len(up.Content) == 0:
			f["attachments"] = fmt.Sprintf("附件“%s”是空文件", name)
		case int64(len(up.Content)) > s.maxAttachment():
			f["attachments"] = fmt.Sprintf("附件“%s”超过 %d MB", name, s.maxAttachment()>>20)
		default:
			ct, err := SniffAttachment(up.Content)
			if err != nil {
				f["attachments"] = fmt.Sprintf("附件“%s”不是图片、PDF、音频或视频文件", name)
				continue
			}
			out = append(out, checkedUpload{name: name, contentType: ct, content: up.Content})
		}
	}
	return out, nil
}

// attachmentName keeps the base name of what a browser sent, shortened.
func attachmentName(name string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		name = "附件"
	}
	if utf8.RuneCountInString(name) > 80 {
		name = string([]rune(name)[:80])
	}
	return name
}

// putAttachment stores one checked upload for request id.
func (s *RequestService) putAttachment(ctx context.Context, requestID string, a *Actor, up checkedUpload, now time.Time) (*Attachment, error) {
	id := NewID()
	n, err := s.Attachments.PutAttachment(ctx, requestID, id, up.name, up.contentType, bytes.NewReader(up.content))
	if err != nil {
		return nil, err
	}
	return &Attachment{ID: id, Name: up.name, ContentType: up.contentType, Size: n, UploadedBy: a.Name(), UploadedAt: now}, nil
}

// dropAttachments removes the stored bytes of a request that was not stored.
func (s *RequestService) dropAttachments(ctx context.Context, r *Request) {
	for _, att := range r.Attachments {
		if err := s.Attachments.DeleteAttachment(ctx, r.ID, att.ID); err != nil {
			s.log().Error("drop attachment", "request", r.ID, "attachment", att.ID, "err", err)
		}
	}
}

// AddAttachment attaches a file to a request the actor may see and is
// involved in (the enterprise, its liaison, the filer, the department, a
// dispatcher); a final request takes no more files.
func (s *RequestService) AddAttachment(ctx context.Context, id string, up Upload) (*Request, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.mayAct(a, r, byOwner) && !s.mayAct(a, r, byHandlerOrDispatcher) {
		return nil, Errorf(EFORBIDDEN, "您无权为该诉求上传附件")
	}
	if r.Status.Final() {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("诉求当前状态为“%s”，不能再上传附件", StatusNames[r.Status]),
			Fields: map[string]string{"status": string(r.Status)}}
	}
	f := map[string]string{}
	if len(r.Attachments) >= MaxAttachments {
		f["attachments"] = fmt.Sprintf("每条诉求最多 %d 个附件", MaxAttachments)
	}
	files, err := s.checkUploads([]Upload{up}, f)
	if err != nil {
		return nil, err
	}
	if len(f) > 0 {
		return nil, Invalid("附件有误", f)
	}
	now := s.now()
	att, err := s.putAttachment(ctx, r.ID, a, files[0], now)
	if err != nil {
		return nil, err
	}
	next := cloneRequest(r)
	next.Attachments = append(next.Attachments, *att)
	next.Timeline = append(next.Timeline, Event{At: now, ActorID: a.UserID, ActorName: a.Name(), Action: "attach", Note: att.Name})
	next.UpdatedAt = now
	if err := s.Store.UpdateRequest(ctx, next, r.Version); err != nil {
		if derr := s.Attachments.DeleteAttachment(ctx, r.ID, att.ID); derr != nil {
			s.log().Error("drop attachment", "request", r.ID, "attachment", att.ID, "err", derr)
		}
		return nil, s.conflictNow(ctx, r.ID, err)
	}
	if err := s.Audit.Record(ctx, "request.attach", "request", r.ID, OutcomeOK, att.Name); err != nil {
		return nil, Internal(err)
	}
	return next, nil
}

// OpenAttachment returns an attachment of a request the actor may see.
func (s *RequestService) OpenAttachment(ctx context.Context, id, attachmentID string) (*Attachment, io.ReadCloser, error) {
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	for i := range r.Attachments {
		if r.Attachments[i].ID == attachmentID && s.Attachments != nil {
			rc, err := s.Attachments.OpenAttachment(ctx, r.ID, attachmentID)
			if err != nil {
				return nil, nil, err
			}
			return &r.Attachments[i], rc, nil
		}
	}
	return nil, nil, Errorf(ENOTFOUND, "附件不存在")
}
