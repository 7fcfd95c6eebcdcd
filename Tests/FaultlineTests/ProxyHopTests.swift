import Foundation
import Testing
import Faultline
@testable import FaultlineEngine
import FaultlineInput

/// A request that failed on its way to another host or port than its URL's went through a proxy the
/// line does not name: the cause is the proxy, with the hop as its subject.
@Suite("A failed hop through a proxy")
struct ProxyHopTests {
    static func top(_ lines: [String]) -> Hypothesis? {
        let analyzer = Analyzer(knowledge: TestSupport.knowledge)
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        return analyzer.analyze(sources: [.bytes(name: "npm.log", bytes)]).hypotheses.first
    }

    @Test("npm refused by a local proxy port (wild/131, create-react-native-app through 127.0.0.1:8580)")
    func refusedProxyPort() throws {
        // The line of https://github.com/npm/npm/issues/20791 as wild/131 keeps it.
        let top = try #require(Self.top([
            "npm ERR! code ECONNREFUSED",
            "npm ERR! errno ECONNREFUSED",
            "npm ERR! FetchError: request to https://registry.npmjs.org/create-react-native-app failed, reason: connect ECONNREFUSED 127.0.0.1:8580",
        ]))
        #expect(top.cause == "http_proxy_misconfigured")
        #expect(top.subjects["proxy"] == "127.0.0.1:8580")
        #expect(top.subjects["host"] == "registry.npmjs.org")
    }

    @Test("a registry that is itself down on its own port (Verdaccio on localhost:4873) is not a proxy")
    func refusedRegistryItself() throws {
        let top = try #require(Self.top([
            "npm ERR! code ECONNREFUSED",
            "npm ERR! FetchError: request to http://localhost:4873/nodemon failed, reason: connect ECONNREFUSED 127.0.0.1:4873",
        ]))
        #expect(top.cause == "connection_refused")
        #expect(top.subjects["proxy"] == nil)
    }

    @Test("a lookup of another host than the URL's is the proxy's name not resolving")
    func proxyNameDoesNotResolve() throws {
        let top = try #require(Self.top([
            "npm ERR! code EAI_AGAIN",
            "npm ERR! request to https://registry.npmjs.org/express failed, reason: getaddrinfo EAI_AGAIN proxy.yourcorp.com:811",
        ]))
        #expect(top.cause == "http_proxy_misconfigured")
        #expect(top.subjects["proxy"] == "proxy.yourcorp.com:811")
        #expect(top.subjects["host"] == "registry.npmjs.org")
    }

    @Test("a lookup of the URL's own host, and Go's lookup through its nameserver, stay DNS causes")
    func directLookupsStayDNS() throws {
        let npm = try #require(Self.top([
            "npm ERR! request to https://registry.npmjs.org/express failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org",
        ]))
        #expect(npm.cause == "dns_server_unreachable")
        let go = try #require(Self.top([
            "go: github.com/gorilla/websocket@v1.4.2: Get \"https://proxy.golang.org/github.com/gorilla/websocket/@v/v1.4.2.mod\": dial tcp: lookup proxy.golang.org on 192.168.0.1:53: read udp 172.17.0.2:36832->192.168.0.1:53: read: no route to host",
        ]))
        #expect(go.cause.hasPrefix("dns_"))
        #expect(go.subjects["proxy"] == nil)
    }

    @Test("URL endpoints: explicit ports, scheme defaults, user info and IPv6")
    func endpoints() {
        #expect(ProxyHop.Endpoint(url: "https://registry.npmjs.org/x")?.port == 443)
        #expect(ProxyHop.Endpoint(url: "http://registry.npmjs.org/x")?.port == 80)
        #expect(ProxyHop.Endpoint(url: "http://localhost:4873/x")?.port == 4873)
        #expect(ProxyHop.Endpoint(url: "https://user:pw@nexus.corp:8443/repo")?.port == 8443)
        #expect(ProxyHop.Endpoint(url: "http://[::1]:4873/x")?.port == 4873)
        #expect(ProxyHop.Endpoint(url: "http://[::1]:4873/x")?.host == "::1")
    }
}
