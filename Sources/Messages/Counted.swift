/// A count with its noun, as a reader says it: "no calls", "1 call",
/// "2 calls" (nouns whose plural adds an s).
enum Counted {
    static func text(_ n: Int, _ noun: String) -> String {
        switch n {
        case 0: "no \(noun)s"
        case 1: "1 \(noun)"
        default: "\(n) \(noun)s"
        }
    }
}
