"""Credentials: the OS keyring first, then environment variables or files for headless pollers."""

from __future__ import annotations

import os
import re
from pathlib import Path

KEYRING_SERVICE = "noc-console"


class SecretError(Exception):
    """A credential could not be found or stored. The message never contains a secret value."""


def env_name(name: str) -> str:
    """`source:prod-alertmanager` -> `NOC_CONSOLE_SECRET_SOURCE_PROD_ALERTMANAGER`."""
    return "NOC_CONSOLE_SECRET_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


def _keyring_usable() -> bool:
    import keyring
    from keyring.backends import fail

    return not isinstance(keyring.get_keyring(), fail.Keyring)


def get_secret(name: str) -> str:
    """Look a credential up: OS keyring, then NOC_CONSOLE_SECRET_<NAME>, then ..._FILE."""
    import keyring
    from keyring.errors import KeyringError

    if _keyring_usable():
        try:
            value = keyring.get_password(KEYRING_SERVICE, name)
        except KeyringError:
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
    raise SecretError(
        f"credential {name!r} is missing: store it with `noc-console secret set {name}` (OS keyring, "
        f"service {KEYRING_SERVICE!r}), or set {variable}, or put its path in {file_variable}"
    )


def set_secret(name: str, value: str) -> None:
    """Store a credential in the OS keyring; refuse plainly when no keyring backend works."""
    import keyring
    from keyring.errors import KeyringError

    if not value:
        raise SecretError(f"{name}: the value is empty")
    if not _keyring_usable():
        raise SecretError(
            "no OS keyring is available on this machine (a headless session has none): install and "
            "unlock one (e.g. gnome-keyring or KWallet), or give the poller the credential through "
            f"{env_name(name)} or {env_name(name)}_FILE"
        )
    try:
        keyring.set_password(KEYRING_SERVICE, name, value)
    except KeyringError as exc:
        raise SecretError(f"{name}: the keyring refused to store it ({type(exc).__name__})") from None
