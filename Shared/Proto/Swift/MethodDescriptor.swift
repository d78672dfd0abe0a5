/// One RPC as the schema declares it: its path, its request and response types and the access
/// classes that may call it. Generated for every method of every service (scripts/gen-proto);
/// the router registers handlers by descriptor and the client calls by descriptor, so a
/// handler or call with the wrong message types does not compile.
public struct MethodDescriptor<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    /// gRPC form: `/postern.password.v1.Users/Create`.
    public let path: String
    public let access: MethodAccess

    public init(path: String, access: MethodAccess) {
        self.path = path
        self.access = access
    }

    /// The descriptor without its Swift types, for lists of methods.
    public var erased: AnyMethodDescriptor {
        AnyMethodDescriptor(path: path, access: access, requestType: Request.protoName, responseType: Response.protoName)
    }
}

/// A method descriptor by name only: path, access classes and the protobuf names of its messages.
public struct AnyMethodDescriptor: Equatable, Sendable {
    public let path: String
    public let access: MethodAccess
    public let requestType: String
    public let responseType: String
}
