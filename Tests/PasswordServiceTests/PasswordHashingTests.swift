import PasswordService
import PosternCrypto
import PosternHashing
import Testing

/// Verification of every supported hash family against hashes independent tools made at test
/// time, and Postern's own new hashes.
@Suite struct PasswordHashingTests {
    let hashing = PasswordHashing()

    @Test func everyFamilyIsCoveredByAnIndependentTool() throws {
        let families = Set(try IndependentHashVector.all.get().map(\.family))
        #expect(families == [
            "pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt", "scrypt",
            "sha512crypt", "yescrypt", "bcrypt (crypt)", "argon2id (crypt)",
        ])
    }

    @Test(arguments: try IndependentHashVector.all.get())
    func anIndependentHashVerifiesTheRightPasswordOnly(_ vector: IndependentHashVector) throws {
        let label = "\(vector.tool) \(vector.family): \(vector.encoded)"
        try PasswordHashing.validateForImport(vector.encoded)
        let outcome = hashing.verify(Array(vector.password.utf8), against: vector.encoded)
        // The argon2 tool was asked for exactly the default parameters; everything else is
        // another algorithm or other parameters, so a login upgrades it.
        let current = vector.family == "argon2id (crypt)"
        #expect(outcome == .match(needsRehash: !current), "\(label)")
        #expect(hashing.verify(Array((vector.password + "x").utf8), against: vector.encoded) == .mismatch, "\(label)")
        #expect(hashing.verify(Array(vector.password.dropLast().utf8), against: vector.encoded) == .mismatch, "\(label)")
    }

    @Test func aRehashIsTheCurrentDefaultAndVerifies() throws {
        let vector = try #require(try IndependentHashVector.all.get().first { $0.family == "pbkdf2_sha1" })
        let password = Array(vector.password.utf8)
        #expect(hashing.verify(password, against: vector.encoded) == .match(needsRehash: true))
        let upgraded = hashing.hash(password)
        #expect(upgraded.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(hashing.verify(password, against: upgraded) == .match(needsRehash: false))
        #expect(hashing.hash(password) != upgraded, "a fresh salt each time")
    }

    @Test func pbkdf2CanBeTheDefaultAndStrongerParametersAskForARehash() throws {
        let policy = HashingPolicy(algorithm: .pbkdf2SHA256, argon2: HashingPolicy.standard.argon2, pbkdf2Iterations: 1000)
        let pbkdf2 = PasswordHashing(policy: policy)
        let encoded = pbkdf2.hash(Array("secret".utf8))
        #expect(encoded.hasPrefix("pbkdf2_sha256$1000$"))
        #expect(encoded.split(separator: "$")[2].count == 22)
        #expect(pbkdf2.verify(Array("secret".utf8), against: encoded) == .match(needsRehash: false))
        // Django's own default (1,000,000) is other parameters: upgrade to the policy's.
        var stronger = policy
        stronger.pbkdf2Iterations = 2000
        #expect(PasswordHashing(policy: stronger).verify(Array("secret".utf8), against: encoded) == .match(needsRehash: true))
        // An Argon2id hash under a PBKDF2 policy is another algorithm.
        let argon = hashing.hash(Array("secret".utf8))
        #expect(pbkdf2.verify(Array("secret".utf8), against: argon) == .match(needsRehash: true))
    }

    @Test(arguments: ["", "!", "!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", "md5$salt$abc", "sha1$$abc",
                      "5f4dcc3b5aa765d61d8327deb882cf99", "plaintext"])
    func emptyUnusableAndUnknownHashesNeverVerify(_ encoded: String) {
        #expect(hashing.verify(Array("".utf8), against: encoded) == .mismatch)
        #expect(hashing.verify(Array("password".utf8), against: encoded) == .mismatch)
    }

    /// As in authentik: such a hash costs about one hash of the current policy, so timing
    /// does not tell a user without a usable password from one with it. A ratio within one run,
    /// with a wide margin: a shortcut that skipped the hash would take microseconds.
    @Test func anEmptyUnusableOrUnknownHashCostsAboutOneCurrentHash() {
        let secret = Array("secret".utf8)
        let real = hashing.hash(secret)
        func median(_ work: () -> Void) -> Duration {
            (0..<5).map { _ in ContinuousClock().measure(work) }.sorted()[2]
        }
        let realTime = median { _ = hashing.verify(secret, against: real) }
        for encoded in ["", "!unusable", "md5$salt$5f4dcc3b5aa765d61d8327deb882cf99"] {
            let time = median { _ = hashing.verify(secret, against: encoded) }
            #expect(time > realTime * 0.3, "\"\(encoded)\": \(time) against \(realTime) for a real verification")
        }
    }

    @Test func importRefusesUnknownAndMalformedHashesWithTheReason() {
        let refused: [(String, String)] = [
            ("md5$salt$5f4dcc3b5aa765d61d8327deb882cf99", "unknown hash format"),
            ("plaintext", "unknown hash format"),
            ("pbkdf2_sha256$abc$salt$AAAA", "iterations"),
            ("pbkdf2_sha256$99999999999$salt$AAAA", "iterations"),
            ("pbkdf2_sha256$1000$salt$notbase64!!", "base64"),
            ("pbkdf2_sha256$1000$$eFh", "salt is empty"),
            ("argon2$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "out of bounds"),
            ("$argon2id$v=19$m=1024,t=2$c2FsdHNhbHQ$aGFzaGhhc2g", "m=…,t=…,p=…"),
            ("$2b$31$" + String(repeating: "a", count: 53), "cost"),
            ("bcrypt_sha256$$2b$12$short", "bcrypt"),
            ("scrypt$1000$salt$8$1$AAAA", "power of 2"),
            ("scrypt$1048576$salt$32$1$AAAA", "1 GiB"),
            ("$6$rounds=999999999$salt$" + String(repeating: "a", count: 86), "rounds"),
            ("$y$j9T$salt", "yescrypt"),
        ]
        for (encoded, words) in refused {
            let error = #expect(throws: HashFormatError.self, "\(encoded)") { try PasswordHashing.validateForImport(encoded) }
            #expect(error?.message.contains(words) == true, "\(encoded): \(String(describing: error))")
        }
        // No usable password is a state, not a format error.
        #expect(throws: Never.self) { try PasswordHashing.validateForImport("") }
        #expect(throws: Never.self) { try PasswordHashing.validateForImport("!unusable") }
    }

    @Test func bcryptSHA256IsNotCutAt72BytesButBcryptIs() throws {
        // Django's bcrypt_sha256 exists because bcrypt ignores bytes past 72.
        let long = String(repeating: "a", count: 80)
        let cut = String(repeating: "a", count: 72) + "bbbbbbbb"
        let bcrypt = try #require(Crypt.hash(password: Array(long.utf8), setting: "$2b$04$abcdefghijklmnopqrstuu"))
        #expect(hashing.verify(Array(cut.utf8), against: "bcrypt$" + bcrypt) == .match(needsRehash: true))
        let prehashed = try #require(Crypt.hash(password: Array(SHA256.hex(Array(long.utf8)).utf8), setting: "$2b$04$abcdefghijklmnopqrstuu"))
        #expect(hashing.verify(Array(long.utf8), against: "bcrypt_sha256$" + prehashed) == .match(needsRehash: true))
        #expect(hashing.verify(Array(cut.utf8), against: "bcrypt_sha256$" + prehashed) == .mismatch)
    }
}
