# Faultline in a container:
#   docker build -t faultline .
#   docker run --rm -v "$PWD:/w" faultline analyze /w/build.log
# Stage 1 builds the release binary with Swift (the pipelines are built into it); stage 2 is a
# slim Debian with the shared libraries it links: libpcap, libarchive, SQLite and zlib. The Swift
# runtime and Foundation are linked statically by the release build (Package.swift).
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap-dev zlib1g-dev libarchive-dev libsqlite3-dev pkg-config binutils git \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# FAULTLINE_COMMIT names the commit when the context has no .git (the plugin reads it otherwise).
ARG FAULTLINE_COMMIT=
RUN FAULTLINE_COMMIT="$FAULTLINE_COMMIT" swift build -c release --product faultline \
 && install -m 0755 "$(swift build -c release --show-bin-path)/faultline" /usr/local/bin/faultline \
 && strip /usr/local/bin/faultline \
 && faultline --version

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap0.8 libarchive13 libsqlite3-0 zlib1g libstdc++6 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/faultline /usr/local/bin/faultline
COPY docs/report.md docs/faultline.report-1.schema.json /usr/local/share/faultline/
WORKDIR /w
ENTRYPOINT ["faultline"]
CMD ["--help"]
