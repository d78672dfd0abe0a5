/// Why a daemon could not start, worded for the operator who has to fix it.
public struct StartupError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
