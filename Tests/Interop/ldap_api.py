"""Calls the LDAP tests share: sources, stages, users and logins over the wire."""
import slapd as fixture
from wire_client import call

SOURCES = "/postern.password.v1.LDAPSources/"
AUTH = "/postern.password.v1.Authentication/Authenticate"


def create_source(pb, client, **fields):
    fields.setdefault("name", "corp")
    answer = call(client, SOURCES + "Create", pb.ldap_sources.CreateLDAPSourceRequest(
        source=pb.ldap_sources.LDAPSource(**fields)))
    return answer


def source(pb, client, **fields):
    answer = create_source(pb, client, **fields)
    assert answer.status_code == 0, answer.status_message
    created = pb.ldap_sources.LDAPSource()
    created.ParseFromString(answer.payload)
    return created


def get_source(pb, client, name="corp"):
    return call(client, SOURCES + "Get", pb.ldap_sources.GetLDAPSourceRequest(name=name), pb.ldap_sources.LDAPSource)


def service_password_file(tmp_path):
    path = tmp_path / "ldap-service-password"
    path.write_text(fixture.SERVICE_PASSWORD + "\n")
    path.chmod(0o600)
    return str(path)


def stage(pb, client, backends, name="login"):
    s = pb.stages
    call(client, "/postern.password.v1.Stages/Create", s.CreateStageRequest(
        stage=s.PasswordStage(name=name, backends=backends)), s.PasswordStage)


def user(pb, client, username, ldap_dn="", password=None):
    created = call(client, "/postern.password.v1.Users/Create", pb.users.CreateUserRequest(
        username=username, ldap_dn=ldap_dn), pb.users.User)
    if password is not None:
        call(client, "/postern.password.v1.Passwords/Set", pb.passwords.SetPasswordRequest(
            user_id=created.id, password=password), pb.passwords.SetPasswordResponse)
    return created


def authenticate(pb, client, username, secret, session="s1", stage="login"):
    return call(client, AUTH, pb.auth.AuthenticateRequest(
        stage=stage, flow_session=session, username=username, secret=secret, client_address="192.0.2.9"),
        pb.auth.AuthenticateResponse)
