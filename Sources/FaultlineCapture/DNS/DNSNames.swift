/// Record type numbers the decoders treat specially.
public enum DNSType {
    public static let a: UInt16 = 1
    public static let ns: UInt16 = 2
    public static let cname: UInt16 = 5
    public static let soa: UInt16 = 6
    public static let wks: UInt16 = 11
    public static let ptr: UInt16 = 12
    public static let mx: UInt16 = 15
    public static let txt: UInt16 = 16
    public static let aaaa: UInt16 = 28
    public static let srv: UInt16 = 33
    public static let a6: UInt16 = 38
    public static let opt: UInt16 = 41
    public static let ds: UInt16 = 43
    public static let sshfp: UInt16 = 44
    public static let rrsig: UInt16 = 46
    public static let nsec: UInt16 = 47
    public static let dnskey: UInt16 = 48
    public static let nsec3: UInt16 = 50
    public static let nsec3param: UInt16 = 51
    public static let svcb: UInt16 = 64
    public static let https: UInt16 = 65
    public static let spf: UInt16 = 99
    public static let binds: UInt16 = 65534
}

/// Mnemonics for types, classes, rcodes and opcodes, as Zeek's `dns.log` spells them.
public enum DNSNames {
    /// `A`, `AAAA`, …; a type without a mnemonic is `TYPE<n>` (RFC 3597).
    public static func type(_ value: UInt16) -> String {
        Int(value) < types.count && !types[Int(value)].isEmpty ? types[Int(value)] : (extraTypes[value] ?? "TYPE\(value)")
    }

    private static let types: [String] = {
        var t = [String](repeating: "", count: 110)
        let named: [(Int, String)] = [
            (1, "A"), (2, "NS"), (3, "MD"), (4, "MF"), (5, "CNAME"), (6, "SOA"), (7, "MB"), (8, "MG"), (9, "MR"),
            (10, "NULL"), (11, "WKS"), (12, "PTR"), (13, "HINFO"), (14, "MINFO"), (15, "MX"), (16, "TXT"),
            (17, "RP"), (18, "AFSDB"), (19, "X25"), (20, "ISDN"), (21, "RT"), (22, "NSAP"), (23, "NSAP-PTR"),
            (24, "SIG"), (25, "KEY"), (26, "PX"), (27, "GPOS"), (28, "AAAA"), (29, "LOC"), (30, "NXT"), (31, "EID"),
            (32, "NIMLOC"), (33, "SRV"), (34, "ATMA"), (35, "NAPTR"), (36, "KX"), (37, "CERT"), (38, "A6"),
            (39, "DNAME"), (40, "SINK"), (41, "OPT"), (42, "APL"), (43, "DS"), (44, "SSHFP"), (45, "IPSECKEY"),
            (46, "RRSIG"), (47, "NSEC"), (48, "DNSKEY"), (49, "DHCID"), (50, "NSEC3"), (51, "NSEC3PARAM"),
            (52, "TLSA"), (53, "SMIMEA"), (55, "HIP"), (59, "CDS"), (60, "CDNSKEY"), (61, "OPENPGPKEY"),
            (62, "CSYNC"), (63, "ZONEMD"), (64, "SVCB"), (65, "HTTPS"), (99, "SPF"), (100, "UINFO"), (101, "UID"),
            (102, "GID"), (103, "UNSPEC"), (104, "NID"), (105, "L32"), (106, "L64"), (107, "LP"), (108, "EUI48"),
            (109, "EUI64"),
        ]
        for (n, name) in named { t[n] = name }
        return t
    }()

    private static let extraTypes: [UInt16: String] = [
        249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "*",
        256: "URI", 257: "CAA", 32768: "TA", 32769: "DLV",
    ]

    /// `type(_:)` as bytes, cached for the first 256 types (what the record printer writes).
    static let typeBytes: [[UInt8]] = (0..<256).map { Array(type(UInt16($0)).utf8) }
    static let rcodeBytes: [[UInt8]] = (0..<32).map { Array(rcode(UInt16($0)).utf8) }

    /// `C_INTERNET`, … (Zeek's `DNS::classes`).
    public static func qclass(_ value: UInt16) -> String {
        switch value {
        case 1: "C_INTERNET"
        case 2: "C_CSNET"
        case 3: "C_CHAOS"
        case 4: "C_HESOD"
        case 254: "C_NONE"
        case 255: "C_ANY"
        default: "qclass-\(value)"
        }
    }

    /// `NOERROR`, `NXDOMAIN`, … (Zeek's `DNS::base_errors`, with the extended codes).
    public static func rcode(_ value: UInt16) -> String {
        switch value {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 6: "YXDOMAIN"
        case 7: "YXRRSET"
        case 8: "NXRRSet"
        case 9: "NOTAUTH"
        case 10: "NOTZONE"
        case 16: "BADVERS"
        case 17: "BADKEY"
        case 18: "BADTIME"
        case 19: "BADMODE"
        case 20: "BADNAME"
        case 21: "BADALG"
        case 22: "BADTRUNC"
        case 23: "BADCOOKIE"
        default: "RCODE\(value)"
        }
    }

    /// `query`, `notify`, … (Zeek's `DNS::opcodes`).
    public static func opcode(_ value: UInt8) -> String {
        switch value {
        case 0: "query"
        case 1: "iquery"
        case 2: "status"
        case 4: "notify"
        case 5: "dynamic-update"
        default: "opcode-\(value)"
        }
    }
}
