# Drop's production image. Build: docker build -t drop .   Run: docker run --env-file drop.env -p 8080:8080 drop
# One-off schema migration before a release: docker run --env-file drop.env drop migrate
# (scripts/image-test proves this layout on machines without a container engine: see docs/operations.md.)

# --- build: the Swift toolchain, a release binary with the Swift runtime linked in ---
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY Tests Tests
COPY scripts scripts
RUN swift build -c release --product drop --static-swift-stdlib \
 && scripts/runtime-tree /runtime --binary .build/release/drop

# --- run: slim Debian, the runtime libraries the binary needs, the binary and its resource bundles ---
FROM debian:bookworm-slim
COPY --from=build /runtime/usr/local/share/drop/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata $(cat /tmp/runtime-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && useradd --system --uid 10001 --home-dir /var/lib/drop --shell /usr/sbin/nologin drop \
 && install -d -o drop -g drop /var/lib/drop
COPY --from=build /runtime/ /
USER drop
WORKDIR /var/lib/drop
ENV DROP_ENV=production HOST=0.0.0.0 PORT=8080 DROP_DATA_DIR=/var/lib/drop
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s CMD ["drop", "probe", "--path", "/ready"]
ENTRYPOINT ["drop"]
CMD ["serve"]
