import Foundation
import GRDB
public import Store

extension SQLiteStore: TableCopying {
    public func copyRows(_ table: StoredTable, after: [StoredCell]?, limit: Int) async throws(StoreError) -> [[StoredCell]] {
        try await read("copy \(table.rawValue)") { db in
            let key = table.key.joined(separator: ", ")
            let placeholders = table.key.map { _ in "?" }.joined(separator: ", ")
            let filter = after == nil ? "" : "WHERE (\(key)) > (\(placeholders))"
            let arguments = StatementArguments((after ?? []).map(Self.value)) + [limit]
            return try Row.fetchAll(db, sql: """
                SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) \(filter) ORDER BY \(key) LIMIT ?
                """, arguments: arguments).map { row in
                try row.databaseValues.map { value throws(StoreError) -> StoredCell in
                    switch value.storage {
                    case .null: return .null
                    case .int64(let number): return .integer(number)
                    case .string(let text): return .text(text)
                    default: throw StoreError(.database, "\(table.rawValue) holds a value that is neither a number nor text")
                    }
                }
            }
        }
    }

    public func appendRows(_ table: StoredTable, _ rows: [[StoredCell]]) async throws(StoreError) {
        try await write("copy into \(table.rawValue)") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) VALUES (\(table.columns.map { _ in "?" }.joined(separator: ", ")))
                """)
            for row in rows { try statement.execute(arguments: StatementArguments(row.map(Self.value))) }
        }
    }

    public func finishCopy() async throws(StoreError) {
        try await write("count copied jobs") { db in
            try db.execute(sql: "DELETE FROM job_count; INSERT INTO job_count SELECT state, COUNT(*) FROM job GROUP BY state")
        }
    }

    private static func value(_ cell: StoredCell) -> DatabaseValue {
        switch cell {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .text(let text): text.databaseValue
        }
    }
}
