/// One DNS message, checked section by section over borrowed bytes: where the
/// question and each section start, how many records of each were sound, and
/// the EDNS OPT record. Nothing is copied; the records are read again from
/// `bytes` when rendered (`DNSRecordIterator`), so the view lives only as long
/// as the packet it was made from.
public struct DNSMessage {
    public let bytes: UnsafeRawBufferPointer
    public let header: DNSHeader
    // Offsets and counts are kept in 32 bits (a message is at most 65,535 bytes): a message is
    // built on three threads per transaction, and a smaller one is cheaper to write and pass.
    private var questionAt: Int32 = -1
    private var answerAt = Int32(DNSHeader.length)
    private var answersSound: Int32 = 0
    private var firstAnswerAt: Int32 = -1
    private var authorityAt = Int32(DNSHeader.length)
    private var authoritySound: Int32 = 0
    private var additionalSound: Int32 = 0
    public private(set) var questionType: UInt16 = 0
    public private(set) var questionClass: UInt16 = 0
    public private(set) var edns: EDNSInfo?

    /// Offset of the first question's name, when there is one.
    public var questionOffset: Int? { questionAt < 0 ? nil : Int(questionAt) }
    public var answerOffset: Int { Int(answerAt) }
    /// Answer records that decoded cleanly (decoding stops at the first bad one, as Zeek's does).
    public var answersParsed: Int { Int(answersSound) }
    /// Where the first sound answer-section record that Zeek counts as an answer starts (not OPT or TSIG).
    var firstAnswerOwner: Int? { firstAnswerAt < 0 ? nil : Int(firstAnswerAt) }
    public var authorityOffset: Int { Int(authorityAt) }
    public var authorityParsed: Int { Int(authoritySound) }
    public var additionalParsed: Int { Int(additionalSound) }
    /// Every section decoded cleanly.
    public private(set) var isComplete = false
    /// Every question decoded cleanly.
    private(set) var questionsDecoded = false

    /// The response code, extended by the OPT record's upper bits (RFC 6891).
    public var rcode: UInt16 { header.headerRcode | UInt16(edns?.extendedRcode ?? 0) << 4 }

    /// Decodes `bytes`; problems are noted in `weirds` against `frame`.
    /// Returns nil only when there is not even a header.
    ///
    /// With `questionOnly` it stops after the questions (the records are checked later, by
    /// whoever prints them); `isComplete` is then false and the records are not counted.
    init?(_ bytes: UnsafeRawBufferPointer, names: DNSNameReader, frame: Int, weirds: inout WeirdLog, questionOnly: Bool = false) {
        guard Self.hasHeader(bytes, frame: frame, weirds: &weirds) else { return nil }
        self.init(header: bytes)
        decode(names: names, frame: frame, weirds: &weirds, questionOnly: questionOnly)
    }

    /// Whether `bytes` hold at least a header (a weird is noted when not).
    @inline(__always)
    static func hasHeader(_ bytes: UnsafeRawBufferPointer, frame: Int, weirds: inout WeirdLog) -> Bool {
        guard bytes.count >= DNSHeader.length else {
            weirds.note("DNS_truncated_len_lt_hdr_len", frame: frame)
            return false
        }
        return true
    }

    /// The header of `bytes` (at least `DNSHeader.length` of them), nothing decoded past it yet:
    /// `decode` does the rest in place, so a caller decoding into its own variable makes no copy
    /// of the finished message (copying one just written stalls on store forwarding).
    @inline(__always)
    init(header bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        header = DNSHeader(bytes)
    }

    /// Where a decode found the first question and the answers: all the pairing needs of a message
    /// decoded to its question, carried to another thread beside the message's bytes.
    struct QuestionPart: Sendable {
        var questionOffset: Int32
        var questionType: UInt16
        var questionClass: UInt16
        var answerOffset: Int32
        /// Every question decoded cleanly (the records start at `answerOffset`).
        var complete = false
    }

    var questionPart: QuestionPart {
        QuestionPart(questionOffset: questionAt, questionType: questionType, questionClass: questionClass, answerOffset: answerAt,
                     complete: questionsDecoded)
    }

    /// The message over `bytes` (a copy of the ones `part` was decoded from) as a question-only decode left it.
    @inline(__always)
    init(header bytes: UnsafeRawBufferPointer, _ part: QuestionPart) {
        self.init(header: bytes)
        questionAt = part.questionOffset
        questionType = part.questionType
        questionClass = part.questionClass
        answerAt = part.answerOffset
        questionsDecoded = part.complete
    }

