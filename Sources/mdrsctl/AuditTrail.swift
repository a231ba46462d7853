import Foundation
import Glibc
import Store

/// Who is running mdrsctl, for the audit trail: the user who ran sudo
/// when there is one, else the invoking user.
enum Invoker {
    static var name: String {
        let environment = ProcessInfo.processInfo.environment
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty { return sudo }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "uid \(geteuid())"
    }
}

extension MDRSStore {
    /// Appends an administrative act by the invoker; an act that was done
    /// but could not be recorded is said on stderr, not undone.
    func record(_ action: String, _ target: String) async {
        do {
            try await audit(AuditEntry(at: Date(), actor: Invoker.name, action: action, target: target))
        } catch {
            FileHandle.standardError.write(Data("warning: not recorded in the audit trail: \(error)\n".utf8))
        }
    }
}
