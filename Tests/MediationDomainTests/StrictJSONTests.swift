import Foundation
import MediationDomain
import Testing

@Suite struct StrictJSONTests {
    func parse(_ text: String, depth: Int = 16) throws(StrictJSON.Failure) -> JSONValue {
        try StrictJSON.parse(Data(text.utf8), maxDepth: depth)
    }

    @Test func readsWhatJSONAllows() throws {
        let value = try parse(#"﻿ {"a": [1, -2.5e3, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}} "#)
        #expect(value == .object(["a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\né😀")]),
                                  "b": .object([:])]))
    }

    @Test func aDuplicateKeyIsAnErrorNamingIt() {
        let error = #expect(throws: StrictJSON.Failure.self) { try parse(#"{"reference":"A","reference":"A-DUP"}"#) }
        #expect(error?.path == [.key("reference")] && error?.message.contains("twice") == true)
        let nested = #expect(throws: StrictJSON.Failure.self) { try parse(#"[{}, {"parties": [{"name": "a", "name": "b"}]}]"#) }
        #expect(nested?.path == [.index(1), .key("parties"), .index(0), .key("name")])
    }

    @Test(arguments: [
        (#"{"a": 01}"#, "may not start with 0"), (#"{"a": "x"#, "never closed"), ("{\"a\": \"\u{01}\"}", "control character"),
        (#"{"a": "\ud800"}"#, "lone surrogate"), (#"{"a": 1} x"#, "after the JSON value"), (#"{"a": tru}"#, "expected a value"),
        (#"{"a": 1e999}"#, "too large"), (#"{a: 1}"#, "key in quotes"), (#"[1,]"#, "expected a value"),
    ])
    func malformedDocumentsSayWhy(_ text: String, _ reason: String) {
        let error = #expect(throws: StrictJSON.Failure.self) { try parse(text) }
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func nestingIsBounded() throws {
        _ = try parse(String(repeating: "[", count: 16) + String(repeating: "]", count: 16))
        let error = #expect(throws: StrictJSON.Failure.self) {
            try parse(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        }
        #expect(error?.message.contains("nested more than 16") == true)
    }

    @Test func invalidUTF8IsAnError() {
        var bytes = Array(#"{"a": "x"#.utf8)
        bytes += [0xC3, 0x28, UInt8(ascii: "\""), UInt8(ascii: "}")]
        let error = #expect(throws: StrictJSON.Failure.self) { try StrictJSON.parse(Data(bytes)) }
        #expect(error?.message.contains("UTF-8") == true && error?.line == 1)
    }
}