    /// What a whole decode found past the questions: the rest of a message's state, carried to
    /// another thread beside a copy of its bytes and its `QuestionPart` (`PayloadReadAhead`).
    struct RecordPart: Sendable {
        var answersSound: Int32 = 0
        var firstAnswerAt: Int32 = -1
        var authorityAt = Int32(DNSHeader.length)
        var authoritySound: Int32 = 0
        var additionalSound: Int32 = 0
        var edns: EDNSInfo?
        var isComplete = false
    }

    var recordPart: RecordPart {
        RecordPart(answersSound: answersSound, firstAnswerAt: firstAnswerAt, authorityAt: authorityAt,
                   authoritySound: authoritySound, additionalSound: additionalSound, edns: edns, isComplete: isComplete)
    }

    /// The message over `bytes` (a copy of the ones decoded) as a whole decode left it.
    @inline(__always)
    init(header bytes: UnsafeRawBufferPointer, _ part: QuestionPart, _ records: RecordPart) {
        self.init(header: bytes, part)
        answersSound = records.answersSound
        firstAnswerAt = records.firstAnswerAt
        authorityAt = records.authorityAt
        authoritySound = records.authoritySound
        additionalSound = records.additionalSound
        edns = records.edns
        isComplete = records.isComplete
    }

    /// The sections after the header, as `init(_:names:frame:weirds:questionOnly:)` decodes them.
    mutating func decode(names: DNSNameReader, frame: Int, weirds: inout WeirdLog, questionOnly: Bool = false,
                         firstName: UnsafeMutablePointer<RawNameCollector>? = nil) {
        var none = DNSRecordHeaderList.none
        decode(names: names, frame: frame, weirds: &weirds, questionOnly: questionOnly, answers: &none, firstName: firstName)
    }

    /// `decode`, keeping the sound answer-section records in `answers` for whoever prints them.
    /// With `firstName`, the first question's name is collected into it on the way (see
    /// `RawNameCollector`): one walk of it instead of this one and `questionName`'s.
    @inline(__always)
    mutating func decode(names: DNSNameReader, frame: Int, weirds: inout WeirdLog, questionOnly: Bool = false,
                         answers: inout DNSRecordHeaderList, firstName: UnsafeMutablePointer<RawNameCollector>? = nil) {
        var offset = DNSHeader.length
        // Questions.
        for index in 0..<Int(header.questionCount) {
            let end: Int
            let walked = index == 0 && firstName != nil ? names.walk(bytes, at: offset, into: &firstName.unsafelyUnwrapped.pointee)
                : names.skip(bytes, at: offset)
            switch walked {
            case .success(let e):
                end = e
            case .failure(.tooLong):
                // Longer than 255 bytes: noted, and the question still read (its type, class and the
                // name's first 255 bytes, `questionName`), the name's end found past the limit.
                weirds.note(DNSNameReader.Failure.tooLong.weird, frame: frame)
                var none = NoNameSink()
                guard case .success(let e) = names.walk(bytes, at: offset, into: &none, cutLong: true) else { return }
                end = e
            case .failure(let failure):
                weirds.note(failure.weird, frame: frame, detail: failure.detail)
                return
            }
            // Offsets within a message (at most 65,535 bytes): unchecked arithmetic.
            guard end &+ 4 <= bytes.count else {
                weirds.note("DNS_truncated_quest_too_short", frame: frame)
                return
            }
            if index == 0 {
                questionAt = Int32(truncatingIfNeeded: offset)
                questionType = bytes.u16(end)
                questionClass = bytes.u16(end &+ 2)
            }
            offset = end &+ 4
        }
        answerAt = Int32(truncatingIfNeeded: offset)
        questionsDecoded = true
        if questionOnly { return }
        decodeRecords(names: names, frame: frame, weirds: &weirds, answers: &answers)
    }

    /// The three record sections, from `answerOffset`: what `decode` adds once the questions are
    /// through — here, or on another thread for a message made with `init(header:_:)` from a
    /// complete `QuestionPart` (the questions are not walked again; their weirds were noted then).
    @inline(__always)
    mutating func decodeRecords(names: DNSNameReader, frame: Int, weirds: inout WeirdLog, answers: inout DNSRecordHeaderList) {
        var parsed = 0
        var firstAnswer: Int?
        let afterAnswers = Self.records(bytes, count: Int(header.answerCount), from: answerOffset, names: names,
                                        frame: frame, weirds: &weirds, parsed: &parsed, edns: &edns,
                                        firstAnswer: &firstAnswer, kept: &answers)
        answersSound = Int32(truncatingIfNeeded: parsed)
        firstAnswerAt = firstAnswer.map { Int32(truncatingIfNeeded: $0) } ?? -1
        guard let afterAnswers else { return }
        authorityAt = Int32(truncatingIfNeeded: afterAnswers)
        parsed = 0
        let afterAuthority = Self.records(bytes, count: Int(header.authorityCount), from: afterAnswers, names: names,
                                          frame: frame, weirds: &weirds, parsed: &parsed, edns: &edns)
        authoritySound = Int32(truncatingIfNeeded: parsed)
        guard let afterAuthority else { return }
        parsed = 0
        let end = Self.records(bytes, count: Int(header.additionalCount), from: afterAuthority, names: names,
                               frame: frame, weirds: &weirds, parsed: &parsed, edns: &edns)
        additionalSound = Int32(truncatingIfNeeded: parsed)
        guard end != nil else { return }
        isComplete = true
    }

