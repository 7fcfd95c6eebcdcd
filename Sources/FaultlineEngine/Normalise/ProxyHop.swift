import FaultlineCore

/// Recognises a request that failed on its way through a proxy although the
/// line names no proxy: npm's `request to https://registry.npmjs.org/x failed,
/// reason: getaddrinfo EAI_AGAIN proxy.corp:811` resolves another host than the
/// URL's, and `… reason: connect ECONNREFUSED 10.0.0.1:3128` connects to
/// another port than the URL's. Only a configured proxy makes a client do
/// either, so the cause is the proxy (`http_proxy_misconfigured`, with the
/// hop as its `proxy` subject and the URL's host as `host`), not plain DNS or
/// TCP to the registry.
struct ProxyHop {
    /// The causes a proxy hop turns into `http_proxy_misconfigured`.
    static let lookupCauses: Set<String> = ["dns_server_unreachable", "dns_nxdomain", "dns_servfail"]
    static let connectCauses: Set<String> = ["connection_refused", "connection_timeout"]
    static let proxyCause = "http_proxy_misconfigured"

    /// The proxy that `text` shows the request went through, when `cause` and `subjects` say it failed
    /// on the way to another host or port than its URL's; nil otherwise.
    static func proxy(cause: String, subjects: Subjects, text: String) -> String? {
        guard let url = subjects[Subjects.Key.url], let target = Endpoint(url: url) else { return nil }
        if lookupCauses.contains(cause) {
            // A lookup names the host it looked up; a nameserver lookup (Go's `lookup X on NS`) is the client's own.
            guard subjects[Subjects.Key.nameserver] == nil, let looked = subjects[Subjects.Key.host],
                  looked.lowercased() != target.host.lowercased() else { return nil }
            return looked + (port(after: looked, in: text).map { ":" + $0 } ?? "")
        }
        if connectCauses.contains(cause) {
            guard let address = subjects[Subjects.Key.address] ?? dialled(in: text),
                  let port = address.split(separator: ":").last.flatMap({ Int($0) }), port != target.port else { return nil }
            return address
        }
        return nil
    }

    /// The host and port a URL is for (the scheme's default port when none is written).
    struct Endpoint {
        var host: String
        var port: Int

        init?(url: String) {
            guard let host = SubjectExtractor.host(ofURL: url), let scheme = url.range(of: "://") else { return nil }
            self.host = host
            let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let afterHost = authority.split(separator: "@").last.map { $0.hasPrefix("[") ? $0.split(separator: "]").last ?? "" : $0 } ?? ""
            if let colon = afterHost.lastIndex(of: ":"), let explicit = Int(afterHost[afterHost.index(after: colon)...]) {
                port = explicit
            } else {
                port = url.lowercased().hasPrefix("http://") ? 80 : 443
            }
        }
    }

    /// `811` in `… proxy.corp:811`: the port written right after `host`.
    static func port(after host: String, in text: String) -> String? {
        guard let range = text.range(of: host + ":") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// `10.0.0.1:3128` in npm's `connect ECONNREFUSED 10.0.0.1:3128` (or `ETIMEDOUT`).
    static func dialled(in text: String) -> String? {
        for marker in ["ECONNREFUSED ", "ETIMEDOUT ", "EHOSTUNREACH "] {
            guard let range = text.range(of: marker) else { continue }
            let address = text[range.upperBound...].prefix { !$0.isWhitespace && $0 != "," && $0 != ")" && $0 != "\"" }
            if address.contains(":") { return String(address) }
        }
        return nil
    }
}
