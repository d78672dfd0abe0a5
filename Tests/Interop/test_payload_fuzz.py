"""Fuzzing every method's payload against the real daemons: requests built from each method's
own message type. Half hold values a careful client sends (ids the daemon handed out earlier,
so calls reach existing users, stages, app passwords and history entries, and passwords it
made current, so a Change can name a user with the password it has), a quarter wild values,
and a quarter are mutated byte by byte. Every call must get its own answer, none may fail as
INTERNAL or UNKNOWN (an error the daemon did not classify), an OK answer must parse as the
method's answer type, and the daemon must still serve afterwards. test_fuzz.py fuzzes the frames and envelopes around payloads.

Seeded (POSTERN_FUZZ_SEED, default a fixed number) so that a failure can be replayed; the
calls per method are POSTERN_PAYLOAD_FUZZ_CALLS (default 120)."""
import base64
import hashlib
import os
import random
import threading
import time

from google.protobuf import message_factory
from google.protobuf.descriptor import FieldDescriptor

from test_fuzz import mutate
from wire_client import WireClient, assert_serving
from secret_files import write_secret

SEED = int(os.environ.get("POSTERN_FUZZ_SEED", "20261124"))
CALLS = int(os.environ.get("POSTERN_PAYLOAD_FUZZ_CALLS", "120"))
UNKNOWN, INTERNAL = 2, 13

# Strings a daemon may treat specially: names, backends, hash formats, edge lengths.
STRINGS = [
    "", "alice", "bob", "svc", "login", "internal", "app_password", "ldap", "Str0ng-Passw0rd!",
    "pbkdf2_sha256$1000$salt$" + "A" * 43 + "=", "argon2$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$" + "A" * 22,
    "$6$salt$" + "a" * 86, "bcrypt$$2b$04$" + "a" * 53, "x" * 256, "y" * 5000, "ünïcödé ✓", "a\nb", "a\x00b",
]
INTEGER_LIMITS = {
    FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1), FieldDescriptor.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SFIXED32: (-(2**31), 2**31 - 1), FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_FIXED32: (0, 2**32 - 1), FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SINT64: (-(2**63), 2**63 - 1), FieldDescriptor.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1), FieldDescriptor.TYPE_FIXED64: (0, 2**64 - 1),
}


# Values a well-behaved client sends, so that calls get past validation to the store.
SANE_STRINGS = ["alice", "bob", "svc", "login", "programs", "Str0ng-Passw0rd!", "A longer passphrase 2026"]
# Pairs of which a request names exactly one.
EITHER = [("user_id", "username"), ("id", "username")]
USER_FIELDS = ["username", "name", "is_active", "attributes_json"]


def django_pbkdf2(password, iterations=1000):
    salt = "fuzzsalt"
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


