"""Key and pepper files as an operator makes them: base64 of 32 bytes, readable by the owner only
(the daemons refuse a secret file that group or others may read)."""
import base64
import os


def write_secret(path, raw=None, mode=0o600):
    """Writes base64 of `raw` (32 random bytes if None) to `path` with `mode`; returns `raw`."""
    raw = raw if raw is not None else os.urandom(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "w") as file:
        file.write(base64.b64encode(raw).decode() + "\n")
    os.chmod(path, mode)
    return raw
