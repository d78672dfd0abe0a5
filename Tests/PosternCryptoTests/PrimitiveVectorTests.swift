import PosternCrypto
import Testing

/// The primitives against published test vectors.
@Suite struct PrimitiveVectorTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func pbkdf2MatchesRFC6070AndRFC7914() {
        #expect(Self.hex(PBKDF2.derive(password: Self.bytes("password"), salt: Self.bytes("salt"), iterations: 1, digest: .sha1))
            == "0c60c80f961f0e71f3a9b524af6012062fe037a6")
        #expect(Self.hex(PBKDF2.derive(password: Self.bytes("password"), salt: Self.bytes("salt"), iterations: 4096, digest: .sha1))
            == "4b007901b765489abead49d926f721d065a429c1")
        #expect(Self.hex(PBKDF2.derive(password: Self.bytes("passwd"), salt: Self.bytes("salt"), iterations: 1, digest: .sha256, length: 64))
            == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    @Test func scryptMatchesRFC7914AndRefusesHostileParameters() {
        let key = Scrypt.derive(password: Self.bytes("password"), salt: Self.bytes("NaCl"), n: 1024, r: 8, p: 16, length: 64)
        #expect(key.map(Self.hex) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
        // n = 2^30 with r = 8 needs 1 TiB: refused, not attempted.
        #expect(Scrypt.derive(password: [1], salt: [2], n: 1 << 30, r: 8, p: 1, length: 64) == nil)
        #expect(Scrypt.derive(password: [1], salt: [2], n: 1000, r: 8, p: 1, length: 64) == nil, "n must be a power of 2")
    }

    @Test func argon2MatchesTheArgon2CommandLineTool() {
        // echo -n pässword | argon2 somesaltsalt -id -t 2 -m 10 -p 1 -e
        let reference = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzYWx0$QYe60V8AFAXg7OGE9nTnhxWGA48evKcKhL0hMb/NT6I"
        let parameters = Argon2.Parameters(memoryKiB: 1024, iterations: 2, parallelism: 1)
        #expect(Argon2.encode(password: Self.bytes("pässword"), salt: Self.bytes("somesaltsalt"), parameters: parameters) == reference)
        #expect(Argon2.verify(password: Self.bytes("pässword"), encoded: reference))
        #expect(!Argon2.verify(password: Self.bytes("password"), encoded: reference))
        #expect(!Argon2.verify(password: Self.bytes("pässword"), encoded: "$argon2id$garbage"))
        #expect(!Argon2.verify(password: Self.bytes("pässword"), encoded: "argon2$" + reference), "Django's prefix is the caller's to strip")
    }

    /// Other variants, versions, lane counts and hash lengths, from the argon2 tool:
    /// echo -n pässword | argon2 somesaltsalt -id -t 2 -m 10 -p 1 -v 10 -e (and -i -t 3 -m 10
    /// -p 2; -d -t 1 -m 12 -p 4 -l 16).
    @Test(arguments: [
        "$argon2id$v=16$m=1024,t=2,p=1$c29tZXNhbHRzYWx0$7TKahpSGr3ExWMUBWb9nqR16/gW++rsCdN7BnoRuHhA",
        "$argon2i$v=19$m=1024,t=3,p=2$c29tZXNhbHRzYWx0$Mtw7NCxZGF5pA+HGbzGhB9s1mCKhoULGvUdponksfGI",
        "$argon2d$v=19$m=4096,t=1,p=4$c29tZXNhbHRzYWx0$0jEvzp1Z2rU90Lp64ULNEg",
    ])
    func argon2VariantsVersionsAndLengthsMatchTheTool(reference: String) throws {
        let phc = try Argon2PHC(parsing: reference)
        #expect(phc.encoded == reference, "parsing and writing a PHC string changes nothing")
        if phc.version == Argon2PHC.version13 {  // encode writes the current version only
            #expect(Argon2.encode(password: Self.bytes("pässword"), salt: phc.salt, parameters: phc.parameters) == reference)
        }
        #expect(Argon2.verify(password: Self.bytes("pässword"), encoded: reference))
        #expect(!Argon2.verify(password: Self.bytes("pässwore"), encoded: reference))
    }

    @Test func argon2WithoutAVersionIsVersion10() throws {
        let withVersion = "$argon2id$v=16$m=1024,t=2,p=1$c29tZXNhbHRzYWx0$7TKahpSGr3ExWMUBWb9nqR16/gW++rsCdN7BnoRuHhA"
        let withoutVersion = withVersion.replacingOccurrences(of: "v=16$", with: "")
        #expect(try Argon2PHC(parsing: withoutVersion).version == Argon2PHC.version10)
        #expect(Argon2.verify(password: Self.bytes("pässword"), encoded: withoutVersion))
        for broken in ["$argon2id$v=18$m=1024,t=2,p=1$c29tZXNhbHRzYWx0$7TKahpSGr3ExWMUBWb9nqR16/gW++rsCdN7BnoRuHhA",
                       "$argon2id$v=19$m=1024,t=2$c29tZXNhbHRzYWx0$7TKahpSGr3ExWMUBWb9nqR16/gW++rsCdN7BnoRuHhA",
                       "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzYWx0$7TK", "$argon2x$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA"] {
            #expect(throws: Argon2PHC.FormatError.self) { try Argon2PHC(parsing: broken) }
            #expect(!Argon2.verify(password: Self.bytes("pässword"), encoded: broken))
        }
    }

    /// The working memory a thread hashed with stays with it for the next hash, rounded up to
    /// whole 2 MiB (huge) pages; a block larger than the kept limit is returned at once.
    @Test func argon2KeepsOneBlockPerThreadUpToTheLimit() {
        let salt = Self.bytes("somesaltsalt")
        // No suspension point from here on: everything below runs on one thread.
        #expect(Argon2.hash(password: [1], salt: salt, parameters: .init(memoryKiB: 19456, iterations: 1, parallelism: 1)) != nil)
        #expect(Argon2.keptMemoryBytes == 20 << 20)
        #expect(Argon2.hash(password: [1], salt: salt, parameters: .init(memoryKiB: 1024, iterations: 1, parallelism: 1)) != nil)
        #expect(Argon2.keptMemoryBytes == 20 << 20, "a smaller hash reuses the block")
        #expect(Argon2.hash(password: [1], salt: salt, parameters: .init(memoryKiB: 80 << 10, iterations: 1, parallelism: 1)) != nil)
        #expect(Argon2.keptMemoryBytes == 20 << 20, "80 MiB is over the 64 MiB kept: mapped for that hash only")
        #expect(Argon2.hash(password: [1], salt: salt, parameters: .init(memoryKiB: 40 << 10, iterations: 1, parallelism: 1)) != nil)
        #expect(Argon2.keptMemoryBytes == 40 << 20, "a larger block within the limit replaces the kept one")
        #expect(Argon2.hash(password: [1], salt: [1, 2, 3], parameters: .init(memoryKiB: 1024, iterations: 1, parallelism: 1)) == nil,
                "libargon2 refuses a salt under 8 bytes")
    }

    @Test func cryptMatchesDreppersSHA512CryptVector() {
        let reference = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
        #expect(Crypt.hash(password: Self.bytes("Hello world!"), setting: "$6$saltstring") == reference)
        #expect(Crypt.verify(password: Self.bytes("Hello world!"), encoded: reference))
        #expect(!Crypt.verify(password: Self.bytes("Hello world?"), encoded: reference))
        #expect(!Crypt.verify(password: Self.bytes("Hello\u{0}world!"), encoded: reference), "a NUL cannot reach crypt(3)")
        #expect(Crypt.hash(password: Self.bytes("x"), setting: "$unknown$abc") == nil)
    }

    @Test func sha256HexAndConstantTimeEquality() {
        #expect(SHA256.hex(Self.bytes("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.lowercase([0x00, 0x0F, 0xA5, 0xFF, 0x10]) == "000fa5ff10")
        #expect(Hex.lowercase([]) == "")
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals("", ""))
    }

    @Test func djangoStyleSaltsAreAlphanumericAndVary() {
        let salts = (0..<20).map { _ in SecureRandom.alphanumeric(22) }
        #expect(Set(salts).count == 20)
        #expect(salts.allSatisfy { $0.count == 22 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
    }
}
