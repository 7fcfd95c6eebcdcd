import Testing
@testable import FaultlineCapture

/// The tables the end-of-capture judgement reads instead of hashing strings: the tallies' names
/// by their bytes, search-list cuts made on bytes, and the ring of recent answers an ICMP error
/// is matched against.
@Suite("Judgement tables: known names, search-list cuts, recent answers")
struct JudgementTablesTests {
    private func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        Array(text.utf8).withUnsafeBytes(body)
    }

    @Test("a name held at several resolvers is found by its bytes, every tally index of it in order")
    func knownNames() {
        let names = ["proxy.golang.org", "github.com", "proxy.golang.org", "proxy.golang", "github.com", "proxy.golang.org"]
        let known = KnownNames(names)
        #expect(known.count == 6)
        #expect(withBytes("proxy.golang.org") { known.indices(of: $0) } == [0, 2, 5])
        #expect(known.same(as: 5) == [0, 2, 5])
        #expect(known.same(as: 4) == [1, 4])
        #expect(known.same(as: 3) == [3])
        #expect(withBytes("proxy.golang") { known.contains($0) })
        #expect(!withBytes("proxy.golang.or") { known.contains($0) })
        #expect(!withBytes("") { known.contains($0) })
        #expect(known.withName(1) { String(decoding: $0, as: UTF8.self) } == "github.com")
    }

    @Test("many distinct names, each found once: the table grows past its first size without losing one")
    func manyNames() {
        let names = (0..<5000).map { "host\($0).svc.cluster.local" }
        let known = KnownNames(names + names.prefix(10))
        for (index, name) in names.enumerated() {
            let expected = index < 10 ? [index, 5000 + index] : [index]
            #expect(withBytes(name) { known.indices(of: $0) } == expected)
        }
    }

    @Test("search-list cuts on bytes: a top-level label or a known bare name ends the base; a country code is no suffix")
    func searchCuts() {
        let known = KnownNames(["vault.internal"])
        func cut(_ name: String) -> String? {
            withBytes(name) { bytes in
                SearchSuffix.split(bytes, isKnown: { known.contains($0) }).map { String(decoding: bytes[..<$0], as: UTF8.self) }
            }
        }
        #expect(cut("proxy.golang.org.default.svc.cluster.local") == "proxy.golang.org")
        #expect(cut("github.com.corp.example") == "github.com")
        #expect(cut("vault.internal.corp.example") == "vault.internal")
        #expect(cut("google.com.au") == nil)
        #expect(cut("www.google.com.au") == nil)
        #expect(cut("api.github.com") == nil)
        #expect(cut("a..b.com") == nil)
        #expect(cut(".github.com.corp") == nil)
        #expect(cut("github.com.corp.") == nil)
        #expect(cut("github.com") == nil)
    }

    @Test("recent answers: the newest value of a key wins, and a key older than the ring's size is gone")
    func recentKeys() {
        var ring = RecentKeys<Int, String>(capacity: 4)
        ring.record(7, hash: 70, value: "first")
        ring.record(8, hash: 80, value: "eight")
        ring.record(7, hash: 70, value: "second")
        #expect(ring.find(7, hash: 70) == "second")
        #expect(ring.find(8, hash: 80) == "eight")
        #expect(ring.find(9, hash: 90) == nil)
        // Same hash, other key: not a match.
        #expect(ring.find(17, hash: 70) == nil)
        ring.record(1, hash: 10, value: "a")
        ring.record(2, hash: 20, value: "b")
        ring.record(3, hash: 30, value: "c")
        // Four kept: 7 ("second"), 1, 2, 3.
        #expect(ring.find(8, hash: 80) == nil)
        #expect(ring.find(7, hash: 70) == "second")
        ring.record(4, hash: 40, value: "d")
        #expect(ring.find(7, hash: 70) == nil)
        #expect(ring.find(1, hash: 10) == "a")
        #expect(ring.find(4, hash: 40) == "d")
    }

    @Test("frame lists: runs, pairs, duplicates and the limit read as before, without making the runs past it")
    func frameLists() {
        #expect(FrameList.text([]) == "no frames")
        #expect(FrameList.text([5, 5]) == "frame 5")
        #expect(FrameList.text([4, 1, 2, 3, 3]) == "frames 1–4")
        #expect(FrameList.text([9, 1, 3, 7, 8]) == "frames 1, 3, 7–9")
        #expect(FrameList.text([1, 2, 5]) == "frames 1, 2, 5")
        #expect(FrameList.text(Array(stride(from: 1, through: 25, by: 2)), limit: 12) == "frames 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, …")
        #expect(FrameList.text(Array(stride(from: 1, through: 23, by: 2)), limit: 12) == "frames 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23")
        // Against the plain way of writing them (every run made, then cut), on random lists.
        func plain(_ frames: [Int], limit: Int) -> String {
            let sorted = Array(Set(frames)).sorted()
            guard let first = sorted.first else { return "no frames" }
            if sorted.count == 1 { return "frame \(first)" }
            var parts: [String] = []
            var start = first
            var previous = first
            for frame in sorted.dropFirst() + [Int.max] {
                if frame == previous + 1 {
                    previous = frame
                    continue
                }
                parts.append(start == previous ? "\(start)" : previous == start + 1 ? "\(start), \(previous)" : "\(start)–\(previous)")
                start = frame
                previous = frame
            }
            return "frames " + parts.prefix(limit).joined(separator: ", ") + (parts.count > limit ? ", …" : "")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let frames = (0..<Int.random(in: 0...40, using: &generator)).map { _ in Int.random(in: 1...60, using: &generator) }
            let limit = Int.random(in: 1...14, using: &generator)
            #expect(FrameList.text(frames, limit: limit) == plain(frames, limit: limit), "\(frames) limit \(limit)")
        }
    }

    @Test("name table: every key found at the slot it was given, through the index's growth, none past capacity")
    func nameTable() {
        var table = NameTable<Int>(capacity: 5000)
        let server = Endpoint(address: IPAddress(ipv4: 0x0A60_000A), port: 53)
        let other = Endpoint(address: IPAddress(ipv4: 0x0808_0808), port: 53)
        func key(_ n: Int, _ at: Endpoint) -> NameKey { NameKey(name: Array("host\(n).svc.cluster.local".utf8), server: at) }
        for n in 0..<2000 {
            #expect(table.slot(for: key(n, server), make: { n }) == 2 * n)
            #expect(table.slot(for: key(n, other), make: { -n }) == 2 * n + 1)
        }
        for n in 0..<2000 {
            #expect(table.find(key(n, server)) == 2 * n)
            #expect(table.find(key(n, other)) == 2 * n + 1)
            #expect(table.values[2 * n] == n)
        }
        #expect(table.find(key(5000, server)) == nil)
        // Full at 5000: a new key gets no slot, a known one still finds its own.
        for n in 2000..<3000 { _ = table.slot(for: key(n, server), make: { n }) }
        #expect(table.count == 5000)
        #expect(table.slot(for: key(9999, server), make: { 0 }) == nil)
        #expect(table.slot(for: key(7, other), make: { 0 }) == 15)
        #expect(table.keys[15] == key(7, other))
    }
}
