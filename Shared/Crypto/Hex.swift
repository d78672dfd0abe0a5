/// Lowercase hexadecimal text of bytes, two digits a byte, from a table: digests and lookup
/// indexes are formatted on hot paths (an app-password login formats one).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Takes an array, not any collection: a generic version is not specialised across the
    /// module boundary, and walking the bytes through protocol witnesses cost an app-password
    /// login about 2 µs (docs/benchmarks.md).
    public static func lowercase(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            digits.withUnsafeBufferPointer { table in
                bytes.withUnsafeBufferPointer { input in
                    for (offset, byte) in input.enumerated() {
                        out[2 * offset] = table[Int(byte >> 4)]
                        out[2 * offset + 1] = table[Int(byte & 0x0F)]
                    }
                }
            }
            return bytes.count * 2
        }
    }

    /// Whether `text` is exactly `digits` lowercase hexadecimal digits (an id or token this
    /// code formatted with `lowercase`).
    public static func isLowercase(_ text: String, digits: Int) -> Bool {
        text.utf8.count == digits && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
