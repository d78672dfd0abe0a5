/// A protobuf message with a Swift value type, encoded and decoded by protobuf-c.
///
/// Services exchange these; `Shared/Wire` moves their bytes inside Envelopes.
public protocol ProtoMessage: Sendable {
    /// The protobuf full name, such as `postern.health.v1.HealthCheckRequest`.
    static var protoName: String { get }

    /// Decodes one message from exactly `bytes`.
    init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError)

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
