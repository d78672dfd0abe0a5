import Logging
import PosternBlueprint
import PosternProtocol
import PosternRPC

/// `postern.blueprint.v1.Blueprints` in postern-policy: apply the entries of its models, and
/// export its objects as a blueprint (docs/blueprints.md "Applying", "Export").
public struct BlueprintsService: RPCService {
    public static let serviceName = Postern.Blueprint.V1.Blueprints.serviceName
    typealias API = Postern.Blueprint.V1.Blueprints

    let store: PolicyStore
    let logger: Logger

    public func registerMethods(with router: inout RPCRouter) {
        router.register(API.apply) { (request: Postern.Blueprint.V1.ApplyRequest, _) in
            let blueprint = try BlueprintRequest.parse(request.blueprintYaml, daemon: .policy)
            let applier = PolicyBlueprintApplier(store: store)
            return .later {
                let results = try await StoreWork.run { () throws(RPCError) in
                    try applier.apply(blueprint, locations: request.entryLocations, dryRun: request.dryRun)
                }
                BlueprintRequest.log(results, blueprint: blueprint, dryRun: request.dryRun, logger)
                return .init(results: results)
            }
        }
        router.register(API.export) { (request: Postern.Blueprint.V1.ExportRequest, _) in
            let models = try PolicyBlueprintExport.models(request.models)
            let entries = PolicyBlueprintExport.entries(store.configuration, models: models)
            return .now(.init(blueprintYaml: BlueprintWriter.yaml(name: "postern-policy export", entries: entries)))
        }
    }
}
