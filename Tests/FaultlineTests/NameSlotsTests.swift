import Testing
@testable import FaultlineCapture

/// The tracker's name slots: every name held reads back as stored, through reuse of freed
/// slots and growth past the first thousand.
@Suite("Name slots of open queries")
struct NameSlotsTests {
    @Test("names read back as stored while slots are freed, reused and the store grows")
    func roundTrip() {
        var slots = NameSlots()
        var held: [(slot: Int32, name: [UInt8])] = []
        var live: Set<Int32> = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5000 {
            if !held.isEmpty, round % 3 == 0 {
                let index = Int.random(in: 0..<held.count, using: &generator)
                let freed = held.remove(at: index).slot
                live.remove(freed)
                slots.release(freed)
            }
            let name = Array("n\(round).example.test".utf8.prefix(DNSName.inlineCapacity))
            let slot = name.withUnsafeBytes { slots.store($0) }
            #expect(live.insert(slot).inserted, "slot \(slot) handed out twice")
            held.append((slot, name))
        }
        for (slot, name) in held {
            #expect(Array(slots.bytes(slot, count: name.count)) == name)
        }
    }
}
