public import FaultlineCore

/// Where a piece of evidence is, as people read it: `build.log:31`, `dns.pcap frame 17`.
extension Evidence {
    /// `input:line`, `input frame N`, or the input alone (raw, not escaped).
    public var place: String {
        var place = input
        if let line { place += ":\(line)" }
        if let frame { place += " frame \(frame)" }
        return place
    }
}
