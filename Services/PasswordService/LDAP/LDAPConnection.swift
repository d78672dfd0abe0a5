import CLDAP
import Foundation

/// One connection to a directory through libldap. Not thread-safe: one thread uses it at a
/// time (a source's pool hands each connection to one job at a time). libldap connects on the
/// first operation and fails over along the URIs; StartTLS, when asked for, comes first. After
/// an error whose `connectionUsable` is false the connection is done: drop it and open another.
public final class LDAPConnection {
    private var handle: OpaquePointer?
    private let server: LDAPServer
    /// Whether the connection is established (and StartTLS done).
    private var connected = false

    /// Prepares a connection; nothing is sent yet. Refuses URIs libldap cannot parse.
    public init(_ server: LDAPServer) throws(LDAPError) {
        self.server = server
        var handle: OpaquePointer?
        let rc = ldap_initialize(&handle, server.uris.joined(separator: " "))
        guard rc == LDAP_SUCCESS, let handle else {
            throw LDAPError(.badRequest, code: rc, message: "the URIs are not valid: \(Self.text(rc))")
        }
        self.handle = handle
        try option(LDAP_OPT_PROTOCOL_VERSION, Int32(LDAP_VERSION3))
        // Referrals would send the user's password to whatever server a referral names.
        try option(LDAP_OPT_REFERRALS, UnsafeRawPointer(bitPattern: 0))
        try option(LDAP_OPT_NETWORK_TIMEOUT, Self.timeval(server.connectTimeout))
        try option(LDAP_OPT_TIMEOUT, Self.timeval(server.operationTimeout))
        try option(LDAP_OPT_X_TLS_REQUIRE_CERT, server.verifyCertificate ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER)
        if let caFile = server.caFile {
            let rc = ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, caFile)
            guard rc == LDAP_OPT_SUCCESS else { throw LDAPError(.badRequest, code: rc, message: "the CA file cannot be used") }
        }
        // A TLS context of this connection's own, with the options above.
        try option(LDAP_OPT_X_TLS_NEWCTX, Int32(0))
    }

    deinit {
        if let handle { ldap_unbind_ext(handle, nil, nil) }
    }

    /// Connects (and runs StartTLS) if not done yet.
    public func connect() throws(LDAPError) {
        guard !connected, let handle else { return }
        let rc = ldap_connect(handle)
        guard rc == LDAP_SUCCESS else {
            var failure = error(rc, context: "cannot connect")
            // libldap says "can't contact" both when nothing listens and when an ldaps://
            // handshake fails: a server that takes a plain TCP connection means the latter.
            if failure.kind == .unreachable, server.uris.contains(where: { Self.takesTCP($0, within: server.connectTimeout) }) {
                failure.kind = .tls
                failure.message += " (the server is reachable, so the TLS handshake failed: is its certificate from the CA in ca_file, for the host name in the URI?)"
            }
            throw failure
        }
        if server.startTLS {
            let rc = ldap_start_tls_s(handle, nil, nil)
            guard rc == LDAP_SUCCESS else { throw error(rc, context: "StartTLS failed", tls: true) }
        }
        connected = true
    }

    /// A simple bind as `dn` with `password`; throws `.invalidCredentials` for a wrong
    /// password or an unknown DN. An empty password is refused before anything is sent: to
    /// the server it would be an unauthenticated bind, which "succeeds" (RFC 4513 §5.1.2).
    public func bind(dn: String, password: [UInt8]) throws(LDAPError) {
        guard !password.isEmpty else { throw LDAPError(.invalidCredentials, code: LDAP_INVALID_CREDENTIALS, message: "empty password") }
        // An empty DN with a password is anonymous to some servers: never a user's bind.
        guard !dn.isEmpty else { throw LDAPError(.invalidCredentials, code: LDAP_INVALID_CREDENTIALS, message: "empty DN") }
        guard !dn.utf8.contains(0) else { throw LDAPError(.badRequest, code: LDAP_PARAM_ERROR, message: "the DN holds a NUL") }
        try connect()
        guard let handle else { throw closed }
        var messageID: Int32 = 0
        let rc = password.withUnsafeBufferPointer { bytes -> Int32 in
            var credentials = berval(
                bv_len: ber_len_t(bytes.count),
                bv_val: UnsafeMutableRawPointer(mutating: bytes.baseAddress!).assumingMemoryBound(to: CChar.self))
            return ldap_sasl_bind(handle, dn, nil, &credentials, nil, nil, &messageID)
        }
        guard rc == LDAP_SUCCESS else { throw error(rc, context: "the bind could not be sent") }
        try result(of: messageID, context: "bind") { _ in }
    }

    /// The entries under `base` matching `filter` (subtree), with `attributes`; at most
    /// `limit` (the server's size limit answer is an error).
    public func search(base: String, filter: String, attributes: [String], limit: Int32) throws(LDAPError) -> [LDAPEntry] {
        guard !base.utf8.contains(0), !filter.utf8.contains(0) else {
            throw LDAPError(.badRequest, code: LDAP_PARAM_ERROR, message: "the base or filter holds a NUL")
        }
        try connect()
        guard let handle else { throw closed }
        var messageID: Int32 = 0
        let rc = Self.withCStrings(attributes) { names in
            ldap_search_ext(handle, base, LDAP_SCOPE_SUBTREE, filter, names, 0, nil, nil, nil, limit, &messageID)
        }
        guard rc == LDAP_SUCCESS else { throw error(rc, context: "the search could not be sent") }
        var entries: [LDAPEntry] = []
        try result(of: messageID, context: "search") { message in
            var entry = ldap_first_entry(handle, message)
            while let current = entry {
                entries.append(Self.entry(handle, current))
                entry = ldap_next_entry(handle, current)
            }
        }
        return entries
    }

    /// RFC 3062's Password Modify extended operation: sets `dn`'s password to `newPassword`
    /// as the identity this connection is bound as. The server's refusal (a password policy's,
    /// say) comes back as `.refused` with its message.
    public func modifyPassword(dn: String, newPassword: [UInt8]) throws(LDAPError) {
        guard !dn.isEmpty, !newPassword.isEmpty else {
            throw LDAPError(.badRequest, code: LDAP_PARAM_ERROR, message: "the DN and the new password must not be empty")
        }
        guard !dn.utf8.contains(0) else { throw LDAPError(.badRequest, code: LDAP_PARAM_ERROR, message: "the DN holds a NUL") }
        try connect()
        guard let handle else { throw closed }
        var messageID: Int32 = 0
        // Asks a server with a password policy (slapd's ppolicy, for one) to say which rule a
        // refused password broke.
        var policyRequest: UnsafeMutablePointer<LDAPControl>?
        guard ldap_create_passwordpolicy_control(handle, &policyRequest) == LDAP_SUCCESS, let policyRequest else {
            throw LDAPError(.badRequest, code: LDAP_NO_MEMORY, message: "the password policy control could not be made")
        }
        defer { ldap_control_free(policyRequest) }
        var controls: [UnsafeMutablePointer<LDAPControl>?] = [policyRequest, nil]
        let rc = Array(dn.utf8).withUnsafeBufferPointer { dnBytes in
            newPassword.withUnsafeBufferPointer { passwordBytes -> Int32 in
                var user = berval(
                    bv_len: ber_len_t(dnBytes.count),
                    bv_val: UnsafeMutableRawPointer(mutating: dnBytes.baseAddress!).assumingMemoryBound(to: CChar.self))
                var new = berval(
                    bv_len: ber_len_t(passwordBytes.count),
                    bv_val: UnsafeMutableRawPointer(mutating: passwordBytes.baseAddress!).assumingMemoryBound(to: CChar.self))
                return controls.withUnsafeMutableBufferPointer { controls in
                    ldap_passwd(handle, &user, nil, &new, controls.baseAddress, nil, &messageID)
                }
            }
        }
        guard rc == LDAP_SUCCESS else { throw error(rc, context: "the password change could not be sent") }
        try result(of: messageID, context: "password change") { _ in }
    }

    /// Waits up to the operation timeout for the result of `messageID` and hands a success's
    /// message to `read`; anything else is thrown. On a timeout the operation is abandoned and
    /// the connection is no longer usable.
    private func result(of messageID: Int32, context: String, read: (OpaquePointer) -> Void) throws(LDAPError) {
        guard let handle else { throw closed }
        var timeout = Self.timeval(server.operationTimeout)
        var message: OpaquePointer?
        let got = ldap_result(handle, messageID, LDAP_MSG_ALL, &timeout, &message)
        defer { if let message { ldap_msgfree(message) } }
        if got == 0 {
            ldap_abandon_ext(handle, messageID, nil, nil)
            connected = false
            throw LDAPError(.timeout, code: LDAP_TIMEOUT, message: "no answer to the \(context) within \(server.operationTimeout)")
        }
        guard got > 0, let message else {
            var rc: Int32 = 0
            ldap_get_option(handle, LDAP_OPT_RESULT_CODE, &rc)
            throw error(rc == 0 ? LDAP_SERVER_DOWN : rc, context: "the \(context) failed")
        }
        var code: Int32 = 0
        var diagnostic: UnsafeMutablePointer<CChar>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let parsed = ldap_parse_result(handle, message, &code, nil, &diagnostic, nil, &controls, 0)
        defer {
            if let diagnostic { ldap_memfree(diagnostic) }
            if let controls { ldap_controls_free(controls) }
        }
        guard parsed == LDAP_SUCCESS else { throw error(parsed, context: "the \(context)'s answer could not be read") }
        guard code == LDAP_SUCCESS else {
            var text = diagnostic.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? Self.text(code)
            if let rule = Self.passwordPolicyError(handle, controls) { text += " (\(rule))" }
            let kind: LDAPError.Kind = code == LDAP_INVALID_CREDENTIALS ? .invalidCredentials : .refused
            throw LDAPError(kind, code: code, message: text)
        }
        read(message)
    }

    /// Whether `uri` is ldaps:// and its host takes a plain TCP connection (libldap's own
    /// connect over ldap:// to the same host and port, with the same time limit).
    private static func takesTCP(_ uri: String, within limit: Duration) -> Bool {
        var parsed: UnsafeMutablePointer<LDAPURLDesc>?
        guard ldap_url_parse(uri, &parsed) == LDAP_URL_SUCCESS, let parsed else { return false }
        defer { ldap_free_urldesc(parsed) }
        guard let scheme = parsed.pointee.lud_scheme, String(cString: scheme).lowercased() == "ldaps" else { return false }
        let host = parsed.pointee.lud_host.map { String(cString: $0) } ?? "localhost"
        let port = parsed.pointee.lud_port == 0 ? 636 : parsed.pointee.lud_port
        let literal = host.contains(":") ? "[\(host)]" : host
        var handle: OpaquePointer?
        guard ldap_initialize(&handle, "ldap://\(literal):\(port)") == LDAP_SUCCESS, let handle else { return false }
        defer { ldap_unbind_ext(handle, nil, nil) }
        var timeout = Self.timeval(limit)
        ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &timeout)
        return ldap_connect(handle) == LDAP_SUCCESS
    }

    /// The rule a password policy response control names, if the answer carries one.
    private static func passwordPolicyError(
        _ handle: OpaquePointer, _ controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
    ) -> String? {
        guard let controls, let response = ldap_control_find(LDAP_CONTROL_PASSWORDPOLICYRESPONSE, controls, nil) else { return nil }
        var expire: ber_int_t = -1
        var grace: ber_int_t = -1
        var error = PP_noError
        guard ldap_parse_passwordpolicy_control(handle, response, &expire, &grace, &error) == LDAP_SUCCESS,
              error != PP_noError
        else { return nil }
        return String(cString: ldap_passwordpolicy_err2txt(error))
    }

    private var closed: LDAPError { LDAPError(.unreachable, code: LDAP_SERVER_DOWN, message: "the connection is closed") }

    /// A client-side failure as an error, with the diagnostic libldap kept for it (TLS errors
    /// name the certificate problem there).
    private func error(_ rc: Int32, context: String, tls: Bool = false) -> LDAPError {
        var detail = Self.text(rc)
        if let handle {
            var diagnostic: UnsafeMutablePointer<CChar>?
            if ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic) == LDAP_OPT_SUCCESS, let diagnostic {
                let text = String(cString: diagnostic)
                ldap_memfree(diagnostic)
                if !text.isEmpty { detail += ": \(text)" }
            }
        }
        connected = false
        let kind: LDAPError.Kind =
            switch rc {
            case LDAP_TIMEOUT: .timeout
            case LDAP_CONNECT_ERROR: .tls
            case LDAP_SERVER_DOWN: tls ? .tls : .unreachable
            case LDAP_INVALID_CREDENTIALS: .invalidCredentials
            case LDAP_PARAM_ERROR, LDAP_FILTER_ERROR, LDAP_ENCODING_ERROR: .badRequest
            default: tls ? .tls : (rc < 0 ? .unreachable : .refused)
            }
        return LDAPError(kind, code: rc, message: "\(context): \(detail)")
    }

    private func option(_ name: Int32, _ value: Int32) throws(LDAPError) {
        var value = value
        try check(ldap_set_option(handle, name, &value), name)
    }

    private func option(_ name: Int32, _ value: UnsafeRawPointer?) throws(LDAPError) {
        try check(ldap_set_option(handle, name, value), name)
    }

    private func option(_ name: Int32, _ value: timeval) throws(LDAPError) {
        var value = value
        try check(ldap_set_option(handle, name, &value), name)
    }

    private func check(_ rc: Int32, _ name: Int32) throws(LDAPError) {
        guard rc == LDAP_OPT_SUCCESS else {
            throw LDAPError(.badRequest, code: rc, message: "libldap refused option 0x\(String(name, radix: 16))")
        }
    }

    static func text(_ rc: Int32) -> String { String(cString: ldap_err2string(rc)) }

    static func timeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return CLDAP.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    /// `strings` as a NULL-terminated C array for the length of `body`.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    private static func entry(_ handle: OpaquePointer, _ message: OpaquePointer) -> LDAPEntry {
        var dn = ""
        if let raw = ldap_get_dn(handle, message) {
            dn = String(cString: raw)
            ldap_memfree(raw)
        }
        var attributes: [String: [String]] = [:]
        var undecodable: [String] = []
        var element: OpaquePointer?
        var name = ldap_first_attribute(handle, message, &element)
        while let current = name {
            let attribute = String(cString: current).lowercased()
            if let values = ldap_get_values_len(handle, message, current) {
                var index = 0
                var texts: [String] = []
                while let value = values[index] {
                    let bytes = UnsafeRawBufferPointer(start: value.pointee.bv_val, count: Int(value.pointee.bv_len))
                    if let text = String(validating: bytes, as: UTF8.self), !text.utf8.contains(0) {
                        texts.append(text)
                    } else if !undecodable.contains(attribute) {
                        undecodable.append(attribute)
                    }
                    index += 1
                }
                ldap_value_free_len(values)
                attributes[attribute] = texts
            }
            ldap_memfree(current)
            name = ldap_next_attribute(handle, message, element)
        }
        if let element { ber_free(element, 0) }
        return LDAPEntry(dn: dn, attributes: attributes, undecodable: undecodable)
    }
}
