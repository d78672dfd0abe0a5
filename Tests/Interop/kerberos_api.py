"""Calls the Kerberos tests share: sources over the wire."""
from wire_client import call

SOURCES = "/postern.password.v1.KerberosSources/"


def create_source(pb, client, **fields):
    fields.setdefault("name", "realm")
    return call(client, SOURCES + "Create", pb.kerberos_sources.CreateKerberosSourceRequest(
        source=pb.kerberos_sources.KerberosSource(**fields)))


def source(pb, client, **fields):
    answer = create_source(pb, client, **fields)
    assert answer.status_code == 0, answer.status_message
    created = pb.kerberos_sources.KerberosSource()
    created.ParseFromString(answer.payload)
    return created


def get_source(pb, client, name="realm"):
    return call(client, SOURCES + "Get", pb.kerberos_sources.GetKerberosSourceRequest(name=name),
                pb.kerberos_sources.KerberosSource)


def kdc_source(pb, client, kdc, keytab=None, **fields):
    """A source for `kdc`'s realm at its address, verified with `keytab` unless None."""
    if keytab is None:
        fields.setdefault("allow_unverified", True)
    else:
        fields["keytab"] = str(keytab)
    return source(pb, client, realm=kdc.realm, kdcs=[f"127.0.0.1:{kdc.port}"], **fields)
