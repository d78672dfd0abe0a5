import Foundation
import Logging
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.password.v1.Stages`: password stage configurations (admin), and the challenge an
/// IdP renders for one (verify).
public struct StagesService: RPCService {
    public static let serviceName = Postern.Password.V1.Stages.serviceName

    private let store: PasswordStore
    private let logger: Logger

    public init(store: PasswordStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Password.V1.Stages.create) { (request: Postern.Password.V1.CreateStageRequest, _) in .later {
            try await create(try Self.required(request.stage))
        } }
        router.register(Postern.Password.V1.Stages.update) { (request: Postern.Password.V1.UpdateStageRequest, _) in .later {
            try await update(try Self.required(request.stage))
        } }
        router.register(Postern.Password.V1.Stages.get) { (request: Postern.Password.V1.GetStageRequest, _) in .later {
            StageRules.message(try await existing(request.name))
        } }
        router.register(Postern.Password.V1.Stages.list) { (_: Postern.Password.V1.ListStagesRequest, _) in .later {
            Postern.Password.V1.ListStagesResponse(stages: try await stored { () throws(StoreError) in try await store.stages() }.map(StageRules.message))
        } }
        router.register(Postern.Password.V1.Stages.delete) { (request: Postern.Password.V1.DeleteStageRequest, _) in .later {
            guard try await stored({ () throws(StoreError) in try await store.deleteStage(named: request.name) }) else {
                throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(request.name))\"")
            }
            logger.notice("stage_deleted", metadata: ["stage": "\(request.name)"])
            return Postern.Password.V1.DeleteStageResponse()
        } }
        router.register(Postern.Password.V1.Stages.getChallenge) { (request: Postern.Password.V1.GetChallengeRequest, _) in .later {
            let stage = try await existing(request.stage)
            return Postern.Password.V1.PasswordChallenge(
                component: Self.challengeComponent, pendingUser: request.pendingUser, allowShowPassword: stage.allowShowPassword,
                configurationFlow: stage.configurationFlow)
        } }
    }

    func create(_ stage: Postern.Password.V1.PasswordStage) async throws(RPCError) -> Postern.Password.V1.PasswordStage {
        let row = try StageRules.row(stage, now: Date())
        try await stored { () throws(StoreError) in try await store.insert(row) }
        logger.notice("stage_created", metadata: ["stage": "\(row.name)", "backends": "\(row.backends)"])
        return StageRules.message(row)
    }

    func update(_ stage: Postern.Password.V1.PasswordStage) async throws(RPCError) -> Postern.Password.V1.PasswordStage {
        let row = try StageRules.row(stage, now: Date())
        guard let updated = try await stored({ () throws(StoreError) in try await store.replace(row) }) else {
            throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(stage.name))\"")
        }
        logger.notice("stage_updated", metadata: ["stage": "\(row.name)", "backends": "\(row.backends)"])
        return StageRules.message(updated)
    }

    /// The web component authentik's flow executor renders a password challenge with.
    static let challengeComponent = "ak-stage-password"

    /// The request's stage; a request without one is refused.
    private static func required(_ stage: Postern.Password.V1.PasswordStage?) throws(RPCError) -> Postern.Password.V1.PasswordStage {
        guard let stage else { throw RPCError(code: .invalidArgument, message: "stage is missing") }
        return stage
    }

    private func existing(_ name: String) async throws(RPCError) -> StoredStage {
        guard let stage = try await stored({ () throws(StoreError) in try await store.stage(named: name) }) else {
            throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(name))\"")
        }
        return stage
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
