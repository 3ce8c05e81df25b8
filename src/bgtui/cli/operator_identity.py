"""Who the operator is, as history records them: the actor of approvals and rollbacks.

An audit that says "root" for everyone means nothing, so the name comes from the most
deliberate source there is: ``--operator``, then the settings file's ``ui.operator``, then
``$BGTUI_OPERATOR``, and only then the login, with the SSH client's address when the session
came over SSH (``SSH_CONNECTION`` is "client-ip client-port server-ip server-port").
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping

OPERATOR_ENV = "BGTUI_OPERATOR"


def login_name(environ: Mapping[str, str]) -> str:
    """The login, with ``@client-address`` for an SSH session."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) and no LOGNAME/USER
        login = "unknown"
    client = environ.get("SSH_CONNECTION", "").split()
    return f"{login}@{client[0]}" if client else login


def operator_name(
    flag: str | None, configured: str | None, environ: Mapping[str, str] | None = None
) -> str:
    """The first non-empty of the flag, the settings file and the environment, else the login."""
    environ = os.environ if environ is None else environ
    for candidate in (flag, configured, environ.get(OPERATOR_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    return login_name(environ)
