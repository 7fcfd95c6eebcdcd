#!/usr/bin/env python3
"""Run build steps and write their combined stdout+stderr to a log, line by
line as it arrives, inside the envelope of a build system.

No Docker engine or CI runner is involved: the envelope lines (vertex
headers, step lines, group markers, the final error summary) are written by
this script around the *real* output of the commands, following the grammar
in shared/research/log-wrappers.md.  Timing fields are real: BuildKit's
per-line seconds are measured from the moment the step started, GitHub
Actions timestamps are the UTC wall clock when each line arrived, GitLab
section times are real Unix seconds.  Cached-step lines, image digests and
container ids are invented.

  wrap.py --format buildkit --out build.log --step "go mod download" -- RUNNER...

Each --step string is appended as the last argument to RUNNER (which runs it
with /bin/sh -c in the right namespace/environment); steps run in order and
the first failing one ends the build.

Formats: bare | buildkit | docker-legacy | podman | github-actions | gitlab | python-logging
Exit status: that of the last step run.
"""
import argparse
import random
import subprocess
import sys
import time

# The Dockerfile every docker-shaped sample pretends to build (also shown in
# the README).
DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM golang:1.19 AS builder
WORKDIR /src
ENV GOPROXY=http://proxy.golang.org:8080 GOSUMDB=off CGO_ENABLED=0
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o app .

