"""Escape sequences that make the terminal itself say a person is needed.

OSC 9 is understood by iTerm2, Windows Terminal, kitty and others; OSC 777 by rxvt-unicode,
foot and VTE terminals (GNOME Terminal, Tilix). A terminal that knows neither ignores both.
"""

from __future__ import annotations

_CONTROL = dict.fromkeys(range(32), " ") | {0x7F: " ", ord(";"): ","}


def _clean(text: str) -> str:
    """No control characters (they would end the sequence early) and no ``;`` (a separator)."""
    return text.translate(_CONTROL)[:200]


def desktop_notification(title: str, body: str) -> str:
    """OSC 9 and OSC 777 for one notification, each ended by BEL."""
    title, body = _clean(title), _clean(body)
    return f"\x1b]9;{title}: {body}\x07\x1b]777;notify;{title};{body}\x07"
