// libldap (OpenLDAP's client library, Debian's libldap2-dev): LDAP binds, searches and the
// Password Modify extended operation for postern-password's LDAP sources.
#define LDAP_DEPRECATED 0
#include <ldap.h>
#include <sys/time.h>
