import Foundation
import Logging
import PosternProtocol
import PosternStore
import PosternWire

/// `postern.password.v1.Stages`: password stage configurations (admin), and the challenge an
/// IdP renders for one (verify).
public struct StagesService: RPCService {
    public static let serviceName = StagesMethods.service

    private let store: PasswordStore
    private let logger: Logger

    public init(store: PasswordStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(StagesMethods.create, access: .admin) { (request: CreateStageRequest, _) in
            try await create(request.stage)
        }
        router.register(StagesMethods.update, access: .admin) { (request: UpdateStageRequest, _) in
            try await update(request.stage)
        }
        router.register(StagesMethods.get, access: .admin) { (request: GetStageRequest, _) in
            StageRules.message(try await existing(request.name))
        }
        router.register(StagesMethods.list, access: .admin) { (_: ListStagesRequest, _) in
            ListStagesResponse(stages: try await stored { () throws(StoreError) in try await store.stages() }.map(StageRules.message))
        }
        router.register(StagesMethods.delete, access: .admin) { (request: DeleteStageRequest, _) in
            guard try await stored({ () throws(StoreError) in try await store.deleteStage(named: request.name) }) else {
                throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(request.name))\"")
            }
            logger.notice("stage_deleted", metadata: ["stage": "\(request.name)"])
            return DeleteStageResponse()
        }
        router.register(StagesMethods.getChallenge, access: .verify) { (request: GetChallengeRequest, _) in
            let stage = try await existing(request.stage)
            return PasswordChallenge(
                pendingUser: request.pendingUser, allowShowPassword: stage.allowShowPassword,
                configurationFlow: stage.configurationFlow)
        }
    }

    func create(_ stage: PasswordStage) async throws(RPCError) -> PasswordStage {
        let row = try StageRules.row(stage, now: Date())
        try await stored { () throws(StoreError) in try await store.insert(row) }
        logger.notice("stage_created", metadata: ["stage": "\(row.name)", "backends": "\(row.backends)"])
        return StageRules.message(row)
    }

    func update(_ stage: PasswordStage) async throws(RPCError) -> PasswordStage {
        let row = try StageRules.row(stage, now: Date())
        guard let updated = try await stored({ () throws(StoreError) in try await store.replace(row) }) else {
            throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(stage.name))\"")
        }
        logger.notice("stage_updated", metadata: ["stage": "\(row.name)", "backends": "\(row.backends)"])
        return StageRules.message(updated)
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
