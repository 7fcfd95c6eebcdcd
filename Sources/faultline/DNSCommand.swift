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
        Each CAPTURE is a pcap or pcapng file (read through libpcap), gzip-compressed or not, or - \
        for standard input (`tcpdump -w - | faultline dns -`). \
        Every query is paired with its response by connection and id; a query with no answer \
        within --timeout seconds is reported with "unanswered": true.

        --format ndjson prints one JSON object per transaction with Zeek dns.log's field names \
        (ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto, trans_id, rtt, query, qclass, \
        qclass_name, qtype, qtype_name, rcode, rcode_name, AA, TC, RD, RA, Z, answers, TTLs, \
        rejected), plus rtt for every paired response, unanswered, retransmissions, duplicate, \
        late, multicast, icmp, tc_retry_of and the frame numbers. --format text prints one line each.

        Malformed, cut or oddly checksummed packets are reported on standard error with their \
        frame numbers; the rest of the capture is still read.

        Exit status: 0 every capture was read; 2 bad usage; 3 a capture could not be read to its end.
        """
    )

    @Argument(help: ArgumentHelp("pcap or pcapng captures (.gz too), or - for standard input.", valueName: "capture"))
    var captures: [String]

    @Option(help: "Output: ndjson (one JSON object per transaction) or text (one line each).")
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
