# syntax=docker/dockerfile:1

# huiqi: one static binary (serve | portal | worker | …).
#   docker build -t huiqi .
#   docker run -p 8080:8080 -v huiqi-data:/data huiqi            # all-in-one, embedded stores
#   docker compose up                                            # production-like, see compose.yaml

FROM golang:1.26 AS build
WORKDIR /src
# Pure Go (modernc SQLite under the embedded FerretDB), so a static binary.
# go.mod names a patch release; if this golang:1.26 image is older than
# that, fetch the toolchain instead of failing (the image sets "local").
ENV CGO_ENABLED=0 \
    GOTOOLCHAIN=auto
# Dependencies first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# The binary embeds the zone database (time/tzdata, imported by cmd/huiqi),
# and the runtime image ships /usr/share/zoneinfo as well.
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /huiqi ./cmd/huiqi
# The data directory must belong to the runtime user: a new named volume
# mounted on /data takes its owner from the image.
RUN mkdir -p /out/data

# distroless static: CA certificates, tzdata, /etc/passwd, no shell; runs as
# nonroot (uid 65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /huiqi /huiqi
COPY --from=build --chown=65532:65532 /out/data /data
ENV HUIQI_DATA_DIR=/data \
    HUIQI_ADDR=0.0.0.0:8080
USER nonroot:nonroot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/huiqi"]
CMD ["serve"]
