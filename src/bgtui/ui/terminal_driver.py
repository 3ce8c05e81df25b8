"""The terminal driver: Textual's own, asking for clicks and drags but not every mouse move.

Textual turns on any-motion tracking (``?1003h``), so merely moving the pointer over the
window sends a report upstream, and over SSH each one is a round trip. Button-event
tracking (``?1002h``) reports presses, releases, drags and the wheel, which is all the
console uses. On Windows Textual's own driver stands.
"""

from __future__ import annotations

import sys

from textual.driver import Driver

if sys.platform != "win32":
    from textual.drivers.linux_driver import LinuxDriver

    class ClickTrackingDriver(LinuxDriver):
        """Textual's Linux driver with ``?1002h`` (button events) instead of ``?1003h``."""

        def _enable_mouse_support(self) -> None:
            if not self._mouse:
                return
            self.write("\x1b[?1000h")  # presses and releases
            self.write("\x1b[?1002h")  # motion only while a button is down (drags)
            self.write("\x1b[?1015h")
            self.write("\x1b[?1006h")  # SGR coordinates
            self.flush()

        def _disable_mouse_support(self) -> None:
            if not self._mouse:
                return
            for mode in ("1000", "1002", "1003", "1015", "1006"):
                self.write(f"\x1b[?{mode}l")
            self.flush()


def console_driver_class(default: type[Driver]) -> type[Driver]:
    """The click-tracking driver where Textual would use its Linux driver, else ``default``."""
    if sys.platform != "win32" and default is LinuxDriver:
        return ClickTrackingDriver
    return default
