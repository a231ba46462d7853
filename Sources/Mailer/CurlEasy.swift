import CCurl
import CCurlShim
import Foundation

/// One libcurl easy handle. Kept for the transport's life so libcurl keeps
/// the SMTP connection open between messages. Not thread-safe: its owner
/// serialises every call.
final class CurlEasy {
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init() throws(DeliveryError) {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { throw DeliveryError(.configuration, message: "curl_easy_init failed") }
        self.handle = handle
    }

    deinit {
        freeLists()
        curl_easy_cleanup(handle)
    }

    func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
        try check(mdrs_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String?) throws(DeliveryError) {
        // libcurl copies string options, so the temporary C string may go.
        let code = value.map { mdrs_curl_setopt_string(handle, option, $0) } ?? mdrs_curl_setopt_string(handle, option, nil)
        try check(code, option)
    }

    func set(_ option: CURLoption, list values: [String]) throws(DeliveryError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        if let list { lists.append(list) }
        try check(mdrs_curl_setopt_slist(handle, option, list), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(DeliveryError) {
        try check(mdrs_curl_setopt_pointer(handle, option, pointer), option)
    }

    /// Lists must outlive the transfer that uses them; freed after it.
    func freeLists() {
        for list in lists { curl_slist_free_all(list) }
        lists.removeAll()
    }

    func responseCode() -> Int {
        var code = 0
        _ = mdrs_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(DeliveryError) {
        guard code == CURLE_OK else {
            throw DeliveryError(.configuration, message: "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
