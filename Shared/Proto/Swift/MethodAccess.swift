/// The classes whose callers may call one method: usually one (`.admin`), sometimes several
/// (`[.peer, .admin]`: postern-history's Check serves both postern-password and an operator).
/// A caller is let in when the access policy grants it any of them.
public struct MethodAccess: Equatable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The classes, in the order given, without repeats.
    public let classes: [MethodClass]

    public init(_ classes: [MethodClass]) {
        precondition(!classes.isEmpty, "a method needs at least one access class")
        var seen: Set<MethodClass> = []
        self.classes = classes.filter { seen.insert($0).inserted }
    }

    public init(arrayLiteral classes: MethodClass...) { self.init(classes) }

    public static let open = MethodAccess([.open])
    public static let read = MethodAccess([.read])
    public static let verify = MethodAccess([.verify])
    public static let admin = MethodAccess([.admin])
    public static let peer = MethodAccess([.peer])

    /// `admin`, or `peer or admin`.
    public var description: String { classes.map(\.rawValue).joined(separator: " or ") }
}