class Generator:
    """Plausible messages of any type, with strings drawn partly from what answers carried.
    `sane` messages hold only values a careful client would send; the others anything."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = []  # strings from OK answers: ids, names, secrets
        self.ids = []  # the values of OK answers' `id` and `*_id` fields
        self.credentials = []  # (key field, its value, password) a Set or Change made current
        self.sane = True

    def string(self):
        if self.seen and self.rng.random() < 0.5:
            return self.rng.choice(self.seen)
        return self.rng.choice(SANE_STRINGS if self.sane else STRINGS)

    def scalar(self, field):
        rng = self.rng
        kind = field.type
        if self.sane:
            hinted = self.hint(field)
            if hinted is not None:
                return hinted
        if kind == FieldDescriptor.TYPE_STRING:
            return self.string()
        if kind == FieldDescriptor.TYPE_BYTES:
            if self.sane:
                return self.string().encode()
            return rng.choice([self.string().encode(), os.urandom(rng.randint(0, 40)), b"\xff\xfe", b""])
        if kind == FieldDescriptor.TYPE_BOOL:
            return rng.random() < 0.5
        if kind == FieldDescriptor.TYPE_ENUM:
            numbers = [v.number for v in field.enum_type.values]
            return rng.choice([n for n in numbers if n] or numbers) if self.sane else rng.choice(numbers + [99])
        if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
            return rng.choice([0.0, 1.5, -1.0, 1e30])
        low, high = INTEGER_LIMITS[kind]
        if self.sane:
            return rng.choice([1, 5, 24])
        return max(low, min(high, rng.choice([0, 1, 2, 5, 24, 100, 1000, 1_700_000_000, -1, 2**31, 2**63])))

    def hint(self, field):
        """What a careful client puts in a field its name describes; None for no hint."""
        name = field.name
        if name in ("id", "user_id") and self.ids and self.rng.random() < 0.8:
            return self.rng.choice(self.ids)
        if name == "is_active":
            return self.rng.random() < 0.9  # most users a careful admin makes can sign in
        if name.endswith("_json"):
            return self.rng.choice(["{}", '{"team": "ops"}'])
        if name == "update_mask":
            return self.rng.choice(USER_FIELDS)
        if name == "page_token":
            return ""
        if name.endswith("hash") or name == "encoded":
            return django_pbkdf2(self.rng.choice(SANE_STRINGS))
        now_ms = int(time.time() * 1000)
        if name.startswith("expires") and name.endswith("_ms"):
            return now_ms + 86_400_000
        if name.startswith("created") and name.endswith("_ms"):
            return now_ms - 86_400_000
        return None

    def fill(self, message, depth=0):
        for field in message.DESCRIPTOR.fields:
            if self.rng.random() < (0.15 if self.sane else 0.3):
                continue  # left unset
            target = getattr(message, field.name)  # Postern's messages have no map fields
            if field.label == FieldDescriptor.LABEL_REPEATED:
                for _ in range(1 if self.sane and field.type == FieldDescriptor.TYPE_ENUM else self.rng.randint(0, 3)):
                    if field.message_type is not None:
                        if depth < 3:
                            self.fill(target.add(), depth + 1)
                    else:
                        target.append(self.scalar(field))
            elif field.message_type is not None:
                if depth < 3:
                    self.fill(target, depth + 1)
                    if not target.ListFields():
                        target.SetInParent()
            else:
                setattr(message, field.name, self.scalar(field))
        if self.sane:
            fields = message.DESCRIPTOR.fields_by_name
            for pair in EITHER:
                # With an update mask, `username` is a field to change, not a second key.
                if all(name in fields for name in pair) and "update_mask" not in fields:
                    for name in pair:
                        message.ClearField(name)
                    setattr(message, self.rng.choice(pair), self.string())
            # A password change names a user with the password it has now, mostly.
            if "current_password" in fields and self.credentials and self.rng.random() < 0.7:
                # The newest is the likeliest to be current still (not reset, disabled or deleted).
                newest = self.rng.random() < 0.5
                key, value, password = self.credentials[-1] if newest else self.rng.choice(self.credentials)
                message.ClearField("user_id")
                message.ClearField("username")
                setattr(message, key, value)
                message.current_password = password
        return message

    def remember(self, message, depth=0):
        """Keeps the strings of an OK answer, for later calls to name what exists."""
        for field, value in message.ListFields():
            values = value if field.label == FieldDescriptor.LABEL_REPEATED else [value]
            for item in values:
                if field.type == FieldDescriptor.TYPE_STRING and item and len(item) <= 300:
                    self.seen.append(item)
                    if field.name == "id" or field.name.endswith("_id"):
                        self.ids.append(item)
                elif field.type == FieldDescriptor.TYPE_MESSAGE and depth < 3 and hasattr(item, "ListFields"):
                    self.remember(item, depth + 1)
        del self.seen[:-200]
        del self.ids[:-50]

    def remember_request(self, path, request):
        """Keeps what an OK request made true that no answer repeats: a user's current password."""
        if path.endswith(".Passwords/Set"):
            password = request.password
        elif path.endswith(".Passwords/Change"):
            password = request.new_password
        else:
            return
        key = "user_id" if request.user_id else "username"
        self.credentials.append((key, getattr(request, key), password))
        del self.credentials[:-20]


