/// The names `UpdateUserRequest.update_mask` may hold: the fields of a user an update can change.
enum UserUpdateField: String, Sendable, CaseIterable {
    case username, name
    case isActive = "is_active"
    case attributesJSON = "attributes_json"
    case ldapDN = "ldap_dn"
    case kerberosPrincipal = "kerberos_principal"
}