    /// Checks `count` records from `offset`; returns the offset after them, or nil at the first bad one.
    private static func records(_ bytes: UnsafeRawBufferPointer, count: Int, from offset: Int, names: DNSNameReader,
                                frame: Int, weirds: inout WeirdLog, parsed: inout Int, edns: inout EDNSInfo?) -> Int? {
        var ignored: Int?
        var none = DNSRecordHeaderList.none
        return records(bytes, count: count, from: offset, names: names, frame: frame, weirds: &weirds, parsed: &parsed, edns: &edns,
                       firstAnswer: &ignored, kept: &none)
    }

    /// `records`, noting where the first record that counts as an answer starts, and keeping the sound ones in `kept`.
    @inline(__always)
    private static func records(_ bytes: UnsafeRawBufferPointer, count: Int, from offset: Int, names: DNSNameReader,
                                frame: Int, weirds: inout WeirdLog, parsed: inout Int, edns: inout EDNSInfo?,
                                firstAnswer: inout Int?, kept: inout DNSRecordHeaderList) -> Int? {
        var offset = offset
        for _ in 0..<count {
            guard let record = DNSRecordHeader.read(bytes, at: offset, names: names, frame: frame, weirds: &weirds) else { return nil }
            guard DNSRecordData.check(record, in: bytes, names: names, frame: frame, weirds: &weirds) else { return nil }
            if record.type == DNSType.opt, edns == nil {
                edns = EDNSInfo(record, in: bytes, frame: frame, weirds: &weirds)
            }
            if firstAnswer == nil, DNSRecordData.isAnswer(record.type) { firstAnswer = record.nameOffset }
            if kept.capacity > 0 { kept.append(record) }
            parsed &+= 1
            offset = record.dataEnd
        }
        return offset
    }

    /// The first question's name, lower-cased, and its original spelling when that differs.
    public func questionName(_ names: DNSNameReader) -> (name: DNSName, original: [UInt8]?)? {
        guard let questionOffset else { return nil }
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let fast: (walked: Bool, name: DNSName, sawUppercase: Bool)? = withUnsafeMutableBytes(of: &scratch) { raw in
            guard let base = raw.baseAddress else { return nil }
            var sink = RawNameCollector(base: base)
            switch names.walk(bytes, at: questionOffset, into: &sink) {
            case .success: break
            case .failure(.tooLong): return nil  // cut at the limit below
            case .failure: return (false, DNSName(), false)
            }
            if sink.tooLong { return nil }
            let (name, sawUppercase) = sink.finish()
            return (true, name, sawUppercase)
        }
        if let fast {
            guard fast.walked else { return nil }
            if fast.sawUppercase { return (fast.name, names.text(bytes, at: questionOffset, lowercase: false)) }
            return (fast.name, nil)
        }
        // A name longer than 255 bytes is kept cut at the limit (its weird was noted by `decode`).
        var sink = DNSNameCollector()
        guard case .success = names.walk(bytes, at: questionOffset, into: &sink, cutLong: true) else { return nil }
        if sink.sawUppercase {
            var original = DNSNameText(lowercase: false)
            _ = names.walk(bytes, at: questionOffset, into: &original, cutLong: true)
            return (sink.name, original.bytes)
        }
        return (sink.name, nil)
    }

    /// The answer records that decoded cleanly, in order.
    public func answers(_ names: DNSNameReader) -> DNSRecordIterator {
        DNSRecordIterator(bytes: bytes, offset: answerOffset, remaining: answersParsed, names: names)
    }

    /// The authority records that decoded cleanly, in order.
    public func authority(_ names: DNSNameReader) -> DNSRecordIterator {
        DNSRecordIterator(bytes: bytes, offset: authorityOffset, remaining: authorityParsed, names: names)
    }
}

