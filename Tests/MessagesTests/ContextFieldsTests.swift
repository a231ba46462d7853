import MediationDomain
@testable import Messages
import Mustache
import Testing

/// The contexts answer Mustache by name (ContextFields.swift) rather than
/// by reflection; here reflection checks that every stored property, at
/// every depth, is answered, with the same value, and nothing else is.
@Suite struct ContextFieldsTests {
    @Test(arguments: MessageKind.allCases)
    func everyStoredPropertyIsAnsweredByNameWithItsValue(_ kind: MessageKind) {
        check(kind.sampleContext, path: kind.rawValue)
    }

    private func check(_ value: Any, path: String) {
        guard let parent = value as? any MustacheParent else {
            Issue.record("\(path): \(type(of: value)) does not answer Mustache by name")
            return
        }
        #expect(parent.child(named: "noSuchField") == nil, "\(path)")
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let stored = Self.unwrapped(child.value)
            let answered = parent.child(named: label)
            guard let stored else {
                #expect(answered == nil, "\(path).\(label) is absent but answered")
                continue
            }
            guard let answered else {
                Issue.record("\(path).\(label) is not answered by name")
                continue
            }
            switch Mirror(reflecting: stored).displayStyle {
            case .struct:
                check(answered, path: "\(path).\(label)")
            case .collection:
                let items = Mirror(reflecting: answered).children.map(\.value)
                let expected = Mirror(reflecting: stored).children.map(\.value)
                #expect(items.count == expected.count, "\(path).\(label)")
                for (n, item) in items.enumerated() where Mirror(reflecting: item).displayStyle == .struct {
                    check(item, path: "\(path).\(label)[\(n)]")
                }
                if items.allSatisfy({ Mirror(reflecting: $0).displayStyle != .struct }) {
                    #expect("\(items)" == "\(expected)", "\(path).\(label)")
                }
            default:
                #expect("\(answered)" == "\(stored)", "\(path).\(label)")
            }
        }
    }

    /// A present optional's value, `nil` for an absent one, anything else as it is.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map(\.value)
    }
}
