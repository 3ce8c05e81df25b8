"""A screen that sends the operator's changing commands (approve, retry, roll back, hold,
leave read-only) about a selection, with their dialogs and confirmations.

Whether a command applies is the engine's call (``why_not``); this screen only shows the
answer: disabled in the footer, and the reason when the key is pressed anyway. The screen
that owns the panes says what is selected (``selected_view``, ``selected_customer``, …).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import ClassVar

from textual import events, work
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from bgtui.engine.commands import CommandRefused, EngineCommands
from bgtui.engine.events import AliasView, SnapshotView
from bgtui.ui.options import ConsoleOptions
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.confirm import ConfirmScreen
from bgtui.ui.screens.confirm_rollback import RollbackScreen
from bgtui.ui.screens.type_to_confirm import TypeToConfirmScreen

CHANGING_ACTIONS: dict[str, str] = {
    "approve": "Approve",
    "retry": "Retry",
    "rollback": "Roll back",
    "hold": "Hold",
    "release": "Release",
}
"""Actions that change Neo4j (or the engine's plan for it): refused in read-only mode."""

READ_ONLY_REASON = "read-only mode: this console may not change Neo4j"


class OperatorScreen(Screen[None]):
    """Changing commands about the selection; subclasses provide the selection and status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve", tooltip="Switch the alias to the selected snapshot"),
        Binding("r", "retry", "Retry", tooltip="Queue a failed, stale or superseded load again"),
        Binding("b", "rollback", "Roll back", tooltip="Point the customer's alias back"),
        Binding("h", "hold", "Hold", tooltip="Hold or release an automatic promotion countdown"),
        Binding(
            "u",
            "release",
            "Release",
            show=False,
            tooltip="Resume auto-promotion after a rollback",
        ),
        Binding("R", "toggle_read_only", "Read-only", show=False, tooltip="Enter or leave"),
    ]

    read_only: reactive[bool] = reactive(False)

    def __init__(self, engine: EngineCommands, options: ConsoleOptions, *, id: str) -> None:
        super().__init__(id=id)
        self.engine = engine
        self.options = options
        self.set_reactive(OperatorScreen.read_only, options.read_only)

    # ---- what the subclass provides --------------------------------------------------------

    @property
    def selected_view(self) -> SnapshotView | None:
        raise NotImplementedError

    @property
    def selected_customer(self) -> str | None:
        raise NotImplementedError

    @property
    def selected_alias(self) -> AliasView | None:
        raise NotImplementedError

    def say(self, message: str, tone: str = "info") -> None:
        """Put ``message`` on the status line (``tone``: info, refused or error)."""
        raise NotImplementedError

    # ---- what applies ----------------------------------------------------------------------

    def reason_against(self, action: str) -> str | None:
        """Why ``action`` does not apply to the selection now, or None when it does."""
        if action not in CHANGING_ACTIONS:
            return None
        if self.read_only:
            return READ_ONLY_REASON
        if action == "release":
            customer = self.selected_customer
            if customer is None:
                return "select a snapshot or an alias first"
            alias = self.selected_alias
            if alias is None or alias.held_by is None:
                return f"{customer} is not held (a rollback holds a customer)"
            return None
        if action == "rollback":
            customer = self.selected_customer
            if customer is None:
                return "select a snapshot or an alias first"
            return self.engine.why_not(action, None, customer)
        view = self.selected_view
        if view is None:
            return "select a snapshot first"
        return self.engine.why_not(action, view.key, view.customer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CHANGING_ACTIONS and self.reason_against(action):
            return None  # shown, dimmed: the key explains itself when pressed
        return True

    def refuse(self, action: str, reason: str) -> None:
        label = CHANGING_ACTIONS.get(action, action)
        self.say(f"{label}: {reason}", "refused")

    async def attempt(self, action: str) -> None:
        """Run ``action`` if it applies, else say why (the palette and disabled keys use this)."""
        reason = self.reason_against(action)
        if reason:
            self.refuse(action, reason)
            return
        await self.run_action(action)

    def on_key(self, event: events.Key) -> None:
        active = self.active_bindings.get(event.key)
        if active is None or active.enabled or active.binding.action not in CHANGING_ACTIONS:
            return
        reason = self.reason_against(active.binding.action)
        if reason:
            event.stop()
            event.prevent_default()
            self.refuse(active.binding.action, reason)

    # ---- sending ---------------------------------------------------------------------------

    async def _send(self, done: str, command: Awaitable[None]) -> bool:
        """Await an engine command; a refusal goes on the status line in the engine's words."""
        try:
            await command
        except CommandRefused as exc:
            self.say(f"refused: {exc}", "error")
            return False
        self.say(done)
        return True

    async def _typed_confirmation(self, customer: str, what: str) -> bool:
        """In production, the operator types the customer's name before the change."""
        if not self.options.production:
            return True
        confirmed = await self.app.push_screen_wait(TypeToConfirmScreen(customer, what))
        if not confirmed:
            self.say(f"cancelled: {what}")
        return bool(confirmed)

    @work(exclusive=True, group="command")
    async def action_approve(self) -> None:
        view = self.selected_view
        if view is None:
            return
        reason = await self.app.push_screen_wait(
            ApproveScreen(self.engine, view, production=self.options.production)
        )
        if reason is None:
            self.say(f"approval of {view.key} cancelled")
            return
        if not await self._typed_confirmation(view.customer, f"Approve {view.key}."):
            return
        await self._send(
            f"approved {view.key}", self.engine.approve(view.key, self.options.operator, reason)
        )

    @work(exclusive=True, group="command")
    async def action_rollback(self) -> None:
        customer = self.selected_customer
        if customer is None:
            return
        alias = self.selected_alias or AliasView(customer, customer, None, None)
        choice = await self.app.push_screen_wait(
            RollbackScreen(self.engine, alias, production=self.options.production)
        )
        if choice is None:
            self.say(f"rollback of {alias.alias} cancelled")
            return
        what = f"Roll back {alias.alias} to {choice.target_database}."
        if not await self._typed_confirmation(customer, what):
            return
        await self._send(
            f"rolled back {alias.alias} to {choice.target_database}",
            self.engine.rollback(
                customer,
                self.options.operator,
                choice.reason,
                choice.target_database,
                expected_from=alias.live_database,
            ),
        )

    @work(exclusive=True, group="command")
    async def action_release(self) -> None:
        customer = self.selected_customer
        alias = self.selected_alias
        if customer is None or alias is None or alias.held_by is None:
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                f"Release {customer}?",
                f"{customer} is held after rollback by {alias.held_by}. Released, its new "
                "snapshots promote as its policy says (auto or auto_after) again.",
                "Release",
            )
        )
        if not confirmed:
            self.say(f"{customer} stays held")
            return
        await self._send(
            f"released {customer}",
            self.engine.release(customer, self.options.operator, "released in the console"),
        )

    @work(exclusive=True, group="command")
    async def action_retry(self) -> None:
        view = self.selected_view
        if view is not None:
            await self._send(
                f"{view.key} queued again", self.engine.retry(view.key, self.options.operator)
            )

    @work(exclusive=True, group="command")
    async def action_hold(self) -> None:
        view = self.selected_view
        if view is None:
            return
        hold = not view.held
        await self._send(
            f"{'held' if hold else 'released'} the countdown of {view.key}",
            self.engine.hold(view.key, self.options.operator, held=hold),
        )

    @work(exclusive=True, group="command")
    async def action_toggle_read_only(self) -> None:
        leaving = self.read_only
        if leaving:
            confirmed = await self.app.push_screen_wait(
                ConfirmScreen(
                    "Leave read-only mode?",
                    "This console will then load snapshots and may approve, retry, hold and "
                    "roll back, changing Neo4j.",
                    "Leave read-only",
                )
            )
            if not confirmed:
                self.say("still read-only")
                return
        try:
            self.engine.set_read_only(not leaving)
        except CommandRefused as exc:
            self.say(f"refused: {exc}", "error")
            return
        self.read_only = not leaving
        self.say("read-only mode" if self.read_only else "read-only mode left")
