/// A protobuf message as a Swift value, encoded and decoded by protobuf-c. Every conforming
/// type is generated from the .proto files by scripts/gen-proto (docs/protocol-code.md).
public protocol ProtoMessage: Sendable {
    /// The protobuf full name, such as `postern.health.v1.HealthCheckRequest`.
    static var protoName: String { get }

    /// The message's fields, in schema order.
    static var fields: [ProtoField] { get }

    /// Decodes one message from exactly `bytes`: a string that is not UTF-8 or holds a NUL,
    /// an enum value the schema does not list and a repeated message with a missing element
    /// are refused, naming the message and the field.
    init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError)

    /// Encodes the message without an intermediate copy: `body` is given the encoded size and
    /// a function that packs the message into memory of at least that size (a ByteBuffer's
    /// writable bytes, say) and returns the bytes written.
    /// (Not generic over a result, so that a caller in another module runs specialized code.)
    func encode(_ body: (_ size: Int, _ pack: (UnsafeMutableRawPointer) -> Int) throws -> Void) rethrows

    /// The message's protobuf encoding.
    func protobuf() -> [UInt8]
}

extension ProtoMessage {
    /// Decodes one message from exactly `bytes`.
    ///
    /// Inlinable so that callers in other modules (the router's handlers) get a copy
    /// specialized for their message type: unspecialized, every call looked up the runtime
    /// metadata of `Result<Self, ProtoDecodingError>` in a global cache.
    @inlinable
    public init(protobuf bytes: [UInt8]) throws(ProtoDecodingError) {
        let decoded: Result<Self, ProtoDecodingError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtoDecodingError) in try Self(protobuf: raw) }
        }
        self = try decoded.get()
    }
}

/// A protobuf enum as a Swift enum: its cases are the values the schema lists, and decoding
/// refuses any other number.
public protocol ProtoEnum: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible
where RawValue == Int32 {
    /// The protobuf full name, such as `postern.password.v1.UserType`.
    static var protoName: String { get }
    /// The value's name in the schema: `USER_TYPE_INTERNAL`.
    var protoValueName: String { get }
    /// The schema name without the enum's prefix, lower-case: `internal`.
    var name: String { get }
}

/// One field of a message as the schema declares it, for code that walks messages generically
/// (tests that every secret is masked, documentation checks).
public struct ProtoField: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case string, bytes, bool, int32, uint32, int64, uint64, double, float, enumeration, message
    }

    public let name: String
    public let number: Int32
    public let kind: Kind
    public let isRepeated: Bool
    /// Marked `[(postern.v1.secret) = true]`: descriptions show ******** in its place.
    public let isSecret: Bool
}
