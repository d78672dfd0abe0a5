import PosternCEL
import PosternProtocol
import PosternRPC

/// An expression policy: a CEL expression (docs/expressions.md) compiled when the policy is
/// created or changed, evaluated against the request's context with a cost budget. It gives a
/// bool (the result, no message), or a map `{"passing": bool, "messages": [string, …]}`
/// (authentik's convention of a result with messages). An evaluation error — a missing key,
/// division by zero, the budget spent — is a policy error: the binding's failure_result
/// applies, with the error's text as the message.
final class ExpressionPolicy: CompiledPolicy {
    static let maximumExpressionBytes = 16 * 1024

    let program: CELProgram

    init(program: CELProgram) { self.program = program }

    static let kind = PolicyKind(
        type: .expression,
        carriesSettings: { $0.expression != nil },
        settings: { policy, _ throws(RPCError) in
            let settings = policy.expression ?? .init()
            guard !settings.expression.isEmpty else { throw RPCError(code: .invalidArgument, message: "expression.expression is missing") }
            guard settings.expression.utf8.count <= maximumExpressionBytes else {
                throw RPCError(code: .invalidArgument, message: "expression.expression is longer than \(maximumExpressionBytes) bytes")
            }
            do throws(CELSyntaxError) {
                _ = try CELProgram(settings.expression)
            } catch {
                throw RPCError(code: .invalidArgument, message: "expression.expression does not parse: \(error.description)")
            }
            return settings.protobuf()
        },
        restore: { bytes, policy throws(ProtoDecodingError) in
            policy.expression = try Postern.Policy.V1.ExpressionSettings(protobuf: bytes)
        },
        compile: { name, bytes, _ throws(PolicyFailure) in
            let settings = try PolicyKind.stored(Postern.Policy.V1.ExpressionSettings.self, bytes, policy: name)
            do throws(CELSyntaxError) {
                return ExpressionPolicy(program: try CELProgram(settings.expression))
            } catch {
                throw PolicyFailure("policy \(name)'s expression does not parse: \(error.description)")
            }
        })

    func run(_ request: PolicyRequest) -> PolicyRun {
        let value: CELValue
        do {
            value = try program.evaluate(request.context.celVariables)
        } catch {
            return .done(.failure(PolicyFailure(error.message)))
        }
        switch value {
        case .bool(let passing):
            return .done(.success(PolicyOutcome(passing: passing, messages: [])))
        case .map(let map):
            guard case .bool(let passing)? = map["passing"] else {
                return .done(.failure(PolicyFailure("the expression gave a map without a boolean \"passing\"")))
            }
            var messages: [String] = []
            switch map["messages"] {
            case nil: break
            case .list(let items)?:
                for item in items {
                    guard case .string(let text) = item else {
                        return .done(.failure(PolicyFailure("the expression's \"messages\" holds a \(item.type.rawValue), not a string")))
                    }
                    messages.append(text)
                }
            case .string(let text)?: messages = [text]
            case let other?:
                return .done(.failure(PolicyFailure("the expression's \"messages\" is a \(other.type.rawValue), not a list of strings")))
            }
            return .done(.success(PolicyOutcome(passing: passing, messages: messages)))
        default:
            return .done(.failure(PolicyFailure("the expression gave a \(value.type.rawValue), not a bool or {\"passing\": …, \"messages\": […]}")))
        }
    }
}
