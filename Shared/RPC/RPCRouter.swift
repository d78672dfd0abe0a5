import PosternProtocol

/// Method name → handler. Services register typed methods; the router decodes requests,
/// encodes responses and turns errors into statuses, so handlers never see bytes.
public struct RPCRouter: Sendable {
    /// A registered method: the request payload in; the response payload at once, or the rest
    /// of the work to await for it.
    public typealias RawHandler = @Sendable ([UInt8], RPCContext) throws -> StagedAnswer<[UInt8]>

    private var handlers: [String: (access: MethodAccess, run: RawHandler)] = [:]

    /// Called with every error a handler threw that is not an `RPCError`: it is answered
    /// INTERNAL with a generic message, and only this hook sees the details.
    public var onUnexpectedError: @Sendable (Error, RPCContext) -> Void = { _, _ in }

    public init() {}

    /// The method names registered, sorted.
    public var methods: [String] { handlers.keys.sorted() }

    /// Registers `handler` for `method`, callable by the callers the access policy grants any
    /// of the method's access classes (both from the schema). A request payload that does not
    /// decode as `Request` is answered INVALID_ARGUMENT.
    ///
    /// The handler runs on the connection's event loop, with no task, and must not block (no
    /// I/O, no hashing, no lock held for long): it answers `.now` when it can (Health, an
    /// app-password login) and otherwise returns `.later` with the work to await (a hash, a
    /// database write), which runs in a task.
    public mutating func register<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, RPCContext) throws -> StagedAnswer<Response>
    ) {
        add(method.path, access: method.access) { payload, context in
            switch try handler(try Self.decodeOrRefuse(payload), context) {
            case .now(let response): .now(response.protobuf())
            case .later(let rest): .later({ try await rest().protobuf() })
            }
        }
    }

    /// Registers a method that takes and gives encoded payloads, for one whose answer is nearly
    /// always the same bytes, kept encoded (Health). It runs as the typed form's handler does;
    /// it decodes the request itself, with `decodeOrRefuse` to refuse a payload as that does.
    public mutating func register<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor<Request, Response>,
        raw handler: @escaping RawHandler
    ) {
        add(method.path, access: method.access, handler)
    }

    private mutating func add(_ method: String, access: MethodAccess, _ run: @escaping RawHandler) {
        precondition(MethodName.isWellFormed(method), "method \(method) is not of the form /package.Service/Method")
        precondition(handlers[method] == nil, "method \(method) registered twice")
        handlers[method] = (access, run)
    }

    /// `payload` decoded as `Request`, or INVALID_ARGUMENT.
    public static func decodeOrRefuse<Request: ProtoMessage>(_ payload: [UInt8]) throws(RPCError) -> Request {
        do {
            return try Request(protobuf: payload)
        } catch {
            throw RPCError(code: .invalidArgument, message: "\(error)")
        }
    }

    /// Registers every method of `service`.
    public mutating func register(_ service: some RPCService) {
        service.registerMethods(with: &self)
    }

    /// The access classes of `method`, if it is registered.
    public func access(of method: String) -> MethodAccess? { handlers[method]?.access }

    /// What becomes of one call: answered already, or an asynchronous handler still to run.
    public enum Dispatch: Sendable {
        case answered(Envelope)
        /// Await it for the answer, which (like every answer here) carries the call id and
        /// turns every failure into a status.
        case pending(@Sendable () async -> Envelope)
    }

    /// Looks `request` up once and answers it on the caller's thread when that needs no
    /// waiting: a call that may not run (malformed or unknown method, caller not permitted) or
    /// a handler that answers `.now`. One that answers `.later` comes back pending, for the
    /// caller to run where it likes.
    public func dispatch(_ request: Envelope, from peer: PeerCredentials, policy: AccessPolicy) -> Dispatch {
        let run: RawHandler
        switch admit(request, from: peer, policy: policy) {
        case .failure(let refusal): return .answered(refusal.envelope)
        case .success(let admitted): run = admitted
        }
        let context = RPCContext(callID: request.callID, method: request.method, metadata: request.metadata, peer: peer)
        do {
            switch try run(request.payload, context) {
            case .now(let payload): return .answered(.success(callID: request.callID, payload: payload))
            case .later(let rest): return pending(request, context: context, rest)
            }
        } catch {
            return .answered(answer(request, failedWith: error, context: context))
        }
    }

    private func pending(
        _ request: Envelope, context: RPCContext, _ run: @escaping @Sendable () async throws -> [UInt8]
    ) -> Dispatch {
        .pending {
            do {
                return .success(callID: request.callID, payload: try await run())
            } catch {
                return answer(request, failedWith: error, context: context)
            }
        }
    }

    /// Runs the call `request` from `peer` describes, if `policy` lets `peer` call it, and
    /// returns its answer, which always carries the request's call id and never throws:
    /// every failure becomes a status.
    public func handle(_ request: Envelope, from peer: PeerCredentials, policy: AccessPolicy) async -> Envelope {
        switch dispatch(request, from: peer, policy: policy) {
        case .answered(let answer): answer
        case .pending(let run): await run()
        }
    }

    /// A call that must not run, answered.
    private struct Refusal: Error {
        let envelope: Envelope
    }

    /// The handler of `request`'s method, or the answer refusing it.
    private func admit(_ request: Envelope, from peer: PeerCredentials, policy: AccessPolicy) -> Result<RawHandler, Refusal> {
        // Registered names are well formed, so only a miss needs the name checked.
        guard let handler = handlers[request.method] else {
            guard MethodName.isWellFormed(request.method) else {
                return .failure(Refusal(envelope: .failure(
                    callID: request.callID, status: .invalidArgument,
                    message: request.method.isEmpty
                        ? "method is missing"
                        : "method \"\(Self.printable(request.method))\" is not of the form /package.Service/Method")))
            }
            return .failure(Refusal(envelope: .failure(
                callID: request.callID, status: .unimplemented,
                message: "unknown method \"\(Self.printable(request.method))\"")))
        }
        guard policy.permits(peer, toCall: handler.access) else {
            return .failure(Refusal(envelope: .failure(
                callID: request.callID, status: .permissionDenied,
                message: "uid \(peer.uid) (gid \(peer.gid)\(peer.groups.isEmpty ? "" : ", groups " + peer.groups.map(String.init).joined(separator: ","))) "
                    + "may not call \(request.method): its class is \(handler.access)")))
        }
        return .success(handler.run)
    }

    /// The answer to a call whose handler threw `error`.
    private func answer(_ request: Envelope, failedWith error: Error, context: RPCContext) -> Envelope {
        switch error {
        case let error as RPCError:
            return .failure(callID: request.callID, status: error.code, message: error.message)
        case is CancellationError:
            // The deadline passed or the client went away; the server answers (or not) for it.
            return .failure(callID: request.callID, status: .cancelled, message: "call cancelled")
        default:
            onUnexpectedError(error, context)
            return .failure(callID: request.callID, status: .internal, message: "internal error")
        }
    }

    /// A client-supplied name shortened for an error message.
    public static func printable(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}

/// What a handler decided on the event loop: the answer, or the rest of the work to await.
public enum StagedAnswer<Response: Sendable>: Sendable {
    case now(Response)
    case later(@Sendable () async throws -> Response)
}

/// A set of methods registered together: one protobuf service.
public protocol RPCService: Sendable {
    /// The protobuf service name, such as `postern.health.v1.Health`.
    static var serviceName: String { get }

    /// Registers the service's methods.
    func registerMethods(with router: inout RPCRouter)
}
