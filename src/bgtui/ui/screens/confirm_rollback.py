"""Roll back a customer's alias: from the live database to a retained one, with a reason.

The default target is the previous live database; any other retained online version can be
chosen. Offline ones are listed, disabled, so the operator sees why they are not offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from bgtui.engine.commands import CommandRefused, EngineCommands, RollbackOption
from bgtui.engine.events import AliasView

DEFAULT_REASON = "rolled back in the console"
REASON_REQUIRED = "a reason is required in production: say why you roll back"


@dataclass(frozen=True)
class RollbackChoice:
    """What the operator confirmed: the database to return to, and why."""

    target_database: str
    reason: str


def option_prompt(option: RollbackOption) -> str:
    notes = []
    if option.is_default:
        notes.append("previous live")
    if not option.online:
        notes.append("offline")
    text = f"{option.database}  ({', '.join(notes)})" if notes else option.database
    return f"{text}\n  {option.note}" if option.note else text


class RollbackScreen(ModalScreen[RollbackChoice | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, engine: EngineCommands, alias: AliasView, *, production: bool = False
    ) -> None:
        super().__init__(classes="dialog")
        self._engine = engine
        self.alias = alias
        self.production = production
        self.options: list[RollbackOption] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-rollback"):
            yield Label(
                f"Roll back {self.alias.alias} (customer {self.alias.customer})",
                classes="dialog-title",
            )
            yield Static(self._route(None), id="rollback-route")
            yield Label("Return to:")
            yield OptionList(id="rollback-targets")
            yield Static("", id="rollback-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-reason"):
                yield Label("Reason")
                yield Input(
                    "" if self.production else DEFAULT_REASON,
                    placeholder="why (required in production)" if self.production else "",
                    id="rollback-reason",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Roll back", variant="error", id="confirm", disabled=True)
                yield Button("Cancel", id="cancel")

    def _route(self, target: str | None) -> str:
        live = self.alias.live_database or "no live database"
        return f"alias {self.alias.alias}: {live} → {target or '…'}"

    def on_mount(self) -> None:
        targets = self.query_one("#rollback-targets", OptionList)
        targets.loading = True
        targets.focus()
        self._load_options()

    @work(exclusive=True)
    async def _load_options(self) -> None:
        targets = self.query_one("#rollback-targets", OptionList)
        try:
            self.options = await self._engine.rollback_options(self.alias.customer)
        except CommandRefused as exc:
            self._problem(f"no rollback targets: {exc}")
            self.options = []
        targets.loading = False
        for option in self.options:
            targets.add_option(
                Option(option_prompt(option), id=option.database, disabled=not option.online)
            )
        first_online = next((i for i, o in enumerate(self.options) if o.online), None)
        if first_online is None:
            self._problem("no retained database is online to roll back to")
            return
        targets.highlighted = first_online
        self.query_one("#confirm", Button).disabled = False

    def _problem(self, text: str) -> None:
        self.query_one("#rollback-problem", Static).update(text)

    @property
    def chosen(self) -> RollbackOption | None:
        index = self.query_one("#rollback-targets", OptionList).highlighted
        if index is None or not 0 <= index < len(self.options):
            return None
        option = self.options[index]
        return option if option.online else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        chosen = self.chosen
        self.query_one("#rollback-route", Static).update(
            self._route(chosen.database if chosen else None)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#rollback-reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        chosen = self.chosen
        if event.button.id != "confirm":
            self.dismiss(None)
        elif chosen is None:
            self._problem("choose an online database to return to")
        else:
            reason = self.query_one("#rollback-reason", Input).value.strip()
            if not reason and self.production:
                self._problem(REASON_REQUIRED)
                self.query_one("#rollback-reason", Input).focus()
                return
            self.dismiss(RollbackChoice(chosen.database, reason or DEFAULT_REASON))

    def action_cancel(self) -> None:
        self.dismiss(None)
