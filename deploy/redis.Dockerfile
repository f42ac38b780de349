# Redis for the gateway's read cache, from Debian 12's own package.
# Build from the repository root:  docker build -f deploy/redis.Dockerfile -t jiangan-redis .
ARG BASE_IMAGE=debian:12
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10002 --create-home --home-dir /var/lib/redis cache
USER 10002
WORKDIR /var/lib/redis
ENTRYPOINT ["/usr/bin/redis-server"]
EXPOSE 6380
