/// The classes whose callers may call one method: usually one (`.admin`), sometimes several
/// (`[.peer, .admin]`: postern-history's Check serves both postern-password and an operator).
/// A caller is let in when the access policy grants it any of them.
public struct MethodAccess: Equatable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The classes, in the order given, without repeats.
    public let classes: [Postern.V1.Access]

    public init(_ classes: [Postern.V1.Access]) {
        precondition(!classes.isEmpty && !classes.contains(.unspecified), "a method needs at least one access class")
        var seen: Set<Postern.V1.Access> = []
        self.classes = classes.filter { seen.insert($0).inserted }
    }

    public init(arrayLiteral classes: Postern.V1.Access...) { self.init(classes) }

    public static let open = MethodAccess([.open])
    public static let read = MethodAccess([.read])
    public static let verify = MethodAccess([.verify])
    public static let admin = MethodAccess([.admin])
    public static let peer = MethodAccess([.peer])

    /// `admin`, or `peer or admin`.
    public var description: String { classes.map(\.name).joined(separator: " or ") }
}
