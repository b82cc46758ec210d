# gitlab-runners-mock as a CI sidecar: GitLab 15.11's Runners API (/api/v4) on port 8080.
# Build with one command (nothing here reaches the network; the bundle is made beforehand):
#   npm run docker:build        (= npm run build:bundle, then docker build -t gitlab-runners-mock .)
# One stage: Node plus one self-contained file (the default fixture and the fixture validator are
# bundled into it). Another Node 20+ base: --build-arg NODE_IMAGE=<image> (or NODE_IMAGE=… npm run docker:build).
ARG NODE_IMAGE=node:20-slim
FROM ${NODE_IMAGE}

LABEL org.opencontainers.image.title="gitlab-runners-mock" \
      org.opencontainers.image.description="A stateful, in-memory fake of GitLab's REST Runners API (/api/v4), GitLab 15.11 behaviour" \
      org.opencontainers.image.licenses="MIT"

WORKDIR /app
# package.json always exists, so a missing bundle (the patterns match nothing) reaches the check below.
# faker-en.cjs is faker's English locale, read only for a seed without a precomputed vocabulary.
COPY --chown=0:0 package.json dist/docker/server.mj[s] dist/docker/faker-en.cj[s] /app/
RUN ["node", "-e", "const fs=require('fs');(fs.existsSync('/app/server.mjs')&&fs.existsSync('/app/faker-en.cjs')) || (console.error('gitlab-runners-mock: dist/docker/server.mjs is not built: run `npm run docker:build` (builds the bundle, then the image) or `npm run build:bundle` before docker build'), process.exit(1))"]

# Configuration by environment (each also has a command-line flag; see `docker run IMAGE --help`).
# Unset ones keep their defaults: GITLAB_MOCK_FIXTURE (a JSON world file, e.g. a mounted volume),
# GITLAB_MOCK_EXTERNAL_URL (origin for Link headers and web_url), GITLAB_MOCK_CONTROL_TOKEN
# (guards /-/mock), GITLAB_MOCK_CONTROL=off, GITLAB_MOCK_CLOCK (frozen ISO instant),
# GITLAB_MOCK_BODY_LIMIT (bytes), GITLAB_MOCK_RUNNER_TOKEN_EXPIRATION (seconds).
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    GITLAB_MOCK_SEED=1 \
    GITLAB_MOCK_LOG_LEVEL=info

USER 1000:1000
EXPOSE 8080

# Healthy once the server answers: /-/mock/ready, or GitLab's /-/readiness when the control API is off.
HEALTHCHECK --interval=2s --timeout=2s --retries=15 \
  CMD ["node", "-e", "const u='http://127.0.0.1:'+(process.env.PORT||8080);const ok=(r)=>r.ok;fetch(u+'/-/mock/ready').then((r)=>r.status===404?fetch(u+'/-/readiness').then(ok):ok(r)).then((y)=>process.exit(y?0:1),()=>process.exit(1))"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/server.mjs"]
