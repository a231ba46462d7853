import Foundation
import Logging
import MediationDomain
import PostgresNIO
import Store

/// One connection lent to a piece of work, with the few shapes of query
/// the store runs: no rows, rows decoded by position, one value.
struct Session {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement, discarding any rows.
    func run(_ query: PostgresQuery) async throws {
        try await connection.query(query, logger: logger)
    }

    /// Every row, each read by `read` (cells by position).
    func rows<T>(_ query: PostgresQuery, _ read: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var out: [T] = []
        for try await row in try await connection.query(query, logger: logger) { out.append(try read(row.makeRandomAccess())) }
        return out
    }

    /// The first row, read by `read`; `nil` for none.
    func row<T>(_ query: PostgresQuery, _ read: (PostgresRandomAccessRow) throws -> T) async throws -> T? {
        try await rows(query, read).first
    }

    /// The first column of the first row; `nil` for no row or NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, _: T.Type) async throws -> T? where T._DecodableType == T {
        try await row(query) { try $0[0].decode(T?.self) } ?? nil
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ query: PostgresQuery, _: T.Type) async throws -> [T] {
        try await rows(query) { try $0[0].decode(T.self) }
    }

    /// Jobs, read from ``Columns/jobSQL``.
    func jobs(_ query: PostgresQuery) async throws -> [JobRow] {
        try await rows(query) { try Columns.jobRow($0) }
    }

    /// The one job a query returns, typed.
    func job(_ query: PostgresQuery) async throws -> Job? { try await jobs(query).first?.job() }

    /// Planned or cancelled calls, read from ``Columns/callSQL``.
    func calls(_ query: PostgresQuery) async throws -> [PrepCall] {
        try await rows(query) { row in
            guard let start = try row[3].decode(Int64?.self), let end = try row[4].decode(Int64?.self) else {
                throw StoreError(.database, "a call of \(try row[0].decode(String.self)) has no time")
            }
            return PrepCall(booking: try row[0].decode(String.self), mediator: try row[1].decode(String.self),
                            with: StoredValue.roles(try row[2].decode(String.self)), start: StoredValue.date(start), end: StoredValue.date(end))
        }
    }

    /// Bookings, read from `reference, body`.
    func bookings(_ query: PostgresQuery) async throws -> [Booking] {
        try await rows(query) { row in
            try StoredValue.booking(try row[1].decode(String.self), reference: try row[0].decode(String.self))
        }
    }

    /// Tells every instance listening that these jobs wait, in the open
    /// transaction (the message goes at commit, or not at all).
    func announce(_ jobs: [ScheduledJob]) async throws {
        guard !jobs.isEmpty else { return }
        try await run("SELECT pg_notify(\(Changes.channel), \(Changes.payload(jobs)))")
    }
}
