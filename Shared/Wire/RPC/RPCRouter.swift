import PosternProtocol

/// Method name → handler. Services register typed methods; the router decodes requests,
/// encodes responses and turns errors into statuses, so handlers never see bytes.
public struct RPCRouter: Sendable {
    /// A registered method: request payload in, response payload out.
    public typealias RawHandler = @Sendable ([UInt8], RPCContext) async throws -> [UInt8]

    private var handlers: [String: (access: MethodClass, run: RawHandler)] = [:]

    /// Called with every error a handler threw that is not an `RPCError`: it is answered
    /// INTERNAL with a generic message, and only this hook sees the details.
    public var onUnexpectedError: @Sendable (Error, RPCContext) -> Void = { _, _ in }

    public init() {}

    /// The method names registered, sorted.
    public var methods: [String] { handlers.keys.sorted() }

    /// Registers `handler` for `method` (gRPC form, `/package.Service/Method`), callable by
    /// the callers the access policy grants `access`. A request payload that does not decode
    /// as `Request` is answered INVALID_ARGUMENT.
    public mutating func register<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String,
        access: MethodClass,
        _ handler: @escaping @Sendable (Request, RPCContext) async throws -> Response
    ) {
        precondition(MethodName.isWellFormed(method), "method \(method) is not of the form /package.Service/Method")
        precondition(handlers[method] == nil, "method \(method) registered twice")
        handlers[method] = (access, { payload, context in
            let request: Request
            do {
                request = try Request(protobuf: payload)
            } catch {
                throw RPCError(code: .invalidArgument, message: "\(error)")
            }
            return try await handler(request, context).protobuf()
        })
    }

    /// Registers every method of `service`.
    public mutating func register(_ service: some RPCService) {
        service.registerMethods(with: &self)
    }

    /// The access class of `method`, if it is registered.
    public func access(of method: String) -> MethodClass? { handlers[method]?.access }

    /// Runs the call `request` from `peer` describes, if `policy` lets `peer` call it, and
    /// returns its answer, which always carries the request's call id and never throws:
    /// every failure becomes a status.
    public func handle(_ request: Envelope, from peer: PeerCredentials, policy: AccessPolicy) async -> Envelope {
        guard MethodName.isWellFormed(request.method) else {
            return .failure(
                callID: request.callID, status: .invalidArgument,
                message: request.method.isEmpty
                    ? "method is missing"
                    : "method \"\(Self.printable(request.method))\" is not of the form /package.Service/Method")
        }
        guard let handler = handlers[request.method] else {
            return .failure(
                callID: request.callID, status: .unimplemented,
                message: "unknown method \"\(Self.printable(request.method))\"")
        }
        guard policy.permits(peer, toCall: handler.access) else {
            return .failure(
                callID: request.callID, status: .permissionDenied,
                message: "uid \(peer.uid) (gid \(peer.gid)) may not call \(request.method): its class is \(handler.access.rawValue)")
        }
        let context = RPCContext(callID: request.callID, method: request.method, metadata: request.metadata, peer: peer)
        do {
            return .success(callID: request.callID, payload: try await handler.run(request.payload, context))
        } catch let error as RPCError {
            return .failure(callID: request.callID, status: error.code, message: error.message)
        } catch is CancellationError {
            // The deadline passed or the client went away; the server answers (or not) for it.
            return .failure(callID: request.callID, status: .cancelled, message: "call cancelled")
        } catch {
            onUnexpectedError(error, context)
            return .failure(callID: request.callID, status: .internal, message: "internal error")
        }
    }

    /// A client-supplied name shortened for an error message.
    static func printable(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}

/// A set of methods registered together: one protobuf service.
public protocol RPCService: Sendable {
    /// The protobuf service name, such as `postern.health.v1.Health`.
    static var serviceName: String { get }

    /// Registers the service's methods.
    func registerMethods(with router: inout RPCRouter)
}
