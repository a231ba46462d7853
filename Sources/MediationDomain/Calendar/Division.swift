/// The UK's bank-holiday divisions, named as GOV.UK names them.
public enum Division: String, Sendable, Codable, CaseIterable {
    /// The statutory calendar for SEND cases in England.
    case englandAndWales = "england-and-wales"
    case scotland
    case northernIreland = "northern-ireland"
}
