import ArgumentParser
import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// `faultline dns CAPTURE…`: the DNS transactions of packet captures, one record each.
struct DNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "List the DNS transactions in pcap or pcapng captures.",
        discussion: """
        Each CAPTURE is a pcap or pcapng file (read through libpcap), compressed (gzip, xz, zstd, lz4, bzip2) or not, or - \
        for standard input (`tcpdump -w - | faultline dns -`). \
        Every query is paired with its response by connection and id; a query with no answer \
        within --timeout seconds is given up, and reported with "unanswered": true unless an answer \
        comes within one more timeout (then it is one record, marked "late").

        --format ndjson prints one JSON object per transaction with Zeek dns.log's field names \
        (ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto, trans_id, rtt, query, qclass, \
        qclass_name, qtype, qtype_name, rcode, rcode_name, AA, TC, RD, RA, Z, answers, TTLs, \
        rejected), plus rtt for every paired response, unanswered, retransmissions, duplicate, \
        late, multicast, icmp, tc_retry_of, header_rcode (the header's 4 bits where rcode, RFC 6891's \
        12-bit value, differs), response_rd (a response whose query was not seen: its own RD bit, \
        where RD stays false as in Zeek) and the frame numbers. --format text prints one line each. \
        --format zeek writes Zeek's own TSV dns.log (#separator, #fields, #types header lines, - for \
        unset, (empty) for an empty set) for zeek-cut and other Zeek tooling.

        Malformed, cut or oddly checksummed packets, and frames not read (not IP, a link type or \
        tunnel not decoded), are reported on standard error with their frame numbers and counts; \
        the rest of the capture is still read.

        Exit status: 0 every capture was read; 2 bad usage; 3 a capture could not be read to its end.
        """
    )

    @Argument(help: ArgumentHelp("pcap or pcapng captures (.gz, .xz, .zst, .lz4 too), or - for standard input.", valueName: "capture"))
    var captures: [String]

    @Option(help: "Output: ndjson (one JSON object per transaction), text (one line each) or zeek (Zeek's TSV dns.log).")
    var format: String = "ndjson"

    @Option(help: "Seconds to wait for an answer before a query is reported unanswered.")
    var timeout: Double = 5

    @Option(help: "Compression pointers followed in one name before it is given up (Zeek's default is 20).")
    var maxCompressionDepth: Int = 20

    @Flag(help: "Skip packets whose IP, UDP or TCP checksum is wrong, as Zeek does without -C (by default they are decoded and only reported).")
    var verifyChecksums = false

    @Flag(name: .shortAndLong, help: "Do not report malformed packets on standard error.")
    var quiet = false

    func validate() throws {
        if captures.isEmpty { throw ValidationError("name at least one capture, or - for standard input") }
        if captures.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be named only once") }
        if !DNSLog.formats.contains(format) { throw ValidationError("--format must be one of: \(DNSLog.formats.joined(separator: ", "))") }
        if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        if !(1...255).contains(maxCompressionDepth) { throw ValidationError("--max-compression-depth must be between 1 and 255") }
    }

    func run() throws {
        let outcomes = DNSLog.write(paths: captures, format: format, timeoutSeconds: timeout,
                                    maxCompressionDepth: maxCompressionDepth, dropBadChecksums: verifyChecksums) { bytes in
            StandardOutput.write(UnsafeRawBufferPointer(bytes))
        }
        for outcome in outcomes where !quiet || outcome.failed {
            for diagnostic in outcome.diagnostics where !quiet || diagnostic.severity == .error {
                printError(diagnostic.description)
            }
        }
        if outcomes.contains(where: \.failed) { throw ExitCode(3) }
    }
}