FROM gcr.io/distroless/static-debian12
COPY --from=builder /src/app /app
ENTRYPOINT ["/app"]
""".splitlines()

BUILDER = DOCKERFILE[1:DOCKERFILE.index("")]           # lines of stage "builder"
BK_STEPS = [l for l in BUILDER if l.split(" ")[0] in ("FROM", "WORKDIR", "COPY", "RUN")]
LEGACY_STEPS = [l for l in DOCKERFILE if l and not l.startswith("#")]


def gha_ts():
    ns = time.time_ns()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)) + ".%07dZ" % ((ns % 10**9) // 100)


class Writer:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8", errors="surrogateescape", newline="")

    def line(self, s):
        self.f.write(s + "\n")
        self.f.flush()
        sys.stdout.write(s + "\n")
        sys.stdout.flush()


def hexid(rnd, n):
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


def run(runner, step, on_line):
    """Run one step; call on_line(text, elapsed) per output line; return (rc, elapsed)."""
    start = time.monotonic()
    proc = subprocess.Popen(runner + [step], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    for raw in iter(proc.stdout.readline, b""):
        on_line(raw.decode("utf-8", "surrogateescape").rstrip("\n"), time.monotonic() - start)
    rc = proc.wait()
    return rc, time.monotonic() - start


def bk_secs(el):
    prec = 3 if el < 10 else (2 if el < 100 else 1)
    return "%.*f" % (prec, el)


def buildkit(w, rnd, runner, steps):
    w.line('#0 building with "default" instance using docker driver')
    w.line("")
    w.line("#1 [internal] load build definition from Dockerfile")
    w.line("#1 transferring dockerfile: %dB done" % (len("\n".join(DOCKERFILE)) + 1))
    w.line("#1 DONE 0.0s")
    w.line("")
    w.line("#2 [internal] load metadata for gcr.io/distroless/static-debian12:latest")
    w.line("#2 DONE 0.4s")
    w.line("")
    w.line("#3 [internal] load metadata for docker.io/library/golang:1.19")
    w.line("#3 DONE 0.6s")
    w.line("")
    w.line("#4 [internal] load .dockerignore")
    w.line("#4 transferring context: 2B done")
    w.line("#4 DONE 0.0s")
    n = len(BK_STEPS)
    w.line("")
    w.line(f"#5 [builder 1/{n}] FROM docker.io/library/golang:1.19@sha256:{hexid(rnd, 64)}")
    w.line("#5 DONE 0.0s")
    w.line("")
    w.line("#6 [internal] load build context")
    w.line("#6 transferring context: 1.03kB done")
    w.line("#6 DONE 0.0s")
    vtx, started, rc = 7, False, 0
    for i, instr in enumerate(BK_STEPS[1:], 2):
        is_run = instr.startswith("RUN ")
        if not started and not (is_run and instr[4:] in steps):
            w.line("")
            w.line(f"#{vtx} [builder {i}/{n}] {instr}")
            w.line(f"#{vtx} CACHED")
            vtx += 1
            continue
        w.line("")
        name = f"[builder {i}/{n}] {instr}"
        w.line(f"#{vtx} {name}")
        if not is_run:
            w.line(f"#{vtx} DONE 0.0s")
            vtx += 1
            continue
        started = True
        cmd = instr[4:]
        tail = []

        def on_line(text, el, vtx=vtx, tail=tail):
            s = f"{bk_secs(el)} {text}"
            tail.append(s)
            w.line(f"#{vtx} {s}")
        rc, el = run(runner, cmd, on_line)
        if rc == 0:
            w.line(f"#{vtx} DONE {el:.1f}s")
            vtx += 1
            if cmd == steps[-1]:
                break
            continue
        msg = f'process "/bin/sh -c {cmd}" did not complete successfully: exit code: {rc}'
        w.line(f"#{vtx} ERROR: {msg}")
        w.line("------")
        w.line(f" > {name}:")
        for l in tail[-10:]:  # the summary repeats the last lines of the failed step
            w.line(l)
        w.line("------")
        ln = DOCKERFILE.index(instr) + 1
        w.line(f"Dockerfile:{ln}")
        w.line("--------------------")
        for k in range(max(1, ln - 2), min(len(DOCKERFILE), ln + 2) + 1):
            w.line(" %3d | %s %s" % (k, ">>>" if k == ln else "   ", DOCKERFILE[k - 1]))
        w.line("--------------------")
        w.line(f"ERROR: failed to solve: {msg}")
        return rc
    if rc == 0 and steps[-1] == BK_STEPS[-1][4:]:
        w.line("")
        w.line(f"#{vtx} [stage-1 1/2] FROM gcr.io/distroless/static-debian12:latest@sha256:{hexid(rnd, 64)}")
        w.line(f"#{vtx} CACHED")
        vtx += 1
        w.line("")
        w.line(f"#{vtx} [stage-1 2/2] COPY --from=builder /src/app /app")
        w.line(f"#{vtx} DONE 0.1s")
        vtx += 1
        w.line("")
        w.line(f"#{vtx} exporting to image")
        w.line(f"#{vtx} exporting layers 0.1s done")
        w.line(f"#{vtx} writing image sha256:{hexid(rnd, 64)} done")
        w.line(f"#{vtx} naming to docker.io/library/fl-app:latest done")
        w.line(f"#{vtx} DONE 0.1s")
    return rc


def legacy(w, rnd, runner, steps):
    n = len(LEGACY_STEPS)
    w.line("Sending build context to Docker daemon  6.144kB")
    w.line("")
    rc = 0
    for i, instr in enumerate(LEGACY_STEPS, 1):
        w.line(f"Step {i}/{n} : {instr}")
        cmd = instr[4:] if instr.startswith("RUN ") else None
        if i == 1:
            w.line(f" ---> {hexid(rnd, 12)}")
            continue
        if cmd is None or cmd not in steps:
            w.line(" ---> Using cache")
            w.line(f" ---> {hexid(rnd, 12)}")
            continue
        container = hexid(rnd, 12)
        w.line(f" ---> Running in {container}")
        rc, _ = run(runner, cmd, lambda text, el: w.line(text))
        if rc != 0:
            w.line(f"The command '/bin/sh -c {cmd}' returned a non-zero code: {rc}")
            return rc
        w.line(f"Removing intermediate container {container}")
        w.line(f" ---> {hexid(rnd, 12)}")
        if cmd == steps[-1]:
            break
    return rc


def github(w, rnd, runner, steps, env):
    t = gha_ts
    w.line(f"{t()} Current runner version: '2.321.0'")
    w.line(f"{t()} ##[group]Operating System")
    w.line(f"{t()} Ubuntu")
    w.line(f"{t()} 24.04.1")
    w.line(f"{t()} LTS")
    w.line(f"{t()} ##[endgroup]")
    rc = 0
    for cmd in steps:
        w.line(f"{t()} ##[group]Run {cmd}")
        w.line(f"{t()} \x1b[36;1m{cmd}\x1b[0m")
        w.line(f"{t()} shell: /usr/bin/bash -e {{0}}")
        if env:
            w.line(f"{t()} env:")
            for kv in env:
                k, _, v = kv.partition("=")
                w.line(f"{t()}   {k}: {v}")
        w.line(f"{t()} ##[endgroup]")
        rc, _ = run(runner, cmd, lambda text, el: w.line(f"{gha_ts()} {text}"))
        if rc != 0:
            w.line(f"{t()} ##[error]Process completed with exit code {rc}.")
            break
    return rc


def gitlab(w, rnd, runner, steps):
    w.line("\x1b[0KRunning with gitlab-runner 17.5.3 (12030cf4)\x1b[0;m")
    w.line("\x1b[0K  on fl-runner-1 x7Kq2pZb, system ID: s_4d2f8c1e9a0b\x1b[0;m")
    now = int(time.time())
    w.line(f"section_start:{now}:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the \"docker\" executor\x1b[0;m")
    w.line("\x1b[0KUsing Docker executor with image golang:1.19 ...\x1b[0;m")
    w.line(f"section_end:{now}:prepare_executor\r\x1b[0K")
    w.line(f"section_start:{now}:get_sources\r\x1b[0K\x1b[0K\x1b[36;1mGetting source from Git repository\x1b[0;m")
    w.line("\x1b[32;1mFetching changes with git depth set to 20...\x1b[0;m")
    w.line(f"Checking out {hexid(rnd, 8)} as detached HEAD (ref is main)...")
    w.line(f"section_end:{now}:get_sources\r\x1b[0K")
    w.line(f"section_start:{int(time.time())}:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m")
    rc = 0
    for cmd in steps:
        w.line(f"\x1b[32;1m$ {cmd}\x1b[0;m")
        rc, _ = run(runner, cmd, lambda text, el: w.line(text))
        if rc != 0:
            break
    end = int(time.time())
    w.line(f"section_end:{end}:step_script\r\x1b[0K")
    w.line(f"section_start:{end}:cleanup_file_variables\r\x1b[0K\x1b[0K\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m")
    w.line(f"section_end:{end}:cleanup_file_variables\r\x1b[0K")
    if rc != 0:
        w.line(f"\x1b[31;1mERROR: Job failed: exit code {rc}")
        w.line("\x1b[0;m")
    else:
        w.line("\x1b[32;1mJob succeeded\x1b[0;m")
    return rc


def podman(w, rnd, runner, steps):
    """`podman build` (Podman 4/5, Buildah underneath) of the same Dockerfile: multi-stage
    steps are `[stage/stages] STEP i/n: INSTRUCTION`, a cached step is followed by
    `--> Using cache <id>` and `--> <id>`, output lines are bare, and a failed RUN ends
    the build with `Error: building at STEP "RUN …": while running runtime: exit status N`."""
    n = len(BK_STEPS)
    rc, started = 0, False
    for i, instr in enumerate(BK_STEPS, 1):
        w.line(f"[1/2] STEP {i}/{n}: {instr}")
        is_run = instr.startswith("RUN ")
        if i == 1:
            continue
        if not started and not (is_run and instr[4:] in steps):
            digest = hexid(rnd, 64)
            w.line(f"--> Using cache {digest}")
            w.line(f"--> {digest[:10]}")
            continue
        if not is_run:
            w.line(f"--> {hexid(rnd, 10)}")
            continue
        started = True
        cmd = instr[4:]
        rc, _ = run(runner, cmd, lambda text, el: w.line(text))
        if rc != 0:
            w.line(f'Error: building at STEP "{instr}": while running runtime: exit status {rc}')
            return rc
        w.line(f"--> {hexid(rnd, 10)}")
        if cmd == steps[-1]:
            break
    return rc


def python_logging(w, rnd, runner, steps):
    """A build service written in Python that runs each step and logs what it prints through
    the standard `logging` module with the common format
    `%(asctime)s - %(name)s - %(levelname)s - %(message)s`: the step's lines at INFO, its
    failure at ERROR. The prefixes are the logging module's own output."""
    import logging

    class ToWriter(logging.Handler):
        def emit(self, record):
            w.line(self.format(record))

    log = logging.getLogger("fl.builder")
    log.propagate = False
    log.setLevel(logging.INFO)
    handler = ToWriter()
    handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    log.addHandler(handler)
    rc = 0
    for cmd in steps:
        log.info("running step: %s", cmd)
        rc, el = run(runner, cmd, lambda text, el: log.info("%s", text))
        if rc != 0:
            log.error("step %r failed after %.1fs with exit status %d", cmd, el, rc)
            break
        log.info("step %r done in %.1fs", cmd, el)
    return rc


