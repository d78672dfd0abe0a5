import PosternCEL
import Synchronization

extension ContextValue {
    /// The same value in CEL: objects become maps, arrays lists, whole numbers ints.
    var cel: CELValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .integer(let value): .int(value)
        case .double(let value): .double(value)
        case .string(let value): .string(value)
        case .array(let items): .list(items.map(\.cel))
        case .object(let object): object.cel
        }
    }
}

extension ContextObject {
    var cel: CELValue { .map(celMap) }

    var celMap: CELMap {
        var map = CELMap()
        for (key, value) in members { _ = map.insert(.string(key), value.cel) }
        return map
    }
}

extension PolicyContext {
    /// What an expression sees (docs/expressions.md, "Variables"): `request` — `user` (the
    /// context's user, or null), `context` (the whole context), `http_request` (or null) — and
    /// the shortcuts `pending_user`, `prompt_data`, `flow_plan` (each null when absent).
    var celVariables: CELVariables { celCache.variables { CELVariables(makeCELVariables()) } }

    /// The context is converted once; the request's members and the shortcuts share its values.
    private func makeCELVariables() -> [String: CELValue] {
        let members = object.celMap
        var request = CELMap()
        _ = request.insert(.string("user"), members["user"] ?? .null)
        _ = request.insert(.string("context"), .map(members))
        _ = request.insert(.string("http_request"), members["http_request"] ?? .null)
        return [
            "request": .map(request),
            "pending_user": members["pending_user"] ?? .null,
            "prompt_data": members["prompt_data"] ?? .null,
            "flow_plan": members["flow_plan"] ?? .null,
        ]
    }
}

/// Holds one context's CEL variables once made.
final class CELVariablesCache: Sendable {
    private let made = Mutex<CELVariables?>(nil)

    func variables(_ make: () -> CELVariables) -> CELVariables {
        if let variables = made.withLock({ $0 }) { return variables }
        let variables = make()
        made.withLock { $0 = variables }
        return variables
    }
}
