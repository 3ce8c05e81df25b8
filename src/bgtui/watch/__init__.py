"""Finding complete snapshots on disk: watchdog events, a polling fallback, readiness rules."""
