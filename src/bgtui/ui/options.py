"""How a console is set up: theme, environment banner, read-only, who the operator is.

Kept apart from the app so the CLI can build it from settings and tests can build it by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

THEMES = ("default", "projector")
"""Console themes; each is a class on the app that ``styles/*.tcss`` targets."""

ENVIRONMENT_COLOURS = ("red", "yellow", "green", "blue", "magenta", "cyan", "none")
"""Banner colours an environment may ask for; each maps to a ``-env-<name>`` TCSS class."""

Now = Callable[[], datetime]
"""Where the console reads the time (countdowns); tests pass a fixed clock."""


def system_now() -> datetime:
    return datetime.now(UTC)


class ConsoleOptionsError(ValueError):
    """A console option has a value the console cannot show; the message names it."""


@dataclass(frozen=True)
class ConsoleOptions:
    """Everything about the console that is not the engine.

    ``read_only`` is the mode the console starts in; the engine's ``ControllerChanged`` events
    are the truth afterwards. ``lock_holder`` names another controller already holding the
    base path, shown in the banner until the engine says otherwise.
    """

    theme: str = "default"
    read_only: bool = False
    environment_name: str = ""
    environment_colour: str = "none"
    production: bool = False
    bell: bool = True
    desktop_notify: bool = False  # OSC 9 / OSC 777 desktop notifications for needs-a-person
    mouse: bool = True
    neo4j_address: str = ""
    operator: str = "operator"
    lock_holder: str | None = None

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ConsoleOptionsError(
                f"unknown console theme {self.theme!r}; choose one of {', '.join(THEMES)}"
            )
        if self.environment_colour not in ENVIRONMENT_COLOURS:
            raise ConsoleOptionsError(
                f"unknown environment colour {self.environment_colour!r}; "
                f"choose one of {', '.join(ENVIRONMENT_COLOURS)}"
            )
        if not self.operator.strip():
            raise ConsoleOptionsError("the operator name is empty; it is recorded as the actor")

    @property
    def environment_class(self) -> str:
        """The TCSS class that colours the environment banner."""
        return f"-env-{self.environment_colour}"
