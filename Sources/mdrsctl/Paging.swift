/// Walks a listing page by page, so no command holds every row: `fetch`
/// gets up to `want` rows after the last one seen, `body` takes each row.
/// - Parameter limit: how many rows in all; `nil` for every row.
func forEachRow<Row>(limit: Int?, pageSize: Int = 500, fetch: (_ after: Row?, _ want: Int) async throws -> [Row],
                     _ body: (Row) throws -> Void) async throws {
    var last: Row?
    var left = limit ?? .max
    while left > 0 {
        let want = min(pageSize, left)
        let page = try await fetch(last, want)
        for row in page { try body(row) }
        left -= page.count
        guard page.count == want, let end = page.last else { return }
        last = end
    }
}
