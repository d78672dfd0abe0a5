import Foundation
import PosternRPC

/// What the IdP tells the engine about a request (docs/policy-context.md): a JSON object whose
/// known members are checked here — `user` and `pending_user`, `prompt_data`, `flow_plan`,
/// `http_request` — and whose other members are kept as they came, for policies to read.
public struct PolicyContext: Sendable {
    /// The largest context a call may send.
    public static let maximumBytes = 64 * 1024

    public let object: ContextObject
    public let user: ContextUser?
    public let pendingUser: ContextUser?
    /// The context as CEL variables, made on first use and shared by every expression of the
    /// evaluation.
    let celCache = CELVariablesCache()

    /// Whom the policies judge: the pending user when there is one, else the user (authentik's
    /// planner and stage checks). Nil is the anonymous visitor: no user or group binding
    /// passes for them.
    public var policyUser: ContextUser? { pendingUser ?? user }

    public static let empty = PolicyContext(object: ContextObject(), user: nil, pendingUser: nil)

    /// The context `text` holds; empty text is `{}`. A problem is INVALID_ARGUMENT naming its path.
    public static func parse(_ text: String) throws(RPCError) -> PolicyContext {
        guard !text.isEmpty else { return .empty }
        guard text.utf8.count <= maximumBytes else {
            throw RPCError(code: .invalidArgument, message: "context_json is \(text.utf8.count) bytes; at most \(maximumBytes)")
        }
        do {
            let object = try ContextJSON.parseObject(text)
            return try PolicyContext(checking: object)
        } catch {
            throw RPCError(code: .invalidArgument, message: "context_json: \(error.description)")
        }
    }

    init(object: ContextObject, user: ContextUser?, pendingUser: ContextUser?) {
        self.object = object
        self.user = user
        self.pendingUser = pendingUser
    }

    /// One pass over the members: the known ones checked, the others kept as they are.
    private init(checking object: ContextObject) throws(ContextJSON.Problem) {
        self.object = object
        var user: ContextUser?
        var pendingUser: ContextUser?
        for (key, value) in object.members {
            switch key {
            case "user":
                user = try ContextUser(value, path: "context.user")
            case "pending_user":
                pendingUser = try ContextUser(value, path: "context.pending_user")
            case "prompt_data", "flow_plan":
                guard case .object = value else {
                    throw ContextJSON.Problem(path: "context.\(key)", text: "must be an object, not \(value.kind)")
                }
            case "http_request":
                try Self.checkHTTPRequest(value)
            default:
                break
            }
        }
        self.user = user
        self.pendingUser = pendingUser
    }

    private static func checkHTTPRequest(_ request: ContextValue) throws(ContextJSON.Problem) {
        guard case .object(let members) = request else {
            throw ContextJSON.Problem(path: "context.http_request", text: "must be an object, not \(request.kind)")
        }
        for (key, value) in members.members {
            guard key == "client_ip" else {
                throw ContextJSON.Problem(path: "context.http_request", text: "has \(ContextJSON.quoted(key)), which is not client_ip")
            }
            guard case .string(let address) = value, isIPAddress(address) else {
                throw ContextJSON.Problem(path: "context.http_request.client_ip", text: "must be an IPv4 or IPv6 address as a string")
            }
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

/// A user as the context describes them: `id` (what user bindings name), `username`, `name`,
/// `email`, `groups` (names, ancestors included: the IdP flattens its hierarchy),
/// `attributes`, `is_active`, `devices`, `backend` (what already authenticated them in this
/// flow). Any other member is refused.
public struct ContextUser: Sendable {
    public static let maximumIDBytes = 255
    public static let known: Set<String> = ["id", "username", "name", "email", "groups", "attributes", "is_active", "devices", "backend"]

    public let id: String
    public let username: String?
    public let name: String?
    public let email: String?
    /// The group names as sent (ancestors included).
    public let groups: [String]
    /// For a long list, the same names as a set (a short list is searched faster as it is).
    private let groupSet: Set<String>?

    /// Whether the user is in the group named `name`.
    public func isMember(of name: String) -> Bool {
        if let groupSet { return groupSet.contains(name) }
        return groups.contains(name)
    }

    /// Nil for an absent or null member.
    init?(_ value: ContextValue?, path: String) throws(ContextJSON.Problem) {
        guard let value else { return nil }
        if case .null = value { return nil }
        guard case .object(let object) = value else {
            throw ContextJSON.Problem(path: path, text: "must be an object or null, not \(value.kind)")
        }
        var id: String?
        var username: String?
        var name: String?
        var email: String?
        var groups: [String] = []
        for (key, member) in object.members {
            switch key {
            case "id":
                guard case .string(let text) = member, !text.isEmpty, text.utf8.count <= Self.maximumIDBytes else {
                    throw ContextJSON.Problem(path: path + ".id", text: "must be a string of 1…\(Self.maximumIDBytes) bytes")
                }
                id = text
            case "username", "name", "email", "backend":
                guard case .string(let text) = member else {
                    throw ContextJSON.Problem(path: "\(path).\(key)", text: "must be a string, not \(member.kind)")
                }
                switch key {
                case "username": username = text
                case "name": name = text
                case "email": email = text
                default: break
                }
            case "groups":
                guard case .array(let names) = member else {
                    throw ContextJSON.Problem(path: path + ".groups", text: "must be an array of group names, not \(member.kind)")
                }
                groups.reserveCapacity(names.count)
                for (index, name) in names.enumerated() {
                    guard case .string(let name) = name else {
                        throw ContextJSON.Problem(path: "\(path).groups[\(index)]", text: "must be a string, not \(name.kind)")
                    }
                    groups.append(name)
                }
            case "attributes":
                guard case .object = member else {
                    throw ContextJSON.Problem(path: path + ".attributes", text: "must be an object, not \(member.kind)")
                }
            case "is_active":
                guard case .bool = member else {
                    throw ContextJSON.Problem(path: path + ".is_active", text: "must be true or false, not \(member.kind)")
                }
            case "devices":
                guard case .array(let devices) = member else {
                    throw ContextJSON.Problem(path: path + ".devices", text: "must be an array of objects, not \(member.kind)")
                }
                for (index, device) in devices.enumerated() {
                    guard case .object = device else {
                        throw ContextJSON.Problem(path: "\(path).devices[\(index)]", text: "must be an object, not \(device.kind)")
                    }
                }
            default:
                throw ContextJSON.Problem(
                    path: path, text: "has \(ContextJSON.quoted(key)); a user has only " + Self.known.sorted().joined(separator: ", "))
            }
        }
        guard let id else {
            throw ContextJSON.Problem(path: path + ".id", text: "must be a string of 1…\(Self.maximumIDBytes) bytes")
        }
        self.id = id
        self.username = username
        self.name = name
        self.email = email
        self.groups = groups
        groupSet = groups.count > 16 ? Set(groups) : nil
    }
}
