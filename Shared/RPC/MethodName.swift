/// Method names in gRPC form: `/package.Service/Method`.
public enum MethodName {
    /// True for `/` + a dotted service name + `/` + a method name, each part starting with a
    /// letter or `_` and holding only ASCII letters, digits and `_`; 256 bytes at most.
    public static func isWellFormed(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 4, bytes.count <= 256, bytes[0] == UInt8(ascii: "/") else { return false }
        let parts = bytes[1...].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let serviceParts = parts[0].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return serviceParts.allSatisfy(isIdentifier) && isIdentifier(parts[1])
    }

    private static func isIdentifier(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
