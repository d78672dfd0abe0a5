#!/usr/bin/env bash
# Tests/Scripts/install-check.sh — scripts/install as docs/install.md describes it:
#  1. into a DESTDIR: exactly the tree docs/install.md lists (between its install-tree
#     markers), no secret in it, and the installed binaries run with the Swift toolchain
#     hidden (a tmpfs mounted over it in a private mount namespace) — each daemon checks its
#     installed example configuration;
#  2. into a PREFIX of its own without DESTDIR: the secrets are made 0400 and never replaced by
#     a second install, and `systemd-analyze verify` on the installed units (their binaries
#     present) prints nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/postern-install-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1. A staged install.
DESTDIR=$work/stage PREFIX=/usr/local SYSCONFDIR=/etc scripts/install >"$work/stage.log" 2>&1 \
    || { cat "$work/stage.log"; echo "install-check: the staged install failed" >&2; exit 1; }
(cd "$work/stage" && find . -type f | sed 's|^\./|/|' | sort) >"$work/installed"
awk '/<!-- install-tree: begin -->/ {on = 1; next} /<!-- install-tree: end -->/ {on = 0} on && /^\//' docs/install.md \
    | sort >"$work/documented"
[ -s "$work/documented" ] || { echo "install-check: docs/install.md lists no install tree" >&2; exit 1; }
diff -u "$work/documented" "$work/installed" >"$work/tree.diff" \
    || { cat "$work/tree.diff"; echo "install-check: the installed tree differs from docs/install.md's (- documented, + installed)" >&2; exit 1; }
for secret in history-pepper.key app-password.key; do
    [ ! -e "$work/stage/etc/postern/$secret" ] || { echo "install-check: a staged install made $secret" >&2; exit 1; }
done
[ "$(stat -c %a "$work/stage/usr/local/bin/postern-password")" = 755 ] || { echo "install-check: postern-password is not 0755" >&2; exit 1; }
[ "$(stat -c %a "$work/stage/etc/postern/password.conf")" = 644 ] || { echo "install-check: password.conf is not 0644" >&2; exit 1; }

toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
[ -d "$toolchain/lib/swift" ] || { echo "install-check: cannot find the Swift toolchain to hide ($toolchain)" >&2; exit 1; }
stage=$work/stage
unshare -m bash -euo pipefail -c "
    mount -t tmpfs none '$toolchain'
    [ -z \"\$(ls -A '$toolchain')\" ]
    '$stage/usr/local/bin/postern' --version
    for name in password history policy; do
        '$stage/usr/local/bin/postern-'\$name --check-config --config '$stage/etc/postern/'\$name.conf
    done
    status=0
    '$stage/usr/local/bin/postern' health --password-socket /nonexistent --history-socket /nonexistent --policy-socket /nonexistent >/dev/null 2>&1 || status=\$?
    [ \$status = 1 ]
" >"$work/hidden.log" 2>&1 || { cat "$work/hidden.log"; echo "install-check: the installed binaries do not run without the toolchain" >&2; exit 1; }
grep -q "Exit status" "$stage/usr/local/share/man/man1/postern.1" \
    || { echo "install-check: postern(1) lacks the exit statuses" >&2; exit 1; }
grep -q "_postern" "$stage/usr/local/share/zsh/site-functions/_postern" || { echo "install-check: no zsh completion" >&2; exit 1; }

# 2. A direct install into a prefix of its own: secrets, and the units verified.
prefix=$work/prefix etc=$work/etc
PREFIX=$prefix SYSCONFDIR=$etc scripts/install >"$work/direct.log" 2>&1 \
    || { cat "$work/direct.log"; echo "install-check: the direct install failed" >&2; exit 1; }
for secret in history-pepper.key app-password.key; do
    [ "$(stat -c %a "$etc/postern/$secret")" = 400 ] || { echo "install-check: $secret is not 0400" >&2; exit 1; }
    [ "$(base64 -d "$etc/postern/$secret" | wc -c)" = 32 ] || { echo "install-check: $secret is not base64 of 32 bytes" >&2; exit 1; }
    grep -q "made $etc/postern/$secret" "$work/direct.log" || { echo "install-check: the install did not say it made $secret" >&2; exit 1; }
done
sums=$(sha256sum "$etc"/postern/*.key)
echo "# an operator's own line" >>"$etc/postern/password.conf"
PREFIX=$prefix SYSCONFDIR=$etc scripts/install >"$work/again.log" 2>&1 \
    || { cat "$work/again.log"; echo "install-check: the second install failed" >&2; exit 1; }
[ "$sums" = "$(sha256sum "$etc"/postern/*.key)" ] || { echo "install-check: a second install replaced a secret" >&2; exit 1; }
grep -q "an operator's own line" "$etc/postern/password.conf" || { echo "install-check: a second install replaced password.conf" >&2; exit 1; }
! grep -q "made " "$work/again.log" || { echo "install-check: the second install says it made a secret" >&2; exit 1; }
grep -q "LoadCredential=app-password.key:$etc/postern/app-password.key" \
    "$prefix/lib/systemd/system/postern-password.service.d/app-password-key.conf" \
    || { echo "install-check: no drop-in hands the app-password key over" >&2; exit 1; }
for name in password history policy; do
    units=("$prefix/lib/systemd/system/postern-$name.socket" "$prefix/lib/systemd/system/postern-$name.service")
    grep -q "ExecStart=$prefix/bin/postern-$name --config $etc/postern/$name.conf" "${units[1]}" \
        || { echo "install-check: postern-$name.service does not start the installed binary" >&2; exit 1; }
    output=$(systemd-analyze verify "${units[@]}" 2>&1 || true)
    [ -z "$output" ] || { echo "$output"; echo "install-check: postern-$name's installed units do not verify cleanly" >&2; exit 1; }
done
echo "install-check: the staged tree matches docs/install.md, the binaries run without the toolchain, secrets are made once, the installed units verify"
