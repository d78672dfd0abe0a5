import PosternProtocol

/// What a handler knows about the call besides its request message.
public struct RPCContext: Sendable {
    /// The call id the client chose.
    public var callID: UInt64
    /// The method in gRPC form, `/package.Service/Method`.
    public var method: String
    /// The request's metadata pairs.
    public var metadata: [Postern.Wire.V1.MetadataEntry]
    /// The calling process, as the kernel reported it when it connected.
    public var peer: PeerCredentials

    public init(callID: UInt64, method: String, metadata: [Postern.Wire.V1.MetadataEntry] = [], peer: PeerCredentials) {
        self.callID = callID
        self.method = method
        self.metadata = metadata
        self.peer = peer
    }
}
