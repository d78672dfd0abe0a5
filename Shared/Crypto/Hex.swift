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
}
