/// What a capture shows that is routine, never a failure: mDNS, DNS-SD and
/// LLMNR traffic (multicast or the unicast answers to it), and the names
/// devices ask about their local network as a matter of course.
enum DNSBackground {
    /// mDNS (5353) or LLMNR (5355) at either end: link-local name resolution, asked of whoever answers.
    static func isLinkLocal(client: Endpoint, server: Endpoint) -> Bool {
        client.port == 5353 || client.port == 5355 || server.port == 5353 || server.port == 5355
    }

    /// `local` and its names (`local` SOA, `host.local`), DNS-SD's service discovery
    /// (`_dns-sd._udp.…`, `lb._dns-sd._udp.…`), and reverse lookups (`in-addr.arpa`, `ip6.arpa`),
    /// whose NXDOMAIN is the normal answer for addresses nobody named. `name` is lower-cased, without the final dot.
    static func isRoutineName(_ name: [UInt8]) -> Bool {
        if name == Array("local".utf8) || name.ends(with: Array(".local".utf8)) { return true }
        if name.ends(with: Array(".in-addr.arpa".utf8)) || name.ends(with: Array(".ip6.arpa".utf8)) { return true }
        return name.contains(subsequence: Array("_dns-sd._udp".utf8))
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix) }

    func contains(subsequence needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}
