# Passbook as a container: one static Go binary on a small Debian with what reading statements
# needs at run time (Tesseract for scans and photos, fonts, CA certificates for webhooks and S3).
#   docker build -t passbook .
#   docker run -p 8080:8080 -v passbook-data:/var/lib/passbook passbook
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/passbook ./cmd/passbook

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates fonts-dejavu-core \
      tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-osd \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/passbook passbook
COPY --from=build /out/passbook /usr/local/bin/passbook
USER passbook
WORKDIR /var/lib/passbook
# Listen on every interface inside the container; keep the database, files and keys in the volume.
ENV PASSBOOK_ADDR=0.0.0.0:8080 PASSBOOK_DATA=/var/lib/passbook/data
VOLUME /var/lib/passbook
EXPOSE 8080
ENTRYPOINT ["passbook"]
CMD ["serve"]
