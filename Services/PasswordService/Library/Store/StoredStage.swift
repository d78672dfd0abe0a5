import Foundation
import GRDB

/// One row of the `password_stage` table.
public struct StoredStage: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "password_stage"

    public var name: String
    /// Backend names in order, comma-separated.
    public var backends: String
    public var failedAttemptsBeforeCancel: Int
    public var allowShowPassword: Bool
    public var configurationFlow: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String, backends: String, failedAttemptsBeforeCancel: Int, allowShowPassword: Bool,
        configurationFlow: String, createdAt: Date, updatedAt: Date
    ) {
        self.name = name
        self.backends = backends
        self.failedAttemptsBeforeCancel = failedAttemptsBeforeCancel
        self.allowShowPassword = allowShowPassword
        self.configurationFlow = configurationFlow
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, backends
        case failedAttemptsBeforeCancel = "failed_attempts_before_cancel"
        case allowShowPassword = "allow_show_password"
        case configurationFlow = "configuration_flow"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