/// The fixed part of a resource record and where its data lies.
public struct DNSRecordHeader {
    public var nameOffset: Int
    public var type: UInt16
    public var rrClass: UInt16
    public var ttl: UInt32
    public var dataStart: Int
    public var dataEnd: Int

    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int, names: DNSNameReader,
                     frame: Int, weirds: inout WeirdLog) -> DNSRecordHeader? {
        let end: Int
        switch names.skip(bytes, at: offset) {
        case .success(let e): end = e
        case .failure(let failure):
            weirds.note(failure.weird, frame: frame, detail: failure.detail)
            return nil
        }
        // Offsets within a message (at most 65,535 bytes): unchecked arithmetic.
        guard end &+ 10 <= bytes.count else {
            weirds.note("DNS_truncated_ans_too_short", frame: frame)
            return nil
        }
        let length = Int(bytes.u16(end &+ 8))
        guard end &+ 10 &+ length <= bytes.count else {
            weirds.note("DNS_truncated_RR_rdlength_lt_len", frame: frame)
            return nil
        }
        return DNSRecordHeader(nameOffset: offset, type: bytes.u16(end), rrClass: bytes.u16(end &+ 2), ttl: bytes.u32(end &+ 4),
                               dataStart: end &+ 10, dataEnd: end &+ 10 &+ length)
    }
}

extension DNSRecordHeader {
    /// `read` for a record `DNSMessage` already checked: no weirds to note (nil all the same if it cannot be read).
    @inline(__always)
    static func reread(_ bytes: UnsafeRawBufferPointer, at offset: Int, names: DNSNameReader) -> DNSRecordHeader? {
        guard case .success(let end) = names.skip(bytes, at: offset), end &+ 10 <= bytes.count else { return nil }
        let length = Int(bytes.u16(end &+ 8))
        guard end &+ 10 &+ length <= bytes.count else { return nil }
        return DNSRecordHeader(nameOffset: offset, type: bytes.u16(end), rrClass: bytes.u16(end &+ 2), ttl: bytes.u32(end &+ 4),
                               dataStart: end &+ 10, dataEnd: end &+ 10 &+ length)
    }
}

/// Walks records that `DNSMessage` already checked.
public struct DNSRecordIterator: IteratorProtocol, Sequence {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    var remaining: Int
    let names: DNSNameReader

    public mutating func next() -> DNSRecordHeader? {
        guard remaining > 0, let record = DNSRecordHeader.reread(bytes, at: offset, names: names) else { return nil }
        remaining -= 1
        offset = record.dataEnd
        return record
    }
}

/// The EDNS(0) OPT pseudo-record (RFC 6891): payload size, extended rcode, version, DO bit.
public struct EDNSInfo: Sendable {
    public var udpPayloadSize: UInt16
    public var extendedRcode: UInt8
    public var version: UInt8
    public var dnssecOK: Bool
    /// How many options the record carries.
    public var optionCount = 0

    /// Reads the OPT record and checks its options (Client Subnet per Zeek's rules).
    init(_ record: DNSRecordHeader, in bytes: UnsafeRawBufferPointer, frame: Int, weirds: inout WeirdLog) {
        udpPayloadSize = record.rrClass
        extendedRcode = UInt8(record.ttl >> 24)
        version = UInt8((record.ttl >> 16) & 0xFF)
        dnssecOK = record.ttl & 0x8000 != 0
        var offset = record.dataStart
        while offset < record.dataEnd {
            guard offset + 4 <= record.dataEnd else {
                weirds.note("EDNS_truncated_option", frame: frame)
                return
            }
            let code = bytes.u16(offset)
            let length = Int(bytes.u16(offset + 2))
            let start = offset + 4
            guard start + length <= record.dataEnd else {
                weirds.note("EDNS_truncated_option", frame: frame)
                return
            }
            optionCount += 1
            if code == 8 { Self.checkClientSubnet(bytes, start: start, length: length, frame: frame, weirds: &weirds) }
            offset = start + length
        }
    }

    private static func checkClientSubnet(_ bytes: UnsafeRawBufferPointer, start: Int, length: Int,
                                          frame: Int, weirds: inout WeirdLog) {
        guard length > 4 else {
            weirds.note("EDNS_ECS_invalid_option_len", frame: frame)
            return
        }
        let family = bytes.u16(start)
        let prefix = Int(bytes[start + 2])
        let addressBits = (length - 4) * 8
        switch family {
        case 1:
            if prefix > 32 {
                weirds.note("EDNS_ECS_invalid_addr_v4_prefix", frame: frame, detail: "\(prefix) bits")
            } else if prefix > addressBits {
                weirds.note("EDNS_ECS_invalid_addr_v4", frame: frame, detail: "need \(prefix) bits, have \(addressBits) bits")
            }
        case 2:
            if prefix > 128 {
                weirds.note("EDNS_ECS_invalid_addr_v6_prefix", frame: frame, detail: "\(prefix) bits")
            } else if prefix > addressBits {
                weirds.note("EDNS_ECS_invalid_addr_v6", frame: frame, detail: "need \(prefix) bits, have \(addressBits) bits")
            }
        default:
            break
        }
    }
}
