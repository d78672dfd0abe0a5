import PosternCrypto
import Testing

/// HMAC-SHA-256 and AES-256-GCM against published vectors, and GCM's refusals.
@Suite struct AuthenticatedEncryptionTests {
    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test func hmacSHA256MatchesRFC4231() {
        // Test case 2.
        let code = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(code == Self.bytes(hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        // Test case 6: a key longer than the block is hashed first.
        let long = HMACSHA256.authenticationCode(
            key: [UInt8](repeating: 0xaa, count: 131), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(long == Self.bytes(hex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    }

    /// The keyed form (precomputed inner and outer states) gives the same codes: RFC 4231's
    /// vectors, keys of every length around the block size, messages of every length around
    /// it, and one key used for many messages, from several threads at once.
    @Test func keyedHMACSHA256MatchesTheOneShot() async {
        let jefe = HMACSHA256.Keyed(key: Array("Jefe".utf8))
        #expect(jefe.authenticationCode(Array("what do ya want for nothing?".utf8))
            == Self.bytes(hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        let long = HMACSHA256.Keyed(key: [UInt8](repeating: 0xaa, count: 131))
        #expect(long.authenticationCode(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
            == Self.bytes(hex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
        for keyLength in [0, 1, 32, 63, 64, 65, 200] {
            let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let keyed = HMACSHA256.Keyed(key: key)
            for messageLength in [0, 1, 55, 56, 63, 64, 65, 128, 1000] {
                let message = (0..<messageLength).map { UInt8(truncatingIfNeeded: $0 &* 17) }
                #expect(keyed.authenticationCode(message) == HMACSHA256.authenticationCode(key: key, message: message),
                        "key \(keyLength) bytes, message \(messageLength) bytes")
            }
        }
        let shared = HMACSHA256.Keyed(key: [UInt8](repeating: 3, count: 32))
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    (0..<500).filter { index in
                        let message = Array("message \(task) \(index)".utf8)
                        return shared.authenticationCode(message)
                            != HMACSHA256.authenticationCode(key: [UInt8](repeating: 3, count: 32), message: message)
                    }.count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    /// McGrew and Viega's GCM test case 16 (256-bit key, associated data), which the
    /// `cryptography` package reproduces.
    @Test func aes256GCMMatchesTheGCMSpecificationsVector() throws {
        let key = Self.bytes(hex: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let nonce = Self.bytes(hex: "cafebabefacedbaddecaf888")
        let plaintext = Self.bytes(hex: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = Self.bytes(hex: "feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let sealed = AES256GCM.seal(plaintext, key: key, nonce: nonce, associatedData: aad)
        #expect(sealed == Self.bytes(hex: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b"))
        #expect(AES256GCM.open(sealed, key: key, nonce: nonce, associatedData: aad) == plaintext)
    }

    @Test func aes256GCMRefusesAnyChange() {
        let key = [UInt8](repeating: 7, count: 32), nonce = [UInt8](repeating: 9, count: 12)
        let sealed = AES256GCM.seal(Array("app password".utf8), key: key, nonce: nonce, associatedData: Array("row 1".utf8))
        #expect(AES256GCM.open(sealed, key: key, nonce: nonce, associatedData: Array("row 1".utf8)) == Array("app password".utf8))
        #expect(AES256GCM.open(sealed, key: key, nonce: nonce, associatedData: Array("row 2".utf8)) == nil, "other associated data")
        #expect(AES256GCM.open(sealed, key: [UInt8](repeating: 8, count: 32), nonce: nonce, associatedData: Array("row 1".utf8)) == nil)
        #expect(AES256GCM.open(sealed, key: key, nonce: [UInt8](repeating: 1, count: 12), associatedData: Array("row 1".utf8)) == nil)
        for index in sealed.indices {
            var flipped = sealed
            flipped[index] ^= 1
            #expect(AES256GCM.open(flipped, key: key, nonce: nonce, associatedData: Array("row 1".utf8)) == nil)
        }
        #expect(AES256GCM.open(Array(sealed.prefix(15)), key: key, nonce: nonce) == nil, "shorter than a tag")
        let empty = AES256GCM.seal([], key: key, nonce: nonce)
        #expect(empty.count == 16 && AES256GCM.open(empty, key: key, nonce: nonce) == [])
    }
}