def bare(w, rnd, runner, steps):
    rc = 0
    for cmd in steps:
        rc, _ = run(runner, cmd, lambda text, el: w.line(text))
        if rc != 0:
            break
    return rc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", required=True,
                    choices=["bare", "buildkit", "docker-legacy", "podman", "github-actions", "gitlab", "python-logging"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--step", action="append", required=True,
                    help="shell command of one step (docker formats: must be a RUN line of the sample Dockerfile)")
    ap.add_argument("--env", action="append", default=[], help="K=V shown in the GitHub Actions step group")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("runner", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    runner = a.runner[1:] if a.runner and a.runner[0] == "--" else a.runner
    if a.format in ("buildkit", "docker-legacy", "podman"):
        for s in a.step:
            if "RUN " + s not in DOCKERFILE:
                ap.error(f"RUN {s} is not in the sample Dockerfile")
    rnd = random.Random(a.seed)
    w = Writer(a.out)
    if a.format == "buildkit":
        return buildkit(w, rnd, runner, a.step)
    if a.format == "docker-legacy":
        return legacy(w, rnd, runner, a.step)
    if a.format == "github-actions":
        return github(w, rnd, runner, a.step, a.env)
    if a.format == "gitlab":
        return gitlab(w, rnd, runner, a.step)
    if a.format == "podman":
        return podman(w, rnd, runner, a.step)
    if a.format == "python-logging":
        return python_logging(w, rnd, runner, a.step)
    return bare(w, rnd, runner, a.step)


if __name__ == "__main__":
    sys.exit(main())
