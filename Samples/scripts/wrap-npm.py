#!/usr/bin/env python3
"""wrap.py for npm builds: the same envelopes (bare, buildkit, docker-legacy,
github-actions, gitlab) written by wrap.py itself, around the real output of
npm steps, with the sample Dockerfile and image names of a Node project in
place of the Go ones.

  wrap-npm.py --format buildkit --out build.log --step "npm install" -- RUNNER...

Everything else — arguments, timing, exit status — is wrap.py's.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wrap  # noqa: E402

# The Dockerfile every docker-shaped npm sample pretends to build. Its ENV line
# holds the npm settings the runner really passes (as npm_config_* variables).
DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM node:20 AS builder
WORKDIR /src
ENV npm_config_registry=http://registry.npmjs.org:8080/ npm_config_fetch_retries=0 npm_config_fetch_timeout=3000
COPY package.json ./
RUN npm install
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=builder /src /app
CMD ["/app/index.js"]
""".splitlines()

# Lines wrap.py writes with the Go image names in them.
RENAMES = [
    ("docker.io/library/golang:1.19", "docker.io/library/node:20"),
    ("image golang:1.19", "image node:20"),
    ("gcr.io/distroless/static-debian12", "gcr.io/distroless/nodejs20-debian12"),
    ("COPY --from=builder /src/app /app", "COPY --from=builder /src /app"),
    ("fl-app:latest", "fl-npm-app:latest"),
]


class NodeWriter(wrap.Writer):
    def line(self, s):
        for old, new in RENAMES:
            s = s.replace(old, new)
        super().line(s)


wrap.DOCKERFILE = DOCKERFILE
wrap.BUILDER = DOCKERFILE[1:DOCKERFILE.index("")]
wrap.BK_STEPS = [l for l in wrap.BUILDER if l.split(" ")[0] in ("FROM", "WORKDIR", "COPY", "RUN")]
wrap.LEGACY_STEPS = [l for l in DOCKERFILE if l and not l.startswith("#")]
wrap.Writer = NodeWriter

if __name__ == "__main__":
    sys.exit(wrap.main())
