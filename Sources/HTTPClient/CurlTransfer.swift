import CCurl
import Foundation
import PosPlusCore

/// One blocking libcurl transfer: options in, response or typed error out.
final class CurlTransfer {
    private let request: HTTPRequest
    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    private var overLimit = false

    private let pool: CurlHandlePool

    init(_ request: HTTPRequest, pool: CurlHandlePool) {
        self.request = request
        self.pool = pool
    }

    func run() -> Result<HTTPResponse, HTTPClientError> {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            return .failure(.invalidURL(request.url))
        }
        guard let handle = pool.take() else { return .failure(.transport("curl_easy_init failed")) }
        var reusable = false
        defer { pool.give(handle, reusable: reusable) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        headerList = curl_slist_append(headerList, "Expect:")  // no 100-continue round trip

        let this = Unmanaged.passUnretained(self).toOpaque()
        ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout.wholeMilliseconds))
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.wholeMilliseconds))
        ccurl_setopt_long(handle, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, this)
        ccurl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveBody(data, size * count)
        }
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, this)
        ccurl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveHeader(data, size * count)
        }
        switch request.method {
        case .get: ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .post: ccurl_setopt_long(handle, CURLOPT_POST, 1)
        case .put, .delete: ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let payload = request.body ?? (request.method == .post ? [] : nil) {
            // Size first, then COPYPOSTFIELDS: curl copies the bytes, so nothing must outlive this call.
            ccurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count))
            var copy = payload.isEmpty ? [0] : payload
            copy.withUnsafeMutableBytes { bytes in _ = ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress) }
        }
        let code = curl_easy_perform(handle)
        if code != CURLE_OK { return .failure(error(for: code, url: request.url)) }
        reusable = true  // a clean transfer: its connection may serve the next request
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard body.count + length <= request.maximumResponseBytes else {
            overLimit = true
            return 0  // makes curl stop with CURLE_WRITE_ERROR
        }
        if let data {
            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
        }
        return length
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let data else { return length }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") { headers = [:] }  // a new response (after a 1xx) starts afresh
        if let colon = line.firstIndex(of: ":") {
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return length
    }

    private func error(for code: CURLcode, url: String) -> HTTPClientError {
        let message = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns(host: URL(string: url)?.host ?? url)
        case CURLE_COULDNT_CONNECT: return .connect(message)
        case CURLE_OPERATION_TIMEDOUT: return .timeout(request.timeout)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE:
            return .tls(message)
        case CURLE_WRITE_ERROR where overLimit: return .responseTooLarge(limit: request.maximumResponseBytes)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidURL(url)
        default: return .transport(message)
        }
    }
}
