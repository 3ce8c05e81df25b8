"""Notice pacing without a terminal: merged bursts, held while a dialog is open."""

from __future__ import annotations

from bgtui.ui.formatting import database_text
from bgtui.ui.notices import MIN_SHOW_SECONDS, NoticeItem, NoticeQueue
from bgtui.ui.terminal_alerts import desktop_notification


def test_a_burst_of_one_kind_reads_as_one_count() -> None:
    queue = NoticeQueue()
    queue.add(NoticeItem("Promoted", "acme → acme-1"))
    first = queue.take(0.0)
    assert first is not None and first.text == "Promoted: acme → acme-1"
    for n in range(2, 13):
        queue.add(NoticeItem("Promoted", f"acme → acme-{n}"))
    merged = queue.take(0.5)
    assert merged is not None
    assert merged.text == "12 promoted · latest: acme → acme-12"


def test_another_kind_waits_its_turn_and_nothing_shows_while_held() -> None:
    queue = NoticeQueue()
    queue.add(NoticeItem("Promoted", "acme"))
    assert queue.take(0.0) is not None
    queue.add(NoticeItem("Awaiting approval", "globex", needs_person=True))
    assert queue.take(0.1) is None
    assert queue.next_due(0.1) == MIN_SHOW_SECONDS
    queue.held = True
    assert queue.take(5.0) is None and queue.next_due(5.0) is None
    queue.held = False
    shown = queue.take(5.0)
    assert shown is not None and shown.needs_person and shown.title == "Awaiting approval"


def test_database_names_lose_their_middle_never_their_timestamp() -> None:
    name = "cust-000-20251201t020000z"
    assert database_text(name, 30) == name
    assert database_text(name, 18, alias="cust-000") == "…-20251201t020000z"
    elided = database_text("a-very-long-customer-name-20251201t020000z", 20)
    assert len(elided) == 20 and elided.endswith("1201t020000z") and "…" in elided


def test_desktop_notifications_cannot_break_out_of_their_sequence() -> None:
    text = desktop_notification("Awaiting approval", "globex;\x1b]0;evil\x07 waits")
    assert text.startswith("\x1b]9;Awaiting approval: globex,")
    assert text.count("\x07") == 2 and text.count("\x1b") == 2
    assert "\x1b]777;notify;Awaiting approval;globex," in text
