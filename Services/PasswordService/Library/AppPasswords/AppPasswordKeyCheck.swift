import PosternRPC
import PosternWire

/// At start: the key must be the one the stored app passwords were sealed with. A daemon that
/// could not open them would refuse every app password and view none, so it does not start.
enum AppPasswordKeyCheck {
    static func atStartup(store: PasswordStore, key: AppPasswordKey?, path: String) async throws(StartupError) {
        let count: Int
        let stored: String?
        do {
            count = try await store.appPasswordCount()
            stored = try await store.appPasswordKeyCheck()
        } catch {
            throw StartupError("cannot read the app passwords from the user store: \(error)")
        }
        guard let key else {
            guard count == 0 else {
                throw StartupError(
                    "\(count) app password(s) are stored but there is no app-password key at \(path); give the key they "
                        + "were made with (key `app_passwords.key_file`, or systemd's LoadCredential=app-password.key)")
            }
            return
        }
        guard stored != key.check else { return }
        guard count == 0 else {
            throw StartupError(
                "the app-password key at \(path) is not the one the \(count) stored app password(s) were sealed with; "
                    + "give that key (key `app_passwords.key_file`)")
        }
        // Nothing was sealed with the old key: this one takes its place.
        do {
            try await store.setAppPasswordKeyCheck(key.check)
        } catch {
            throw StartupError("cannot record the app-password key's check value: \(error)")
        }
    }
}
