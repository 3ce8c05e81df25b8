"""Command palette entries for every console action, built from the bindings themselves.

An entry for an action that does not apply now is still listed, with the reason in its help;
choosing it says why rather than doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from bgtui.ui.screens.main import MainScreen

_LEFT_TO_TEXTUAL = {"quit", "help_quit"}  # Textual's own palette already offers Quit


def _bindings(declared: Iterable[BindingType]) -> list[Binding]:
    return [binding for binding in declared if isinstance(binding, Binding)]


def console_commands(
    main: MainScreen,
    app_bindings: Iterable[BindingType],
    run_app_action: Callable[[str], Any],
    key_display: Callable[[Binding], str],
) -> Iterable[SystemCommand]:
    """One palette entry per binding of the main screen and of the app."""
    for binding in main.declared_bindings():
        reason = main.reason_against(binding.action)
        help_text = binding.tooltip or binding.description
        if reason:
            help_text = f"not now: {reason}"
        yield SystemCommand(
            f"{binding.description} ({key_display(binding)})",
            help_text,
            partial(main.attempt, binding.action),
        )
    for binding in _bindings(app_bindings):
        if binding.action in _LEFT_TO_TEXTUAL or not binding.description:
            continue
        yield SystemCommand(
            f"{binding.description} ({key_display(binding)})",
            binding.tooltip or binding.description,
            partial(run_app_action, binding.action),
        )
