#!/usr/bin/env python3
"""A small GOPROXY-protocol server (plus go-get meta tags and dumb-HTTP git)
for Faultline's sample generator.  Only ever bind it inside a network
namespace you created.

Module sources live in MODROOT/<module path>/<version>/ (plain files).
  GET /<module>/@v/list              versions, one a line
  GET /<module>/@v/<ver>.info        {"Version":..,"Time":..}
  GET /<module>/@v/<ver>.mod         the go.mod file
  GET /<module>/@v/<ver>.zip         zip with entries <module>@<ver>/<file>
  GET /<module>/@latest              info of the highest version
  GET /<path>?go-get=1               <meta name="go-import"> pointing at /git/<last elem>.git
  GET /git/...                       static files from --git-root (dumb HTTP git)

Failure knobs (all optional):
  --fail STATUS        answer every module request with STATUS ...
  --fail-suffix SFX    ... but only requests whose path ends with SFX (e.g. .zip)
  --fail-type CT       Content-Type of the failure body (default text/plain)
  --fail-body TEXT     failure body; {module} and {version} are substituted
  --missing-status N   status for an unknown module (default 404)
  --missing-body TEXT  body for an unknown module
  --unknown-rev-status N  status for an unknown version of a known module (default 404)
  --tamper             serve a zip whose content differs from the real one
  --pad-bytes N        add N pseudo-random bytes (testdata/blob.bin) to every zip
  --auth-prefix P      401 + WWW-Authenticate for request paths starting with P
  --tls CERT,KEY       serve HTTPS with this certificate (e.g. a self-signed one)
"""
import argparse
import io
import json
import os
import random
import re
import sys
import zipfile

import fakehttp



def unescape(p):
    return re.sub(r"!([a-z])", lambda m: m.group(1).upper(), p)


def semver_key(v):
    nums = re.findall(r"\d+", v)
    return [int(n) for n in nums[:3]]


class Store:
    def __init__(self, root):
        self.root = root

    def versions(self, mod):
        d = os.path.join(self.root, mod)
        if not os.path.isdir(d):
            return None
        vs = [v for v in os.listdir(d) if v.startswith("v") and os.path.isdir(os.path.join(d, v))]
        return sorted(vs, key=semver_key)

    def files(self, mod, ver):
        base = os.path.join(self.root, mod, ver)
        out = []
        for dp, _dn, fn in os.walk(base):
            for f in fn:
                full = os.path.join(dp, f)
                out.append((os.path.relpath(full, base), full))
        return sorted(out)


def make_zip(store, mod, ver, tamper=False, pad=0):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, full in store.files(mod, ver):
            data = open(full, "rb").read()
            if tamper and rel.endswith(".go"):
                data += b"\n// this line was added by a tampering proxy\n"
            info = zipfile.ZipInfo(f"{mod}@{ver}/{rel}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
        if pad:
            rnd = random.Random(1234)
            info = zipfile.ZipInfo(f"{mod}@{ver}/testdata/blob.bin", date_time=(2024, 1, 1, 0, 0, 0))
            z.writestr(info, bytes(rnd.getrandbits(8) for _ in range(pad)))
    return buf.getvalue()


def make_handler(args, store, log):
    class H(fakehttp.Handler):
        server_version = "fl-goproxy/1"

        def do_GET(self):
            path, _, query = self.path.partition("?")
            if args.auth_prefix and path.startswith(args.auth_prefix):
                return self.send(401, "Unauthorized\n",
                                 extra={"WWW-Authenticate": 'Basic realm="fl private git"'})
            if "go-get=1" in query:
                return self.go_get(path)
            if path.startswith("/git/") and args.git_root:
                return self.git_file(path[len("/git/"):])
            m = re.match(r"^/(.+?)/(@v/list|@latest|@v/([^/]+)\.(info|mod|zip))$", path)
            if not m:
                return self.send(404, "not found\n")
            mod = unescape(m.group(1))
            ver = unescape(m.group(3)) if m.group(3) else None
            fmtargs = {"module": mod, "version": ver or ""}
            if args.fail and (not args.fail_suffix or path.endswith(args.fail_suffix)):
                body = (args.fail_body or "{code} {text}\n").format(
                    code=args.fail, text=fakehttp.STATUS_TEXT.get(args.fail, ""), **fmtargs)
                return self.send(args.fail, body, ctype=args.fail_type)
            vs = store.versions(mod)
            if vs is None:
                body = (args.missing_body or "not found: module {module}: no matching versions\n").format(**fmtargs)
                return self.send(args.missing_status, body)
            if m.group(2) == "@v/list":
                return self.send(200, "".join(v + "\n" for v in vs))
            if m.group(2) == "@latest":
                ver = vs[-1]
            if ver not in vs:
                body = "not found: {module}@{version}: invalid version: unknown revision {version}\n".format(**fmtargs)
                return self.send(args.unknown_rev_status, body)
            kind = m.group(4) or "info"
            if kind == "info":
                return self.send(200, json.dumps({"Version": ver, "Time": "2024-01-01T00:00:00Z"}) + "\n",
                                 ctype="application/json")
            if kind == "mod":
                return self.send(200, open(os.path.join(store.root, mod, ver, "go.mod"), "rb").read())
            return self.send(200, make_zip(store, mod, ver, args.tamper, args.pad_bytes),
                             ctype="application/zip")

        def go_get(self, path):
            elems = path.strip("/").split("/")
            host = (self.headers.get("Host") or "example.com").split(":")[0]
            root = "/".join([host] + elems[:2]) if len(elems) >= 2 else host + "/" + "/".join(elems)
            name = root.rsplit("/", 1)[-1]
            html = ('<!DOCTYPE html>\n<html><head>\n'
                    f'<meta name="go-import" content="{root} git http://{host}/git/{name}.git">\n'
                    '</head><body>go get</body></html>\n')
            return self.send(200, html, ctype="text/html; charset=utf-8")

        def git_file(self, rel):
            full = os.path.normpath(os.path.join(args.git_root, rel))
            if not full.startswith(os.path.abspath(args.git_root)) or not os.path.isfile(full):
                return self.send(404, "Not Found\n")
            return self.send(200, open(full, "rb").read(), ctype="application/octet-stream")

    H.log = log
    return H


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", action="append", required=True, help="IP:PORT (repeatable)")
    ap.add_argument("--modroot", required=True)
    ap.add_argument("--git-root", default=None)
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--fail-suffix", default="")
    ap.add_argument("--fail-type", default="text/plain; charset=utf-8")
    ap.add_argument("--fail-body", default=None)
    ap.add_argument("--missing-status", type=int, default=404)
    ap.add_argument("--missing-body", default=None)
    ap.add_argument("--unknown-rev-status", type=int, default=404)
    ap.add_argument("--tamper", action="store_true")
    ap.add_argument("--pad-bytes", type=int, default=0)
    ap.add_argument("--auth-prefix", default=None)
    ap.add_argument("--tls", default=None)
    ap.add_argument("--log", default=None)
    args = ap.parse_args()
    unesc = lambda t: t.replace("\\n", "\n").replace("\\t", "\t") if t else None
    args.fail_body = unesc(args.fail_body)
    args.missing_body = unesc(args.missing_body)
    log = open(args.log, "a", buffering=1) if args.log else sys.stderr
    store = Store(args.modroot)
    handler = make_handler(args, store, log)
    fakehttp.serve("goproxy", args.listen, handler, args.tls, log)


if __name__ == "__main__":
    main()
