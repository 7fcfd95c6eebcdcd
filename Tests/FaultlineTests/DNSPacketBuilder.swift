import Foundation

/// Builds small classic-pcap captures byte by byte for the DNS edge-case
/// tests: DNS messages, IPv4/IPv6 + UDP/TCP with correct checksums (an
/// RFC 1071 sum written here, independently of the decoder's), and the link
/// headers of every link type the decoder reads.
struct PcapBuilder {
    private(set) var bytes: [UInt8]

    init(linkType: UInt32, snaplen: UInt32 = 65535) {
        bytes = []
        Self.le32(0xA1B2_C3D4, &bytes)
        bytes += [2, 0, 4, 0]
        Self.le32(0, &bytes)
        Self.le32(0, &bytes)
        Self.le32(snaplen, &bytes)
        Self.le32(linkType, &bytes)
    }

    /// Adds a frame at `time` seconds; `keep` cuts it as a snaplen would.
    mutating func add(_ frame: [UInt8], time: Double, keep: Int? = nil) {
        let seconds = UInt32(time.rounded(.down))
        let micros = UInt32(((time - Double(seconds)) * 1e6).rounded())
        let captured = min(keep ?? frame.count, frame.count)
        Self.le32(seconds, &bytes)
        Self.le32(micros, &bytes)
        Self.le32(UInt32(captured), &bytes)
        Self.le32(UInt32(frame.count), &bytes)
        bytes += frame[0..<captured]
    }

    static func le32(_ v: UInt32, _ out: inout [UInt8]) {
        out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func checksum(_ data: [UInt8]) -> [UInt8] {
        var sum = 0
        var i = 0
        while i < data.count {
            sum += Int(data[i]) << 8 + (i + 1 < data.count ? Int(data[i + 1]) : 0)
            i += 2
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let v = ~sum & 0xFFFF
        return be16(v == 0 ? 0xFFFF : v)
    }

    static func ipv4(_ text: String) -> [UInt8] { text.split(separator: ".").map { UInt8($0) ?? 0 } }

    // MARK: DNS messages

    static func name(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        for label in name.split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        return out + [0]
    }

    static func query(id: Int, _ qname: String, type: Int = 1, flags: Int = 0x0100) -> [UInt8] {
        be16(id) + be16(flags) + be16(1) + be16(0) + be16(0) + be16(0) + name(qname) + be16(type) + be16(1)
    }

    /// A response with A records answering `qname` (owner compressed to the question).
    static func response(id: Int, _ qname: String, type: Int = 1, rcode: Int = 0, addresses: [String] = [], ttl: UInt32 = 60) -> [UInt8] {
        var out = be16(id) + be16(0x8180 | rcode) + be16(1) + be16(addresses.count) + be16(0) + be16(0)
        out += name(qname) + be16(type) + be16(1)
        for address in addresses {
            out += [0xC0, 0x0C] + be16(1) + be16(1) + be32(ttl) + be16(4) + ipv4(address)
        }
        return out
    }

    // MARK: Network and transport

    static func udp4(_ src: String, _ dst: String, _ sport: Int, _ dport: Int, _ payload: [UInt8], ipID: Int = 1) -> [UInt8] {
        let length = 8 + payload.count
        let pseudo = ipv4(src) + ipv4(dst) + [0, 17] + be16(length)
        var udp = be16(sport) + be16(dport) + be16(length) + [0, 0] + payload
        let sum = checksum(pseudo + udp)
        udp[6] = sum[0]
        udp[7] = sum[1]
        return ipv4Header(src, dst, proto: 17, payloadLength: udp.count, id: ipID) + udp
    }

    static func ipv4Header(_ src: String, _ dst: String, proto: UInt8, payloadLength: Int, id: Int, fragment: Int = 0) -> [UInt8] {
        var header = [0x45, 0] + be16(20 + payloadLength) + be16(id) + be16(fragment) + [64, proto, 0, 0] + ipv4(src) + ipv4(dst)
        let sum = checksum(header)
        header[10] = sum[0]
        header[11] = sum[1]
        return header
    }

    static func tcp4(_ src: String, _ dst: String, _ sport: Int, _ dport: Int, seq: UInt32, flags: UInt8 = 0x18,
                     _ payload: [UInt8]) -> [UInt8] {
        var tcp = be16(sport) + be16(dport) + be32(seq) + be32(0) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
        let pseudo = ipv4(src) + ipv4(dst) + [0, 6] + be16(tcp.count)
        let sum = checksum(pseudo + tcp)
        tcp[16] = sum[0]
        tcp[17] = sum[1]
        return ipv4Header(src, dst, proto: 6, payloadLength: tcp.count, id: 7) + tcp
    }

    static func udp6(_ src: [UInt8], _ dst: [UInt8], _ sport: Int, _ dport: Int, _ payload: [UInt8]) -> [UInt8] {
        let length = 8 + payload.count
        var udp = be16(sport) + be16(dport) + be16(length) + [0, 0] + payload
        let pseudo = src + dst + be32(UInt32(length)) + [0, 0, 0, 17]
        let sum = checksum(pseudo + udp)
        udp[6] = sum[0]
        udp[7] = sum[1]
        return [0x60, 0, 0, 0] + be16(length) + [17, 64] + src + dst + udp
    }

    // MARK: Link layers

    static let mac: [UInt8] = [0x02, 0x42, 0, 0, 0, 1]

    static func ethernet(_ ip: [UInt8], etherType: Int = 0x0800, vlan: Int? = nil) -> [UInt8] {
        var out = mac + mac
        if let vlan { out += [0x81, 0x00] + be16(vlan) }
        return out + be16(etherType) + ip
    }

    static func sll(_ ip: [UInt8]) -> [UInt8] { be16(4) + be16(1) + be16(6) + mac + [0, 0] + be16(0x0800) + ip }
    static func sll2(_ ip: [UInt8]) -> [UInt8] { be16(0x0800) + be16(0) + be32(2) + be16(1) + [4, 6] + mac + [0, 0] + ip }
    static func null(_ ip: [UInt8]) -> [UInt8] { [2, 0, 0, 0] + ip }
    static func loop(_ ip: [UInt8]) -> [UInt8] { [0, 0, 0, 2] + ip }
}
