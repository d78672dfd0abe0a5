import CPosternProto

/// `postern.history.v1.CheckRequest`. Its description never shows the password.
public struct HistoryCheckRequest: ProtoMessage, Equatable, CustomStringConvertible {
    public var userID: String
    public var password: String
    public var count: UInt32

    public static let protoName = "postern.history.v1.CheckRequest"

    public init(userID: String, password: String, count: UInt32) {
        self.userID = userID
        self.password = password
        self.count = count
    }

    public var description: String { "HistoryCheckRequest(user_id: \(userID), password: ********, count: \(count))" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__check_request__unpack,
            free: postern__history__v1__check_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__CheckRequest) throws(ProtoDecodingError) in
            HistoryCheckRequest(
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                password: try ProtobufCBridge.string(c.password, named: "password", in: name),
                count: c.count)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__CheckRequest()
        postern__history__v1__check_request__init(&c)
        c.user_id = strings.copy(userID)
        c.password = strings.copy(password)
        c.count = count
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__check_request__get_packed_size, pack: postern__history__v1__check_request__pack)
    }
}

/// `postern.history.v1.CheckResponse`.
public struct HistoryCheckResponse: ProtoMessage, Equatable {
    public var reused: Bool
    public var compared: UInt32

    public static let protoName = "postern.history.v1.CheckResponse"

    public init(reused: Bool, compared: UInt32) {
        self.reused = reused
        self.compared = compared
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__check_response__unpack,
            free: postern__history__v1__check_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__CheckResponse) throws(ProtoDecodingError) in
            HistoryCheckResponse(reused: c.reused != 0, compared: c.compared)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__CheckResponse()
        postern__history__v1__check_response__init(&c)
        c.reused = reused ? 1 : 0
        c.compared = compared
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__check_response__get_packed_size, pack: postern__history__v1__check_response__pack)
    }
}

/// `postern.history.v1.RecordRequest`. Its description never shows the password.
public struct HistoryRecordRequest: ProtoMessage, Equatable, CustomStringConvertible {
    public var userID: String
    public var password: String
    /// Pending until Confirm (docs/history.md).
    public var pending: Bool

    public static let protoName = "postern.history.v1.RecordRequest"

    public init(userID: String, password: String, pending: Bool = false) {
        self.userID = userID
        self.password = password
        self.pending = pending
    }

    public var description: String { "HistoryRecordRequest(user_id: \(userID), password: ********, pending: \(pending))" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__record_request__unpack,
            free: postern__history__v1__record_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__RecordRequest) throws(ProtoDecodingError) in
            HistoryRecordRequest(
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                password: try ProtobufCBridge.string(c.password, named: "password", in: name),
                pending: c.pending != 0)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__RecordRequest()
        postern__history__v1__record_request__init(&c)
        c.user_id = strings.copy(userID)
        c.password = strings.copy(password)
        c.pending = pending ? 1 : 0
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__record_request__get_packed_size, pack: postern__history__v1__record_request__pack)
    }
}

/// `postern.history.v1.RecordResponse`.
public struct HistoryRecordResponse: ProtoMessage, Equatable {
    public var recorded: Bool
    public var retention: UInt32
    /// For a pending record: what Confirm and Discard name it by.
    public var pendingID: String

    public static let protoName = "postern.history.v1.RecordResponse"

    public init(recorded: Bool, retention: UInt32, pendingID: String = "") {
        self.recorded = recorded
        self.retention = retention
        self.pendingID = pendingID
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__record_response__unpack,
            free: postern__history__v1__record_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__RecordResponse) throws(ProtoDecodingError) in
            HistoryRecordResponse(
                recorded: c.recorded != 0, retention: c.retention,
                pendingID: try ProtobufCBridge.string(c.pending_id, named: "pending_id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__RecordResponse()
        postern__history__v1__record_response__init(&c)
        c.recorded = recorded ? 1 : 0
        c.retention = retention
        c.pending_id = strings.copy(pendingID)
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__record_response__get_packed_size, pack: postern__history__v1__record_response__pack)
    }
}

/// The methods of `postern.history.v1.History`.
public enum HistoryMethods {
    public static let service = "postern.history.v1.History"
    public static let check = "/postern.history.v1.History/Check"
    public static let record = "/postern.history.v1.History/Record"
    public static let confirm = "/postern.history.v1.History/Confirm"
    public static let discard = "/postern.history.v1.History/Discard"
    public static let setRetention = "/postern.history.v1.History/SetRetention"
    public static let forgetUser = "/postern.history.v1.History/ForgetUser"
    public static let importLegacy = "/postern.history.v1.History/ImportLegacy"
    public static let stats = "/postern.history.v1.History/Stats"
}
