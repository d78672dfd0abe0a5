/// One call or one answer on the wire: the body of a frame (docs/wire.md).
///
/// Requests carry `callID`, `method`, `timeoutMilliseconds`, `metadata` and the request message
/// as `payload`; answers carry the same `callID`, a `status`, a `statusMessage` and, when the
/// status is OK, the response message as `payload`.
public struct Envelope: Equatable, Sendable {
    public var callID: UInt64
    public var method: String
    public var timeoutMilliseconds: UInt32
    public var metadata: [Metadata]
    public var payload: [UInt8]
    public var status: StatusCode
    public var statusMessage: String

    public static let protoName = "postern.wire.v1.Envelope"

    /// One metadata pair; keys may repeat. Never holds secrets.
    public struct Metadata: Equatable, Sendable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(
        callID: UInt64,
        method: String = "",
        timeoutMilliseconds: UInt32 = 0,
        metadata: [Metadata] = [],
        payload: [UInt8] = [],
        status: StatusCode = .ok,
        statusMessage: String = ""
    ) {
        self.callID = callID
        self.method = method
        self.timeoutMilliseconds = timeoutMilliseconds
        self.metadata = metadata
        self.payload = payload
        self.status = status
        self.statusMessage = statusMessage
    }

    /// A request for `method` carrying `request` as its payload.
    public static func request(
        callID: UInt64, method: String, timeoutMilliseconds: UInt32 = 0, payload: [UInt8]
    ) -> Envelope {
        Envelope(callID: callID, method: method, timeoutMilliseconds: timeoutMilliseconds, payload: payload)
    }

    /// A successful answer to call `callID`.
    public static func success(callID: UInt64, payload: [UInt8]) -> Envelope {
        Envelope(callID: callID, payload: payload)
    }

    /// A failed answer to call `callID`: no payload, a status and an explanation.
    public static func failure(callID: UInt64, status: StatusCode, message: String) -> Envelope {
        Envelope(callID: callID, status: status, statusMessage: message)
    }
}
