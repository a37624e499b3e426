package mongostore

import (
	"context"
	"errors"
	"io"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// AttachmentStore keeps attachment bytes in the GridFS bucket
// "attachments", under the file id "<request>/<attachment>", so that an
// attachment can only be opened through the request it belongs to.
type AttachmentStore struct{ db *DB }

var _ portal.AttachmentStore = (*AttachmentStore)(nil)

// NewAttachmentStore returns the attachment store of db.
func NewAttachmentStore(db *DB) *AttachmentStore { return &AttachmentStore{db: db} }

func (s *AttachmentStore) bucket() *mongo.GridFSBucket {
	return s.db.db.GridFSBucket(options.GridFSBucket().SetName("attachments"))
}

func attachmentFileID(requestID, id string) string { return requestID + "/" + id }

// PutAttachment stores content and returns its size.
func (s *AttachmentStore) PutAttachment(ctx context.Context, requestID, id, name, contentType string, content io.Reader) (int64, error) {
	up, err := s.bucket().OpenUploadStreamWithID(ctx, attachmentFileID(requestID, id), name,
		options.GridFSUpload().SetMetadata(bson.D{{Key: "request_id", Value: requestID}, {Key: "content_type", Value: contentType}}))
	if err != nil {
		return 0, translate(err, "附件")
	}
	n, err := io.Copy(up, content)
	if err != nil {
		_ = up.Abort()
		return 0, translate(err, "附件")
	}
	if err := up.Close(); err != nil {
		return 0, translate(err, "附件")
	}
	return n, nil
}

// OpenAttachment returns a reader of the stored content.
func (s *AttachmentStore) OpenAttachment(ctx context.Context, requestID, id string) (io.ReadCloser, error) {
	ds, err := s.bucket().OpenDownloadStream(ctx, attachmentFileID(requestID, id))
	if errors.Is(err, mongo.ErrFileNotFound) {
		return nil, portal.Errorf(portal.ENOTFOUND, "附件不存在")
	}
	if err != nil {
		return nil, translate(err, "附件")
	}
	return ds, nil
}

// DeleteAttachment removes the content; a missing file is not an error.
func (s *AttachmentStore) DeleteAttachment(ctx context.Context, requestID, id string) error {
	err := s.bucket().Delete(ctx, attachmentFileID(requestID, id))
	if err == nil || errors.Is(err, mongo.ErrFileNotFound) {
		return nil
	}
	return translate(err, "附件")
}
