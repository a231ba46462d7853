import Foundation
import PostgresNIO
public import Store

extension PostgresStore: TableCopying {
    public func copyRows(_ table: StoredTable, after: [StoredCell]?, limit: Int) async throws(StoreError) -> [[StoredCell]] {
        let key = table.key.joined(separator: ", ")
        var binds = PostgresBindings()
        var filter = ""
        if let after {
            for cell in after { Self.bind(cell, &binds) }
            filter = "WHERE (\(key)) > (" + (1...after.count).map { "$\($0)" }.joined(separator: ", ") + ")"
        }
        let query = PostgresQuery(unsafeSQL: """
            SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) \(filter) ORDER BY \(key) LIMIT \(limit)
            """, binds: binds)
        return try await read("copy \(table.rawValue)") { session in
            try await session.rows(query) { row in
                try (0..<table.columns.count).map { index throws -> StoredCell in
                    let cell = row[index]
                    guard cell.bytes != nil else { return .null }
                    switch cell.dataType {
                    case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
                    default: return .text(try cell.decode(String.self))
                    }
                }
            }
        }
    }

    public func appendRows(_ table: StoredTable, _ rows: [[StoredCell]]) async throws(StoreError) {
        guard !rows.isEmpty else { return }
        let width = table.columns.count
        // Under PostgreSQL's 65,535 parameters a statement.
        for chunk in stride(from: 0, to: rows.count, by: 60_000 / width) {
            var binds = PostgresBindings()
            var values: [String] = []
            for row in rows[chunk..<min(chunk + 60_000 / width, rows.count)] {
                let first = binds.count
                for cell in row { Self.bind(cell, &binds) }
                values.append("(" + (1...width).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            }
            let query = PostgresQuery(unsafeSQL: """
                INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", "))
                """, binds: binds)
            try await write("copy into \(table.rawValue)") { session in try await session.run(query) }
        }
    }

    public func finishCopy() async throws(StoreError) {
        try await write("move counters on") { session in
            for table in StoredTable.allCases where table.hasCounter {
                try await session.run(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table.rawValue)', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL)
                    FROM \(table.rawValue)
                    """))
            }
        }
    }

    private static func bind(_ cell: StoredCell, _ binds: inout PostgresBindings) {
        switch cell {
        case .null: binds.appendNull()
        case .integer(let number): binds.append(number)
        case .text(let text): binds.append(text)
        }
    }
}