def methods(pb, package):
    """(path, input class, output class) of every method of every service in `package`."""
    found = []
    for module in (pb.users, pb.passwords, pb.stages, pb.auth, pb.app_passwords, pb.history):
        for service in module.DESCRIPTOR.services_by_name.values():
            if not service.full_name.startswith(package):
                continue
            for method in service.methods:
                found.append((f"/{service.full_name}/{method.name}",
                              message_factory.GetMessageClass(method.input_type),
                              message_factory.GetMessageClass(method.output_type)))
    return sorted(found, key=lambda m: m[0])


def fuzz(pb, daemon, package, seed=SEED, calls=CALLS):
    rng = random.Random(seed)
    generator = Generator(rng)
    found = methods(pb, package)
    assert len(found) >= 7, found
    tally = {}
    call_id = 0
    with WireClient(daemon.socket, pb, timeout=60) as client:
        for round_number in range(calls):
            for path, request_type, response_type in found:
                # Half sane (reaching the store), a quarter wild, a quarter mutated bytes.
                draw = rng.random()
                generator.sane = draw < 0.5 or draw >= 0.75 and rng.random() < 0.5
                request = generator.fill(request_type())
                payload = request.SerializeToString()
                if draw >= 0.75:
                    payload = mutate(rng, payload)
                call_id += 1
                client.send(call_id, path, payload)
                answer = client.read()
                context = f"{path} payload {payload.hex()} (seed {seed}, round {round_number})"
                assert answer is not None, f"no answer to {context}:\n{daemon.log[-3000:]}"
                assert answer.call_id == call_id, context
                assert answer.status_code not in (UNKNOWN, INTERNAL), \
                    f"{context}: {answer.status_code} {answer.status_message}"
                if answer.status_code == 0:
                    parsed = response_type()
                    parsed.ParseFromString(answer.payload)
                    generator.remember(parsed)
                    if draw < 0.75:  # a mutated payload is not the request that was filled
                        generator.remember_request(path, request)
                tally.setdefault(path, {}).setdefault(answer.status_code, 0)
                tally[path][answer.status_code] += 1
    assert daemon.process.poll() is None, f"the daemon died:\n{daemon.log[-3000:]}"
    assert_serving(daemon.socket, pb)
    return tally


def report(tally):
    for path, codes in tally.items():
        print(f"payload fuzz {path}: {dict(sorted(codes.items()))}")


def test_every_password_method_answers_fuzzed_payloads_with_a_classified_status(pb, start_daemon, tmp_path):
    key = tmp_path / "app-password.key"
    write_secret(key)
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_APP_PASSWORDS_KEY_FILE": str(key)})
    tally = fuzz(pb, daemon, "postern.password.v1.")
    report(tally)
    # The generator reaches past the decoders: some calls of most methods succeed.
    succeeded = [path for path, codes in tally.items() if codes.get(0)]
    assert len(succeeded) >= len(tally) // 2, tally


def test_every_history_method_answers_fuzzed_payloads_with_a_classified_status(pb, start_daemon):
    daemon = start_daemon("history")
    tally = fuzz(pb, daemon, "postern.history.v1.")
    report(tally)
    succeeded = [path for path, codes in tally.items() if codes.get(0)]
    assert len(succeeded) >= len(tally) // 2, tally


def test_four_clients_fuzzing_at_once_get_only_classified_answers(pb, start_daemon, tmp_path):
    """The same, on four connections at once against one password daemon and its one store:
    concurrent writes to the same users, stages and app passwords must still be answered with
    a status that says what happened (a lost race is NOT_FOUND or ALREADY_EXISTS, not INTERNAL)."""
    key = tmp_path / "app-password.key"
    write_secret(key)
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_APP_PASSWORDS_KEY_FILE": str(key)})
    failures = []

    def client(seed):
        try:
            fuzz(pb, daemon, "postern.password.v1.", seed=seed, calls=max(1, CALLS // 2))
        except BaseException as error:  # noqa: BLE001 — reported below, with its seed
            failures.append(f"client seed {seed}: {error}")

    threads = [threading.Thread(target=client, args=(SEED + n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    assert not failures, "\n".join(failures)
