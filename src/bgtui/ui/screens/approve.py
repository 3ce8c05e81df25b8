"""Approve a snapshot: what the alias switch would change, label by label, before it happens.

The preview comes from the engine (``preview_promotion``) while the dialog is open; the
dialog answers with the operator's reason, or None when cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from bgtui.engine.commands import CommandRefused, CountDiff, EngineCommands, PromotionPreview
from bgtui.engine.events import SnapshotView
from bgtui.ui.formatting import count_text

DEFAULT_REASON = "approved in the console"
REASON_REQUIRED = "a reason is required in production: say why this goes live"


def change_text(diff: CountDiff) -> str:
    if diff.live is None:
        return "new"
    return f"{diff.change:+,}" if diff.change else "="


class ApproveScreen(ModalScreen[str | None]):
    """Shows the live vs candidate (green) counts; Approve returns the reason."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, engine: EngineCommands, view: SnapshotView, *, production: bool = False
    ) -> None:
        super().__init__(classes="dialog")
        self._engine = engine
        self.view = view
        self.production = production
        self.preview: PromotionPreview | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-approve"):
            yield Label(f"Approve {self.view.key}", classes="dialog-title")
            yield Static(
                f"customer {self.view.customer} · alias {self.view.alias or self.view.customer}"
                f" · database {self.view.database or '-'}",
                id="approve-subject",
            )
            yield Static("reading counts from the live and the new database…", id="approve-route")
            table: DataTable[object] = DataTable(id="approve-diff", cursor_type="row")
            table.add_column("Kind", key="kind", width=5)
            table.add_column("Name", key="name", width=18)
            table.add_column("Live", key="live", width=10)
            table.add_column("New", key="new", width=10)
            table.add_column("Change", key="change", width=9)
            yield table
            yield Static("", id="approve-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-reason"):
                yield Label("Reason")
                yield Input(
                    "" if self.production else DEFAULT_REASON,
                    placeholder="why (required in production)" if self.production else "",
                    id="approve-reason",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Approve", variant="warning", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#approve-diff", DataTable).loading = True
        self.query_one("#cancel", Button).focus()
        self._load_preview()

    @work(exclusive=True)
    async def _load_preview(self) -> None:
        table: DataTable[object] = self.query_one("#approve-diff", DataTable)
        try:
            preview = await self._engine.preview_promotion(self.view.key)
        except CommandRefused as exc:
            self.query_one("#approve-problem", Static).update(f"no preview: {exc}")
            self.query_one("#approve-route", Static).update("")
            table.loading = False
            return
        self.preview = preview
        self.query_one("#approve-route", Static).update(
            f"alias {preview.alias}: {preview.from_database or 'no live database'} → "
            f"{preview.to_database}"
        )
        for diff in preview.diffs:
            table.add_row(
                Text(diff.kind),
                Text(diff.name),
                Text(count_text(diff.live)),
                Text(count_text(diff.candidate)),
                Text(change_text(diff)),
                key=f"{diff.kind}:{diff.name}",
            )
        table.loading = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self._approve()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#confirm", Button).focus()

    def _approve(self) -> None:
        reason = self.query_one("#approve-reason", Input).value.strip()
        if not reason and self.production:
            self.query_one("#approve-problem", Static).update(REASON_REQUIRED)
            self.query_one("#approve-reason", Input).focus()
            return
        self.dismiss(reason or DEFAULT_REASON)

    def action_cancel(self) -> None:
        self.dismiss(None)
