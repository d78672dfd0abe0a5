import CKrb5
import CKrb5Support
import Foundation

/// One libkrb5 context for one attempt: a password checked for a principal (initial
/// credentials, then verified against a keytab), or a password set as an admin principal. Not
/// thread-safe; made, used and dropped on one thread. No credential cache is used: tickets live
/// in the context's memory and are freed with it; nothing is written to disk.
public final class KerberosClient {
    private var context: krb5_context?
    public let realm: KerberosRealm

    /// A context for `realm`: its relations in memory, or, with no KDCs given, the system's
    /// krb5.conf (KRB5_CONFIG or /etc/krb5.conf).
    public init(_ realm: KerberosRealm) throws(KerberosError) {
        self.realm = realm
        var context: krb5_context?
        let rc: krb5_error_code
        if realm.kdcs.isEmpty {
            rc = krb5_init_context(&context)
        } else {
            let relations = realm.profile
            var profile: profile_t?
            let made = Self.withCStrings(relations.map(\.path)) { paths in
                Self.withCStrings(relations.map(\.value)) { values in
                    postern_krb5_memory_profile(paths, values, relations.count, &profile)
                }
            }
            guard made == 0, let profile else {
                throw KerberosError(.other, code: Int32(truncatingIfNeeded: made), message: "the realm's configuration could not be made")
            }
            rc = krb5_init_context_profile(profile, krb5_flags(KRB5_INIT_CONTEXT_SECURE), &context)
            profile_release(profile)
        }
        guard rc == 0, let context else {
            throw KerberosError(.other, code: rc, message: "libkrb5 could not start: error \(rc)")
        }
        self.context = context
    }

    deinit {
        if let context { krb5_free_context(context) }
    }

    /// How a password check proves the KDC is the realm's.
    public struct Verification: Sendable, Equatable {
        /// A keytab file with the service's key.
        public var keytab: String
        /// The service principal whose key verifies; nil: every host/ principal in the keytab.
        public var service: String?

        public init(keytab: String, service: String?) {
            self.keytab = keytab
            self.service = service
        }
    }

    /// Checks `password` for `principal` (a name such as `alice@EXAMPLE.COM`; see
    /// `principalName(username:)`): initial credentials from the KDC, then, with `verification`,
    /// a service ticket for the keytab's service checked with the keytab's key — which only the
    /// realm's real KDC can make. Throws why not.
    public func checkPassword(principal: String, password: [UInt8], verification: Verification?) throws(KerberosError) {
        guard let context else { throw KerberosError(.other, code: 0, message: "no context") }
        guard !password.isEmpty, !password.contains(0) else {
            throw KerberosError(.wrongPassword, code: 0, message: "an empty password or one holding NUL is never sent")
        }
        let client = try parse(principal)
        defer { krb5_free_principal(context, client) }
        var options: UnsafeMutablePointer<krb5_get_init_creds_opt>?
        try check(krb5_get_init_creds_opt_alloc(context, &options), "options")
        defer { krb5_get_init_creds_opt_free(context, options) }
        krb5_get_init_creds_opt_set_forwardable(options, 0)
        krb5_get_init_creds_opt_set_proxiable(options, 0)
        krb5_get_init_creds_opt_set_tkt_life(options, 300)
        // An expired password is an answer, not a prompt for a new one.
        krb5_get_init_creds_opt_set_change_password_prompt(options, 0)
        var credentials = krb5_creds()
        let rc = (password + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { text in
                krb5_get_init_creds_password(context, &credentials, client, text.baseAddress, nil, nil, 0, nil, options)
            }
        }
        guard rc == 0 else { throw error(rc, context: "initial credentials") }
        defer { krb5_free_cred_contents(context, &credentials) }
        guard let verification else { return }
        try verify(&credentials, verification)
    }

