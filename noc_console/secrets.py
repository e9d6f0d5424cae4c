"""Credentials: the OS keyring first, then environment variables or files for headless pollers."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

KEYRING_SERVICE = "noc-console"
log = logging.getLogger(__name__)


class SecretError(Exception):
    """A credential could not be found or stored. The message never contains a secret value."""


class SecretMissing(SecretError):
    """Nobody has provided the credential (as opposed to a keyring that failed while looking)."""


def env_name(name: str) -> str:
    """`source:prod-alertmanager` -> `NOC_CONSOLE_SECRET_SOURCE_PROD_ALERTMANAGER`."""
    return "NOC_CONSOLE_SECRET_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


def _keyring_refusal() -> str | None:
    """Why the active keyring backend must not be used, or None when it is a real OS keyring.

    The failing backend stores nothing; a plaintext backend (keyrings.alt's file keyrings) would write
    the secret to disk in the clear, which is exactly what keeping it out of the config file avoids.
    """
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return "no OS keyring is available on this machine (a headless session has none)"
    kinds = [backend, *getattr(backend, "backends", ())]  # a chainer holds several
    for kind in kinds:
        module = type(kind).__module__
        if "Plaintext" in type(kind).__name__ or module.startswith(
            ("keyrings.alt.file", "keyring.backends.null")
        ):
            return f"the keyring backend {type(kind).__name__} stores secrets in plain text or not at all"
    return None


def get_secret(name: str) -> str:
    """Look a credential up: OS keyring, then NOC_CONSOLE_SECRET_<NAME>, then ..._FILE.

    A keyring that fails (locked, broken) is reported as itself, not as a missing credential, unless
    the environment provides the credential instead.
    """
    import keyring
    from keyring.errors import KeyringError

    keyring_failure: str | None = None
    if _keyring_refusal() is None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, name)
        except KeyringError as exc:
            keyring_failure = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}"
            value = None
        if value:
            return value
    variable = env_name(name)
    value = os.environ.get(variable)
    if value:
        return value
    file_variable = variable + "_FILE"
    path = os.environ.get(file_variable)
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise SecretError(f"{file_variable}: cannot read {path} ({exc.strerror})") from None
    if keyring_failure is not None:
        raise SecretError(
            f"credential {name!r}: the OS keyring failed ({keyring_failure}); unlock or repair it, or set "
            f"{variable} or put the credential's path in {file_variable}"
        )
    raise SecretMissing(
        f"credential {name!r} is missing: store it with `noc-console secret set {name}` (OS keyring, "
        f"service {KEYRING_SERVICE!r}), or set {variable}, or put its path in {file_variable}"
    )


def optional_secret(name: str) -> str | None:
    """A credential that may legitimately not exist (a database that needs no password): None then."""
    try:
        return get_secret(name)
    except SecretMissing:
        return None
    except SecretError as exc:
        log.warning("%s", exc)
        return None


def set_secret(name: str, value: str) -> None:
    """Store a credential in the OS keyring; refuse plainly when no safe keyring backend works."""
    import keyring
    from keyring.errors import KeyringError

    if not value:
        raise SecretError(f"{name}: the value is empty")
    refusal = _keyring_refusal()
    if refusal is not None:
        raise SecretError(
            f"{refusal}: install and unlock one (e.g. gnome-keyring or KWallet), or give the poller the "
            f"credential through {env_name(name)} or {env_name(name)}_FILE"
        )
    try:
        keyring.set_password(KEYRING_SERVICE, name, value)
    except KeyringError as exc:
        raise SecretError(f"{name}: the keyring refused to store it ({type(exc).__name__})") from None
