"""The HTTP plumbing the sample generator's fake servers share (goproxy.py,
npmregistry.py): a request handler base that logs to the case's server log
and sends a whole response in one call, and a threaded server on one or more
IP:PORTs, optionally behind TLS.  Only ever bind it inside a network namespace
you created.
"""
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               410: "Gone", 500: "Internal Server Error", 502: "Bad Gateway",
               503: "Service Unavailable", 504: "Gateway Timeout"}


class Handler(BaseHTTPRequestHandler):
    """Subclasses set `log` (a file) and `default_type`; HEAD answers as GET without the body."""
    sys_version = ""
    protocol_version = "HTTP/1.1"
    log = None
    default_type = "text/plain; charset=utf-8"

    def log_message(self, fmt, *a):
        print(f"{time.time():.3f} {self.client_address[0]} {fmt % a}", file=self.log)

    def send(self, code, body, ctype=None, extra=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code, STATUS_TEXT.get(code))
        self.send_header("Content-Type", ctype or self.default_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()


def serve(name, listens, handler, tls, log):
    """Serves `handler` on every "IP:PORT" of `listens` (TLS with "CERT,KEY"), forever."""
    ThreadingHTTPServer.daemon_threads = True
    servers = []
    for listen in listens:
        ip, port = listen.rsplit(":", 1)
        server = ThreadingHTTPServer((ip, int(port)), handler)
        if tls:
            cert, key = tls.split(",")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        servers.append(server)
        print(f"{name} listening on {listen}{' (TLS)' if tls else ''}", file=log)
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()
