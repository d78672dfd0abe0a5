import CPosternProto

/// `postern.password.v1.PasswordStage`.
public struct PasswordStage: ProtoMessage, Equatable {
    /// `postern.password.v1.Backend`.
    public enum Backend: Int32, Sendable, CaseIterable {
        case unspecified = 0, `internal` = 1, appPassword = 2, ldap = 3, kerberos = 4

        /// The name docs, errors and the CLI use.
        public var name: String {
            switch self {
            case .unspecified: "unspecified"
            case .internal: "internal"
            case .appPassword: "app_password"
            case .ldap: "ldap"
            case .kerberos: "kerberos"
            }
        }

        /// The backend `name` names; nil for "unspecified" and any other name. A login parses
        /// its stage's backends with this, so it compares strings rather than building each name.
        public init?(name: String) {
            switch name {
            case "internal": self = .internal
            case "app_password": self = .appPassword
            case "ldap": self = .ldap
            case "kerberos": self = .kerberos
            default: return nil
            }
        }
    }

    public var name: String
    /// Unknown numbers from a newer client read as `.unspecified`.
    public var backends: [Backend]
    public var failedAttemptsBeforeCancel: UInt32
    public var allowShowPassword: Bool
    public var configurationFlow: String

    public static let protoName = "postern.password.v1.PasswordStage"

    public init(
        name: String, backends: [Backend] = [.internal], failedAttemptsBeforeCancel: UInt32 = 0,
        allowShowPassword: Bool = false, configurationFlow: String = ""
    ) {
        self.name = name
        self.backends = backends
        self.failedAttemptsBeforeCancel = failedAttemptsBeforeCancel
        self.allowShowPassword = allowShowPassword
        self.configurationFlow = configurationFlow
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__password_stage__unpack,
            free: postern__password__v1__password_stage__free_unpacked
        ) { (c: borrowing Postern__Password__V1__PasswordStage) throws(ProtoDecodingError) in try PasswordStage(c: c) }
    }

    init(c: borrowing Postern__Password__V1__PasswordStage) throws(ProtoDecodingError) {
        let message = Self.protoName
        var backends: [Backend] = []
        for index in 0..<c.n_backends {
            backends.append(Backend(rawValue: Int32(bitPattern: c.backends[index].rawValue)) ?? .unspecified)
        }
        self.init(
            name: try ProtobufCBridge.string(c.name, named: "name", in: message),
            backends: backends,
            failedAttemptsBeforeCancel: c.failed_attempts_before_cancel,
            allowShowPassword: c.allow_show_password != 0,
            configurationFlow: try ProtobufCBridge.string(c.configuration_flow, named: "configuration_flow", in: message))
    }

    /// Initialises and fills the C struct at `c`; `backends` holds `self.backends` as C
    /// values and must outlive the struct's use.
    func fill(
        _ c: UnsafeMutablePointer<Postern__Password__V1__PasswordStage>,
        backends raw: UnsafeMutablePointer<Postern__Password__V1__Backend>?, strings: inout CStringArena
    ) {
        postern__password__v1__password_stage__init(c)
        c.pointee.name = strings.copy(name)
        c.pointee.n_backends = raw == nil ? 0 : backends.count
        c.pointee.backends = raw
        c.pointee.failed_attempts_before_cancel = failedAttemptsBeforeCancel
        c.pointee.allow_show_password = allowShowPassword ? 1 : 0
        c.pointee.configuration_flow = strings.copy(configurationFlow)
    }

    /// A filled C struct for as long as `body` runs.
    func withC<R>(strings: inout CStringArena, _ body: (UnsafeMutablePointer<Postern__Password__V1__PasswordStage>) -> R) -> R {
        var raw = backends.map { Postern__Password__V1__Backend(rawValue: UInt32(bitPattern: $0.rawValue)) }
        var c = Postern__Password__V1__PasswordStage()
        return raw.withUnsafeMutableBufferPointer { buffer in
            fill(&c, backends: buffer.isEmpty ? nil : buffer.baseAddress, strings: &strings)
            return body(&c)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        return withC(strings: &strings) { c in
            ProtobufCBridge.packPointer(
                c, size: postern__password__v1__password_stage__get_packed_size, pack: postern__password__v1__password_stage__pack)
        }
    }
}
