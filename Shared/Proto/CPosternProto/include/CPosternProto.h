// The protobuf-c code generated from Shared/Proto (scripts/gen-proto), as one C module.
#ifndef POSTERN_CPOSTERNPROTO_H
#define POSTERN_CPOSTERNPROTO_H

#include <protobuf-c/protobuf-c.h>
#include "postern/wire/v1/wire.pb-c.h"
#include "postern/health/v1/health.pb-c.h"
#include "postern/diagnostics/v1/diagnostics.pb-c.h"
#include "postern/history/v1/history.pb-c.h"
#include "postern/password/v1/app_passwords.pb-c.h"
#include "postern/password/v1/authenticate.pb-c.h"
#include "postern/password/v1/passwords.pb-c.h"
#include "postern/password/v1/stages.pb-c.h"
#include "postern/password/v1/users.pb-c.h"

#endif
