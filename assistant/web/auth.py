"""Who may use the web page and the API: the password hashes the `ui.users` setting stores and the sign-in check
built from them, and the API keys `api.keys` stores.

Plain hashlib and hmac, so that `assistant hash-password` starts without loading the web stack.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from assistant.types import AssistantError

KEY_PREFIX = "sk-asst-"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def hash_password(password: str, salt: str | None = None, rounds: int = 200_000) -> str:
    """A PBKDF2-SHA256 hash in the form the `ui.users` setting stores (`pbkdf2_sha256$rounds$salt$hex`)."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), rounds).hex()
    return f"pbkdf2_sha256${rounds}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    """Whether `password` matches a hash made by `hash_password`, compared in constant time."""
    try:
        scheme, rounds, salt, _ = stored.split("$")
        return scheme == "pbkdf2_sha256" and hmac.compare_digest(hash_password(password, salt, int(rounds)), stored)
    except ValueError:  # a malformed stored value matches no password
        return False


def is_local(host: str) -> bool:
    """Whether `host` binds to this machine only."""
    return host in LOCAL_HOSTS


def sign_in(host: str, users: dict[str, str]) -> Callable[[str, str], bool] | None:
    """The check a visitor passes to see the page: none on this machine without users, else a configured user's
    name and password."""
    local = is_local(host)
    if not local and not users:
        raise AssistantError(
            f"serving on {host} needs users: add `ui.users` (name = hash from `assistant hash-password`) to "
            "assistant.toml, or bind to 127.0.0.1")
    if local and not users:
        return None
    return lambda name, password: name in users and check_password(password, users[name])


def new_key() -> tuple[str, str]:
    """A random API key and the hash the `api.keys` setting stores for it. A key is 256 random bits, so one
    SHA-256 round cannot be searched (a password needs PBKDF2's slowness; a key does not, and every request
    checks it)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, "sha256$" + hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored: str) -> bool:
    """Whether `key` matches a stored hash: SHA-256 from `assistant api-key`, or a PBKDF2 password hash."""
    if stored.startswith("sha256$"):
        return hmac.compare_digest("sha256$" + hashlib.sha256(key.encode()).hexdigest(), stored)
    return check_password(key, stored)