    private func verify(_ credentials: inout krb5_creds, _ verification: Verification) throws(KerberosError) {
        guard let context else { return }
        var keytab: krb5_keytab?
        let resolved = krb5_kt_resolve(context, "FILE:" + verification.keytab, &keytab)
        guard resolved == 0, let keytab else { throw error(resolved, context: "the keytab", kind: .keytab) }
        defer { krb5_kt_close(context, keytab) }
        var service: krb5_principal?
        if let name = verification.service { service = try parse(name) }
        defer { if let service { krb5_free_principal(context, service) } }
        var options = krb5_verify_init_creds_opt()
        krb5_verify_init_creds_opt_init(&options)
        // Verification is required: a keytab without the key fails, never "skipped".
        krb5_verify_init_creds_opt_set_ap_req_nofail(&options, 1)
        let rc = krb5_verify_init_creds(context, &credentials, service, keytab, nil, &options)
        guard rc == 0 else {
            let kind: KerberosError.Kind =
                switch Int(rc) {
                case KRB5_KT_NOTFOUND, Int(ENOENT), KRB5_KT_END: .keytab
                case KRB5_KDC_UNREACH: .unreachable
                case KRB5KRB_AP_ERR_SKEW: .clockSkew
                default: .verificationFailed
                }
            throw error(rc, context: "verifying the KDC's answer with the keytab", kind: kind)
        }
    }

    /// Sets `principal`'s password to `newPassword` as `admin`, whose key is in `adminKeytab`
    /// (RFC 3244 set-password through the realm's kpasswd server). The server's refusal (its
    /// password policy) comes back as `.refused` with its text.
    public func setPassword(principal: String, newPassword: [UInt8], admin: String, adminKeytab: String) throws(KerberosError) {
        guard let context else { throw KerberosError(.other, code: 0, message: "no context") }
        guard !newPassword.isEmpty, !newPassword.contains(0) else {
            throw KerberosError(.badRequest, code: 0, message: "an empty password or one holding NUL cannot be set")
        }
        let target = try parse(principal)
        defer { krb5_free_principal(context, target) }
        let adminPrincipal = try parse(admin)
        defer { krb5_free_principal(context, adminPrincipal) }
        var keytab: krb5_keytab?
        let resolved = krb5_kt_resolve(context, "FILE:" + adminKeytab, &keytab)
        guard resolved == 0, let keytab else { throw error(resolved, context: "the admin keytab", kind: .keytab) }
        defer { krb5_kt_close(context, keytab) }
        var options: UnsafeMutablePointer<krb5_get_init_creds_opt>?
        try check(krb5_get_init_creds_opt_alloc(context, &options), "options")
        defer { krb5_get_init_creds_opt_free(context, options) }
        krb5_get_init_creds_opt_set_tkt_life(options, 300)
        var credentials = krb5_creds()
        let rc = krb5_get_init_creds_keytab(context, &credentials, adminPrincipal, keytab, 0, "kadmin/changepw", options)
        guard rc == 0 else { throw error(rc, context: "the admin principal's credentials", kind: rc == KRB5_KT_NOTFOUND_32 ? .keytab : nil) }
        defer { krb5_free_cred_contents(context, &credentials) }
        var resultCode: Int32 = 0
        var codeString = krb5_data()
        var resultString = krb5_data()
        let set = (newPassword + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { text in
                krb5_set_password(context, &credentials, text.baseAddress, target, &resultCode, &codeString, &resultString)
            }
        }
        defer {
            krb5_free_data_contents(context, &codeString)
            krb5_free_data_contents(context, &resultString)
        }
        guard set == 0 else { throw error(set, context: "the password change") }
        guard resultCode == 0 else {
            var why = Self.text(resultString)
            if why.isEmpty { why = Self.text(codeString) }
            throw KerberosError(.refused, code: resultCode, message: why.isEmpty ? "result code \(resultCode)" : why)
        }
    }

