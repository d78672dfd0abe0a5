/// One call or one answer on the wire: the body of a frame (docs/wire.md). The message is
/// generated from `postern/wire/v1/wire.proto`; this adds the status as a `StatusCode` and the
/// three shapes an Envelope takes.
public typealias Envelope = Postern.Wire.V1.Envelope

extension Postern.Wire.V1.Envelope {
    /// `status_code` as a status; a number this build does not know is kept as it is.
    public var status: StatusCode {
        get { StatusCode(rawValue: statusCode) }
        set { statusCode = newValue.rawValue }
    }

    /// A request for `method` carrying `request` as its payload.
    public static func request(
        callID: UInt64, method: String, timeoutMilliseconds: UInt32 = 0, payload: [UInt8]
    ) -> Envelope {
        Envelope(callID: callID, method: method, timeoutMs: timeoutMilliseconds, payload: payload)
    }

    /// A successful answer to call `callID`.
    public static func success(callID: UInt64, payload: [UInt8]) -> Envelope {
        Envelope(callID: callID, payload: payload)
    }

    /// A failed answer to call `callID`: no payload, a status and an explanation.
    public static func failure(callID: UInt64, status: StatusCode, message: String) -> Envelope {
        Envelope(callID: callID, statusCode: status.rawValue, statusMessage: message)
    }
}
