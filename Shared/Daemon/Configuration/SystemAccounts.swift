#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// User and group names resolved through NSS (getpwnam_r / getgrnam_r), as the kernel's
/// numeric ids are what peer credentials carry.
enum SystemAccounts {
    static func uid(ofUser name: String) -> UInt32? {
        withBuffer { buffer in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            return (status, result == nil ? nil : entry.pw_uid)
        }
    }

    static func gid(ofGroup name: String) -> UInt32? {
        withBuffer { buffer in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            return (status, result == nil ? nil : entry.gr_gid)
        }
    }

    /// Calls `body` with a scratch buffer, growing it (up to 1 MiB) while NSS says ERANGE.
    private static func withBuffer(
        _ body: (UnsafeMutableBufferPointer<CChar>) -> (status: Int32, id: UInt32?)
    ) -> UInt32? {
        var size = 4096
        while size <= 1 << 20 {
            let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let (status, id) = body(buffer)
            if status == ERANGE { size *= 4; continue }
            return status == 0 ? id : nil
        }
        return nil
    }
}
