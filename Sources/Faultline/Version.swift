/// Faultline's own version, recorded beside every case a batch stores.
public enum FaultlineVersion {
    public static let current = "0.12.0"
}
