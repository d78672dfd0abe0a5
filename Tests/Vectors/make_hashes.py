#!/usr/bin/env python3
"""Hashes made by independent tools, at test time, for the hash-verification tests.

Prints one JSON object per line: {"tool", "family", "password", "encoded"}. Tools: Django's
make_password (each of Django 5.2's default hashers plus bcrypt$, with their default
parameters), mkpasswd from Debian's whois (sha512crypt, yescrypt, bcrypt) and the argon2
command-line tool ($argon2id$). Exits non-zero if any tool is missing: scripts/setup installs
them."""
import json
import subprocess
import sys

PASSWORDS = ["correct horse battery staple", "pässwörd ✓ 密码"]


def emit(tool, family, password, encoded):
    print(json.dumps({"tool": tool, "family": family, "password": password, "encoded": encoded.strip()}))


def django():
    from django.conf import settings

    settings.configure(PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.BCryptPasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ])
    from django.contrib.auth.hashers import make_password

    for family in ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt", "scrypt"]:
        for password in PASSWORDS:
            emit("django", family, password, make_password(password, hasher=family))


def mkpasswd():
    for method, family in [("sha512crypt", "sha512crypt"), ("yescrypt", "yescrypt"), ("bcrypt", "bcrypt (crypt)")]:
        for password in PASSWORDS:
            out = subprocess.run(["mkpasswd", "-m", method, "-s"], input=password.encode(), capture_output=True, check=True)
            emit("mkpasswd", family, password, out.stdout.decode())


def argon2_cli():
    for password in PASSWORDS:
        salt = subprocess.run(["openssl", "rand", "-hex", "8"], capture_output=True, check=True).stdout.decode().strip()
        out = subprocess.run(["argon2", salt, "-id", "-t", "2", "-k", "19456", "-p", "1", "-e"],
                             input=password.encode(), capture_output=True, check=True)
        emit("argon2", "argon2id (crypt)", password, out.stdout.decode())


if __name__ == "__main__":
    django()
    mkpasswd()
    argon2_cli()
    sys.stdout.flush()
