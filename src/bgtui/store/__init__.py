"""History in SQLite, the status JSON export and the controller lock.

``history.HistoryStore`` (the audit trail the engine writes and consoles read),
``status_export.StatusExporter`` (``orchestrator_status.json``), ``lock.ControllerLock``
(one controller per base path) and ``command_queue.CommandQueue`` (CLI commands for a
running controller). Import from the modules: this package imports nothing on its own.
"""
