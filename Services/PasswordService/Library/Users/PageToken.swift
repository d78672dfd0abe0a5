import Foundation
import PosternRPC
import PosternWire

/// ListUsers page tokens: the last username of the page, base64url-encoded, so that callers
/// treat them as opaque. A page starts after that username, so users created or removed
/// between pages neither repeat nor shift the rest.
enum PageToken {
    static func after(_ username: String) -> String {
        Data(username.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The username a token continues after; nil for the empty (first page) token.
    static func username(in token: String) throws(RPCError) -> String? {
        guard !token.isEmpty else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.utf8.count <= 1024, let data = Data(base64Encoded: base64),
              let username = String(data: data, encoding: .utf8), !username.isEmpty
        else {
            throw RPCError(code: .invalidArgument, message: "page_token is not one this daemon made")
        }
        return username
    }
}
