"""The console's composition root: builds the main screen, hosts the engine, wires its events.

Nothing here decides anything about snapshots: the engine decides, the screens show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from bgtui.engine.commands import EngineCommands
from bgtui.engine.events import EngineEvent
from bgtui.ui.messages import message_for
from bgtui.ui.notices import NoticeItem
from bgtui.ui.options import THEMES, ConsoleOptions, Now, system_now
from bgtui.ui.palette import console_commands
from bgtui.ui.resources import console_stylesheets
from bgtui.ui.screens.confirm import ConfirmScreen
from bgtui.ui.screens.help import HelpEntry, HelpScreen
from bgtui.ui.screens.history import HistoryScreen
from bgtui.ui.screens.main import MainScreen
from bgtui.ui.terminal_driver import console_driver_class
from bgtui.ui.themes import PROJECTOR, TEXTUAL_THEMES


class BgtuiApp(App[None], inherit_bindings=False):
    """bgtui's console. ``run_console()`` runs it with the options' mouse setting."""

    TITLE = "bgtui"
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (120, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    # Not Textual's ctrl+q: it is terminal flow control (XON), as ctrl+s is XOFF.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", tooltip="Every key, and why one is unavailable"),
        Binding("H", "history", "History", show=False, tooltip="Runs and alias changes"),
        Binding("t", "cycle_theme", "Theme", show=False, tooltip="Default ↔ projector"),
        Binding("q", "quit", "Quit", tooltip="Asks first while a load is running"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    console_theme: reactive[str] = reactive("default")

    def __init__(
        self, engine: EngineCommands, options: ConsoleOptions, *, now: Now = system_now
    ) -> None:
        super().__init__(css_path=list(console_stylesheets()))
        self.driver_class = console_driver_class(self.driver_class)
        self.engine = engine
        self.options = options
        self.main = MainScreen(engine, options, now)
        self._engine_stopped = False
        self.register_theme(PROJECTOR)
        self.set_reactive(BgtuiApp.console_theme, options.theme)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice goes to the main screen's notice line: a toast would cover a dialog,
        the aliases pane or the selected row."""
        self.main.show_notice(NoticeItem(title, message, severity))

    def run_console(self) -> None:
        """Run full-screen; ``ConsoleOptions.mouse=False`` leaves the mouse to the terminal."""
        self.run(mouse=self.options.mouse)

    # ---- engine life -----------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.watch_console_theme(self.console_theme)
        await self.push_screen(self.main)
        self.engine.subscribe(self._deliver)
        self._start_engine()

    def _deliver(self, event: EngineEvent) -> None:
        """The engine's sink: may run on any thread, so it only posts (thread-safe)."""
        message = message_for(event)
        if message is not None:
            self.main.post_message(message)

    @work(exclusive=True, group="engine")
    async def _start_engine(self) -> None:
        try:
            await self.engine.start()
        except Exception as exc:  # the operator must see it; the console stays up to read
            self.notify(f"{exc}", title="The engine did not start", severity="error", timeout=30)

    async def _stop_engine(self) -> None:
        if not self._engine_stopped:
            self._engine_stopped = True
            await self.engine.stop()

    async def on_unmount(self) -> None:
        await self._stop_engine()

    # ---- app-wide actions ------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; asks first while the engine is working on a snapshot."""
        self._quit_when_confirmed()

    @work(exclusive=True, group="quit")
    async def _quit_when_confirmed(self) -> None:
        running = self.main.board.active()
        if running:
            names = ", ".join(view.key for view in running[:3])
            more = f" and {len(running) - 3} more" if len(running) > 3 else ""
            confirmed = await self.push_screen_wait(
                ConfirmScreen(
                    "Quit while loading?",
                    f"{len(running)} snapshot(s) are being worked on ({names}{more}). "
                    "Quitting stops them; they are recorded as interrupted and loaded again "
                    "next time.",
                    "Quit",
                )
            )
            if not confirmed:
                return
        self.main.status.say("stopping the engine…")
        await self._stop_engine()
        self.exit()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_entries()))

    def help_entries(self) -> list[HelpEntry]:
        """Every active binding with a description, console first, then the focused pane."""
        console: list[HelpEntry] = []
        pane: list[HelpEntry] = []
        for key, active in self.main.active_bindings.items():
            binding = active.binding
            if not binding.description:
                continue
            in_console = active.node is self or active.node is self.main
            reason = self.main.reason_against(binding.action) if active.node is self.main else None
            note = f"not now: {reason}" if reason else binding.tooltip
            entry = HelpEntry(
                "Console" if in_console else self._pane_name(active.node),
                self.get_key_display(binding) or key,
                binding.description,
                note,
            )
            (console if in_console else pane).append(entry)
        return console + pane

    @staticmethod
    def _pane_name(node: DOMNode) -> str:
        title = node.border_title if isinstance(node, Widget) else None
        return f"{title or type(node).__name__} pane"

    def action_history(self) -> None:
        self.push_screen(HistoryScreen(self.engine, self.main.selected_customer))

    def action_cycle_theme(self) -> None:
        index = THEMES.index(self.console_theme)
        self.console_theme = THEMES[(index + 1) % len(THEMES)]
        self.notify(f"{self.console_theme} theme", timeout=2)

    def watch_console_theme(self, theme: str) -> None:
        self.theme = TEXTUAL_THEMES[theme]
        for name in THEMES:
            self.set_class(name == theme, f"-{name}")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from console_commands(self.main, self.BINDINGS, self.run_action, self.get_key_display)
