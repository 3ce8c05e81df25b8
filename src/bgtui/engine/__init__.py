"""The controller: life cycle, policies, retries, rollback, retention and recovery."""
