#!/usr/bin/env python3
"""A small npm registry (the read side of the protocol npm install uses) for
Faultline's sample generator.  Only ever bind it inside a network namespace
you created.

Packages live in PKGROOT/<name>/<version>/ as plain files (`package.json`
first); a scoped name is a folder `@scope/name`.
  GET /<name>                          the packument: versions with dist.tarball,
                                       dist.integrity (sha512) and dist.shasum
  GET /<name>/-/<base>-<version>.tgz   the tarball, built on the fly (files under package/)
Names may arrive URL-encoded (`@scope%2fname`), as npm sends them.

Failure knobs (all optional):
  --fail STATUS         answer every request with STATUS ...
  --fail-suffix SFX     ... but only requests whose path ends with SFX (e.g. .tgz)
  --fail-body TEXT      JSON {"error": TEXT} body of the failure
  --www-authenticate V  WWW-Authenticate header sent with a 401
  --tamper              serve tarballs whose bytes differ from dist.integrity
  --reset               accept the request, send the headers, then reset the connection (RST)
  --stall               accept the connection and never answer
  --tls CERT,KEY        serve HTTPS with this certificate chain
"""
import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import socket
import struct
import sys
import tarfile
import time
import urllib.parse

import fakehttp



def make_tarball(folder, tamper=False):
    """A deterministic .tgz with every file of `folder` under package/."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for dirpath, _dirs, files in sorted(os.walk(folder)):
            for name in sorted(files):
                full = os.path.join(dirpath, name)
                data = open(full, "rb").read()
                if tamper and name.endswith(".js"):
                    data += b"\n// this line was added by a tampering mirror\n"
                info = tarfile.TarInfo("package/" + os.path.relpath(full, folder))
                info.size = len(data)
                info.mtime = 499162500  # npm's fixed 1985-10-26 date
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


class Store:
    def __init__(self, root):
        self.root = root

    def versions(self, name):
        d = os.path.join(self.root, name)
        if not os.path.isdir(d):
            return None
        found = [v for v in os.listdir(d) if os.path.isfile(os.path.join(d, v, "package.json"))]
        return sorted(found, key=lambda v: [int(x) for x in v.split(".")]) or None

    def packument(self, name, base_url):
        versions = {}
        for v in self.versions(name) or []:
            folder = os.path.join(self.root, name, v)
            manifest = json.load(open(os.path.join(folder, "package.json")))
            tgz = make_tarball(folder)
            base = name.split("/")[-1]
            manifest.update({
                "_id": f"{name}@{v}",
                "dist": {
                    "tarball": f"{base_url}/{name}/-/{base}-{v}.tgz",
                    "shasum": hashlib.sha1(tgz).hexdigest(),
                    "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode(),
                },
            })
            versions[v] = manifest
        latest = max(versions, key=lambda v: [int(x) for x in v.split(".")])
        return {"_id": name, "name": name, "dist-tags": {"latest": latest}, "versions": versions}


def make_handler(args, store, log):
    class H(fakehttp.Handler):
        server_version = "fl-npm-registry/1"
        default_type = "application/json"

        def reset(self):
            """Headers out, then an RST instead of the body (SO_LINGER 0 + close)."""
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b'{"name":')
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            print(f"{time.time():.3f} reset {self.path}", file=log)

        def do_GET(self):
            path = urllib.parse.unquote(self.path.partition("?")[0]).lstrip("/")
            print(f"{time.time():.3f} GET {self.path} auth={'yes' if self.headers.get('Authorization') else 'no'}", file=log)
            if args.stall:
                time.sleep(3600)
                return
            if args.reset:
                return self.reset()
            if args.fail and (not args.fail_suffix or path.endswith(args.fail_suffix)):
                extra = {}
                if args.fail == 401 and args.www_authenticate:
                    extra["WWW-Authenticate"] = args.www_authenticate
                return self.send(args.fail, {"error": args.fail_body or fakehttp.STATUS_TEXT.get(args.fail, "error")}, extra=extra)
            scheme = "https" if args.tls else "http"
            base_url = f"{scheme}://{self.headers.get('Host')}"
            if "/-/" in path:
                name, _, file = path.partition("/-/")
                base = name.split("/")[-1]
                version = file[len(base) + 1:-len(".tgz")] if file.startswith(base + "-") and file.endswith(".tgz") else ""
                folder = os.path.join(store.root, name, version)
                if not version or not os.path.isfile(os.path.join(folder, "package.json")):
                    return self.send(404, {"error": "Not found"})
                return self.send(200, make_tarball(folder, tamper=args.tamper), "application/octet-stream")
            if store.versions(path) is None:
                return self.send(404, {"error": "Not found"})
            return self.send(200, store.packument(path, base_url))

        def do_POST(self):
            # npm audit after a successful install: a real registry answers, with no advisories.
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            print(f"{time.time():.3f} POST {self.path}", file=log)
            if args.stall:
                time.sleep(3600)
                return
            return self.send(200, {})

    H.log = log
    return H


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True, help="IP:PORT")
    ap.add_argument("--pkgroot", required=True)
    ap.add_argument("--log", default=None)
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--fail-suffix", default="")
    ap.add_argument("--fail-body", default="")
    ap.add_argument("--www-authenticate", default="")
    ap.add_argument("--tamper", action="store_true")
    ap.add_argument("--reset", action="store_true")
    ap.add_argument("--stall", action="store_true")
    ap.add_argument("--tls", default="")
    args = ap.parse_args()
    log = open(args.log, "a", buffering=1) if args.log else sys.stderr
    fakehttp.serve("npmregistry", [args.listen], make_handler(args, Store(args.pkgroot), log), args.tls, log)


if __name__ == "__main__":
    main()
