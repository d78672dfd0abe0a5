/// A call's outcome on the wire: gRPC's canonical status codes, with gRPC's numbers.
///
/// The numbers are part of the protocol (docs/wire.md) and never change. A code this build
/// does not know (a newer peer) is kept as its raw number rather than refused.
public struct StatusCode: Hashable, Sendable, CustomStringConvertible {
    /// The number carried in `Envelope.status_code`.
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = StatusCode(rawValue: 0)
    public static let cancelled = StatusCode(rawValue: 1)
    public static let unknown = StatusCode(rawValue: 2)
    public static let invalidArgument = StatusCode(rawValue: 3)
    public static let deadlineExceeded = StatusCode(rawValue: 4)
    public static let notFound = StatusCode(rawValue: 5)
    public static let alreadyExists = StatusCode(rawValue: 6)
    public static let permissionDenied = StatusCode(rawValue: 7)
    public static let resourceExhausted = StatusCode(rawValue: 8)
    public static let failedPrecondition = StatusCode(rawValue: 9)
    public static let aborted = StatusCode(rawValue: 10)
    public static let outOfRange = StatusCode(rawValue: 11)
    public static let unimplemented = StatusCode(rawValue: 12)
    public static let `internal` = StatusCode(rawValue: 13)
    public static let unavailable = StatusCode(rawValue: 14)
    public static let dataLoss = StatusCode(rawValue: 15)
    public static let unauthenticated = StatusCode(rawValue: 16)

    /// Every code gRPC defines, in numeric order.
    public static let allKnown = Postern.Wire.V1.StatusCodeName.allCases.map { StatusCode(rawValue: $0.rawValue) }

    /// gRPC's upper-case name (`INVALID_ARGUMENT`), or `CODE_<n>` for an unknown number.
    public var name: String { Postern.Wire.V1.StatusCodeName(rawValue: rawValue)?.protoValueName ?? "CODE_\(rawValue)" }

    /// The code with gRPC name `name` (case-insensitive), if there is one.
    public init?(name: String) {
        let upper = name.uppercased()
        guard let code = StatusCode.allKnown.first(where: { $0.name == upper }) else { return nil }
        self = code
    }

    public var description: String { "\(name) (\(rawValue))" }
}
