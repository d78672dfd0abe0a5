import Logging
import PosternBlueprint
import PosternProtocol
import PosternRPC
import PosternStore

/// `postern.blueprint.v1.Blueprints` in postern-password: apply and export password stages
/// (docs/blueprints.md).
public struct StageBlueprintService: RPCService {
    public static let serviceName = Postern.Blueprint.V1.Blueprints.serviceName
    typealias API = Postern.Blueprint.V1.Blueprints

    let store: PasswordStore
    let logger: Logger

    public init(store: PasswordStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.apply) { (request: Postern.Blueprint.V1.ApplyRequest, _) in
            let blueprint = try BlueprintRequest.parse(request.blueprintYaml, daemon: .password)
            return .later {
                let results = try await StageBlueprint.apply(
                    blueprint, locations: request.entryLocations, dryRun: request.dryRun, store: store)
                BlueprintRequest.log(results, blueprint: blueprint, dryRun: request.dryRun, logger)
                return .init(results: results)
            }
        }
        router.register(API.export) { (request: Postern.Blueprint.V1.ExportRequest, _) in
            for name in request.models where BlueprintSchema.models[name] == nil {
                throw RPCError(code: .invalidArgument, message: "unknown model \(name)")
            }
            return .later {
                guard request.models.isEmpty || request.models.contains(StageBlueprint.model) else {
                    return .init(blueprintYaml: BlueprintWriter.yaml(name: "postern-password export", entries: []))
                }
                let stages = try await storeCall(logger) { () throws(StoreError) in try await store.stages() }
                let entries = stages.map { row -> BlueprintWriter.Entry in
                    var fields = StageBlueprint.fields(of: StageRules.message(row)).values
                    let name = fields.removeValue(forKey: "name") ?? .string(row.name)
                    return .init(model: StageBlueprint.model, identifiers: ["name": name], attrs: fields)
                }
                return .init(blueprintYaml: BlueprintWriter.yaml(name: "postern-password export", entries: entries))
            }
        }
    }
}
