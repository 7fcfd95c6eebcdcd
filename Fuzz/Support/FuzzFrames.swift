/// Ethernet frames around a payload, for harnesses whose input is what a frame carries.
/// IPv4 header checksums are right; UDP and TCP checksums are left out (zero), as offloading
/// NICs capture them.
public enum FuzzFrames {
    public typealias Endpoint = (address: [UInt8], port: UInt16)

    public static func udp(from source: Endpoint, to destination: Endpoint, payload: [UInt8]) -> [UInt8] {
        let length = 8 + payload.count
        let udp = bigEndian(source.port) + bigEndian(destination.port) + bigEndian(UInt16(truncatingIfNeeded: length)) + [0, 0]
        return ethernet(ipv4(protocol: 17, from: source.address, to: destination.address, payload: udp + payload))
    }

    public static func tcp(from source: Endpoint, to destination: Endpoint, payload: [UInt8]) -> [UInt8] {
        var tcp = bigEndian(source.port) + bigEndian(destination.port)
        tcp += [0, 0, 0, 1, 0, 0, 0, 0]          // sequence, acknowledgement
        tcp += [0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0] // 20-byte header, PSH+ACK, window, checksum, urgent
        return ethernet(ipv4(protocol: 6, from: source.address, to: destination.address, payload: tcp + payload))
    }

    static func ipv4(protocol number: UInt8, from source: [UInt8], to destination: [UInt8], payload: [UInt8]) -> [UInt8] {
        var header: [UInt8] = [0x45, 0] + bigEndian(UInt16(truncatingIfNeeded: 20 + payload.count)) + [0, 1, 0x40, 0, 64, number, 0, 0]
        header += source + destination
        var sum: UInt32 = 0
        for index in stride(from: 0, to: header.count, by: 2) { sum += UInt32(header[index]) << 8 | UInt32(header[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header + payload
    }

    static func ethernet(_ packet: [UInt8]) -> [UInt8] {
        [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00] + packet
    }

    static func bigEndian(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}
