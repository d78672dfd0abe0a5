import ArgumentParser
import PosternClient

/// Which user a command is about: a username, or `--id`.
struct UserTarget: ParsableArguments {
    @Argument(help: "The user's username.")
    var username: String?

    @Option(help: ArgumentHelp("The user's id instead of a username.", valueName: "id"))
    var id: String?

    func validate() throws {
        guard (username == nil) != (id == nil) else {
            throw ValidationError("Name the user by a username or by --id, not both or neither.")
        }
    }
}

extension RPCClient {
    /// The user `target` names.
    func user(_ target: UserTarget) async throws(RPCError) -> Postern.Password.V1.User {
        if let id = target.id { return try await user(id: id) }
        return try await user(username: target.username ?? "")
    }
}
