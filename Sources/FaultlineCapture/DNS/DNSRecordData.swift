/// Record data: checked while a message is decoded, and rendered the way
/// Zeek's `dns.log` shows an answer (`10.0.0.1`, a CNAME target,
/// `TXT 5 hello`, `RRSIG 1 example.com`, `<unknown type=99>`).
enum DNSRecordData {
    /// Checks the data of `record`; false (and a weird) when it cannot be decoded.
    @inline(__always)
    static func check(_ record: DNSRecordHeader, in bytes: UnsafeRawBufferPointer, names: DNSNameReader,
                      frame: Int, weirds: inout WeirdLog) -> Bool {
        let length = record.dataEnd - record.dataStart
        switch record.type {
        case DNSType.a:
            if length != 4 { weirds.note("DNS_RR_bad_length", frame: frame); return false }
        case DNSType.aaaa:
            if length != 16 { weirds.note("DNS_RR_bad_length", frame: frame); return false }
        case DNSType.ns, DNSType.cname, DNSType.ptr:
            return checkName(bytes, at: record.dataStart, end: record.dataEnd, names: names, frame: frame, weirds: &weirds)
        case DNSType.mx:
            guard length >= 3 else { weirds.note("DNS_RR_bad_length", frame: frame); return false }
            return checkName(bytes, at: record.dataStart + 2, end: record.dataEnd, names: names, frame: frame, weirds: &weirds)
        case DNSType.srv:
            guard length >= 7 else { weirds.note("DNS_RR_bad_length", frame: frame); return false }
            return checkName(bytes, at: record.dataStart + 6, end: record.dataEnd, names: names, frame: frame, weirds: &weirds)
        case DNSType.soa:
            guard case .success(let mnameEnd) = names.skip(bytes, at: record.dataStart),
                  case .success(let rnameEnd) = names.skip(bytes, at: mnameEnd), rnameEnd + 20 <= record.dataEnd
            else {
                weirds.note("DNS_RR_bad_SOA", frame: frame)
                return false
            }
        case DNSType.txt, DNSType.spf:
            var offset = record.dataStart
            while offset < record.dataEnd {
                offset += 1 + Int(bytes[offset])
            }
            if offset != record.dataEnd { weirds.note("DNS_TXT_char_str_past_rdlen", frame: frame) }
        case DNSType.rrsig:
            guard length >= 19, case .success = names.skip(bytes, at: record.dataStart + 18) else {
                weirds.note("DNS_RR_bad_length", frame: frame)
                return false
            }
        default:
            break
        }
        return true
    }

    @inline(__always)
    private static func checkName(_ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int, names: DNSNameReader,
                                  frame: Int, weirds: inout WeirdLog) -> Bool {
        switch names.skip(bytes, at: offset) {
        case .success(let nameEnd):
            if nameEnd != end { weirds.note("DNS_RR_length_mismatch", frame: frame) }
            return true
        case .failure(let failure):
            weirds.note(failure.weird, frame: frame, detail: failure.detail)
            return false
        }
    }

    /// Whether Zeek counts this record as an answer (sets rtt, AA, RA): every type but the EDNS and TSIG pseudo-records.
    @inline(__always)
    static func isAnswer(_ type: UInt16) -> Bool { type != DNSType.opt && type != 250 }

    /// Writes the record's rendering to `out`; writes nothing for records Zeek shows as empty (WKS).
    @inline(__always)
    static func render<Target: RenderTarget>(_ record: DNSRecordHeader, in bytes: UnsafeRawBufferPointer, names: DNSNameReader,
                                             to out: inout Target) {
        let start = record.dataStart
        let length = record.dataEnd - start
        switch record.type {
        case DNSType.a where length == 4:
            out.address(IPAddress.read(bytes, at: start, v6: false))
        case DNSType.aaaa where length == 16:
            out.address(IPAddress.read(bytes, at: start, v6: true))
        case DNSType.ns, DNSType.cname, DNSType.ptr, DNSType.soa:
            name(bytes, at: start, names: names, to: &out)
        case DNSType.mx:
            name(bytes, at: start + 2, names: names, to: &out)
        case DNSType.srv:
            name(bytes, at: start + 6, names: names, to: &out)
        case DNSType.txt, DNSType.spf:
            var offset = start
            var first = true
            while offset < record.dataEnd {
                let n = min(Int(bytes[offset]), record.dataEnd - offset - 1)
                if !first { out.literal(" ") }
                first = false
                out.literal(record.type == DNSType.txt ? "TXT " : "SPF ")
                out.decimal(UInt64(n))
                out.literal(" ")
                out.data(bytes.slice(offset + 1, offset + 1 + n))
                offset += 1 + n
            }
        case DNSType.wks:
            break
        case DNSType.rrsig where length >= 19:
            out.literal("RRSIG ")
            out.decimal(UInt64(bytes.u16(start)))
            out.literal(" ")
            let mark = out.written
            name(bytes, at: start + 18, names: names, to: &out)
            if out.written == mark { out.literal("<Root>") }
        case DNSType.dnskey where length >= 4:
            out.literal("DNSKEY ")
            out.decimal(UInt64(bytes[start + 3]))
        case DNSType.nsec:
            out.literal("NSEC ")
            name(bytes, at: record.nameOffset, names: names, to: &out)
            out.literal(" ")
            name(bytes, at: start, names: names, to: &out)
        case DNSType.nsec3:
            out.literal("NSEC3")
        case DNSType.nsec3param:
            out.literal("NSEC3PARAM")
        case DNSType.ds where length >= 4:
            out.literal("DS ")
            out.decimal(UInt64(bytes[start + 2]))
            out.literal(" ")
            out.decimal(UInt64(bytes[start + 3]))
        case DNSType.binds:
            out.literal("BIND9 signing signal")
        case DNSType.sshfp where length >= 2:
            out.literal("SSHFP: ")
            let hex: StaticString = "0123456789abcdef"
            for i in (start + 2)..<record.dataEnd {
                out.data(byte: hex.utf8Start[Int(bytes[i] >> 4)])
                out.data(byte: hex.utf8Start[Int(bytes[i] & 0xF)])
            }
        case DNSType.svcb, DNSType.https:
            out.literal(record.type == DNSType.https ? "HTTPS " : "SVCB ")
            if length >= 3 {
                out.decimal(UInt64(bytes.u16(start)))
                out.literal(" ")
                let mark = out.written
                name(bytes, at: start + 2, names: names, to: &out)
                if out.written == mark { out.literal(".") }
            }
        default:
            out.literal("<unknown type=")
            out.decimal(UInt64(record.type))
            out.literal(">")
        }
    }

    /// A name, lower-cased, into the target (nothing when it cannot be read).
    @inline(__always)
    static func name<Target: RenderTarget>(_ bytes: UnsafeRawBufferPointer, at offset: Int, names: DNSNameReader, to out: inout Target) {
        var sink = RenderNameSink(target: out)
        _ = names.walk(bytes, at: offset, into: &sink)
        out = sink.target
    }
}
