"""The console's Textual themes, registered on the app and chosen by ``--theme`` or ``t``.

``default`` is Textual's own dark theme. ``projector`` is a high-contrast theme for a room:
white on black, saturated state colours, so a state reads from the back row; its layout
(big key figures, heavier borders) lives in ``styles/projector.tcss`` under ``.-projector``.
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_TEXTUAL_THEME = "textual-dark"

PROJECTOR = Theme(
    name="bgtui-projector",
    primary="#5fafff",
    secondary="#d787ff",
    accent="#ffd700",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#5fff5f",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    boost="#262626",
    dark=True,
    variables={
        "text-muted": "#d0d0d0",
        "footer-key-foreground": "#ffd700",
        "block-cursor-background": "#5fafff",
        "block-cursor-foreground": "#000000",
    },
)

TEXTUAL_THEMES = {"default": DEFAULT_TEXTUAL_THEME, "projector": PROJECTOR.name}
"""Console theme name (options, ``--theme``) → registered Textual theme name."""
