import Foundation
import MediationDomain

/// The booking parsers under a coverage-guided fuzzer (`make fuzz`): any
/// bytes must give bookings or a field-named error, never a crash or a
/// hang. Built with `-sanitize=fuzzer -D MDRS_FUZZ`, libFuzzer provides
/// `main`; built plainly, it replays the files it is given (a crash found
/// by the fuzzer becomes a one-line reproduction).
func parse(_ data: Data) {
    for name in ["fuzz.json", "fuzz.csv"] {
        do {
            _ = name.hasSuffix(".csv") ? try BookingCSV.parse(data, file: name, mediators: ["m.okafor"])
                                       : try BookingParser.parseJSON(data, file: name, mediators: ["m.okafor"])
        } catch {
            // Every rejection must name a field.
            precondition(error.errors.allSatisfy { !$0.field.isEmpty }, "an error without a field: \(error)")
        }
    }
}

#if MDRS_FUZZ
/// libFuzzer's entry for programs that have a `main` of their own (SwiftPM
/// gives every executable one), LLVM 11 and later.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

@main
struct BookingFuzz {
    static func main() throws {
        #if MDRS_FUZZ
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { bytes, count in
            parse(bytes.map { Data(bytes: $0, count: count) } ?? Data())
            return 0
        })
        #else
        for path in CommandLine.arguments.dropFirst() {
            parse(try Data(contentsOf: URL(fileURLWithPath: path)))
            print("ok: \(path)")
        }
        #endif
    }
}