    /// The principal a username stands for in this realm when the user record names none: the
    /// username as **one** component (an `@` in it is part of the name, never a realm) in this
    /// realm — `alice@example.com` is `alice\@example.com@REALM`.
    public func principalName(username: String) throws(KerberosError) -> String {
        guard let context else { throw KerberosError(.other, code: 0, message: "no context") }
        guard !username.utf8.contains(0) else { throw KerberosError(.badRequest, code: 0, message: "the username holds NUL") }
        var principal: krb5_principal?
        let rc = username.withCString { name in
            realm.realm.withCString { realmName in
                postern_krb5_build_principal(context, &principal, UInt32(strlen(realmName)), realmName, name)
            }
        }
        guard rc == 0, let principal else { throw error(rc, context: "the principal for the username", kind: .badRequest) }
        defer { krb5_free_principal(context, principal) }
        var text: UnsafeMutablePointer<CChar>?
        let unparsed = krb5_unparse_name(context, principal, &text)
        guard unparsed == 0, let text else { throw error(unparsed, context: "the principal's name", kind: .badRequest) }
        defer { krb5_free_unparsed_name(context, text) }
        return String(cString: text)
    }

    /// Whether libkrb5 takes `name` as a principal; throws why not, naming `field`.
    public func checkName(_ name: String, field: String) throws(KerberosError) {
        do {
            let principal = try parse(name)
            krb5_free_principal(context, principal)
        } catch {
            throw KerberosError(.badRequest, code: error.code, message: "\(field): \(error.message)")
        }
    }

    private func parse(_ name: String) throws(KerberosError) -> krb5_principal {
        guard let context else { throw KerberosError(.other, code: 0, message: "no context") }
        guard !name.isEmpty, !name.utf8.contains(0) else { throw KerberosError(.badRequest, code: 0, message: "an empty principal name") }
        var principal: krb5_principal?
        let rc = krb5_parse_name(context, name, &principal)
        guard rc == 0, let principal else { throw error(rc, context: "principal \(name)", kind: .badRequest) }
        return principal
    }

    private func check(_ rc: krb5_error_code, _ what: String) throws(KerberosError) {
        guard rc == 0 else { throw error(rc, context: what) }
    }

    /// libkrb5's error as a `KerberosError`, with its message.
    private func error(_ rc: krb5_error_code, context what: String, kind: KerberosError.Kind? = nil) -> KerberosError {
        var message = "error \(rc)"
        if let context, let text = krb5_get_error_message(context, rc) {
            message = String(cString: text)
            krb5_free_error_message(context, text)
        }
        return KerberosError(kind ?? Self.kind(rc), code: rc, message: "\(what): \(message)")
    }

    static func kind(_ rc: krb5_error_code) -> KerberosError.Kind {
        switch Int(rc) {
        case KRB5KDC_ERR_PREAUTH_FAILED, KRB5KRB_AP_ERR_BAD_INTEGRITY: .wrongPassword
        case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN: .unknownPrincipal
        case KRB5KDC_ERR_KEY_EXP: .passwordExpired
        case KRB5KDC_ERR_CLIENT_REVOKED: .revoked
        case KRB5_KDC_UNREACH, KRB5_REALM_CANT_RESOLVE, KRB5_REALM_UNKNOWN: .unreachable
        case KRB5KRB_AP_ERR_SKEW: .clockSkew
        case KRB5_PARSE_MALFORMED, KRB5_PARSE_ILLCHAR: .badRequest
        default: .other
        }
    }

    private static func text(_ data: krb5_data) -> String {
        guard data.length > 0, let bytes = data.data else { return "" }
        let buffer = UnsafeRawBufferPointer(start: bytes, count: Int(data.length))
        return String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { for copy in copies { free(copy) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// KRB5_KT_NOTFOUND as libkrb5's error type.
private let KRB5_KT_NOTFOUND_32 = krb5_error_code(truncatingIfNeeded: KRB5_KT_NOTFOUND)
