"""The knobs the engine reads, independent of how the YAML spells them.

``bgtui.config`` builds these from the operator's file; tests build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bgtui.domain.names import InvalidNameError, alias_for_customer
from bgtui.engine.ports import LoadOptions

AUTO, MANUAL, AUTO_AFTER = "auto", "manual", "auto_after"
SYSTEM_ACTOR = "bgtui"  # the actor recorded for what the engine does on its own


@dataclass(frozen=True)
class PromotionPolicy:
    """How a validated snapshot of one customer reaches its alias."""

    policy: str = AUTO  # auto | manual | auto_after
    auto_after_seconds: float = 600.0
    keep_previous: int = 2


@dataclass(frozen=True)
class ValidationCheck:
    """An operator-authored query on the candidate database, returning one value."""

    name: str
    query: str
    expect: str  # ">= 1", "== 0", "true", ...


@dataclass(frozen=True)
class EngineSettings:
    base_path: str
    neo4j_address: str = "bolt://localhost:7687"
    load: LoadOptions = field(default_factory=LoadOptions)
    reader_options: Any = None  # bgtui.readers.ImportOptions; opaque to the engine
    max_parallel_loads: int = 2
    max_retries: int = 3
    retry_backoff_seconds: float = 2.0
    max_databases: int = 50
    heap_threshold_percent: float = 85.0
    gate_recheck_seconds: float = 30.0
    health_interval_seconds: float = 5.0
    default_policy: PromotionPolicy = field(default_factory=PromotionPolicy)
    customer_policies: dict[str, PromotionPolicy] = field(default_factory=dict)
    counts_must_match: bool = True
    checks: tuple[ValidationCheck, ...] = ()

    def policy_for(self, customer: str) -> PromotionPolicy:
        """The customer's override (filed under its folder name or its alias), else the default."""
        if customer in self.customer_policies:
            return self.customer_policies[customer]
        try:
            alias = alias_for_customer(customer)
        except InvalidNameError:
            return self.default_policy
        return self.customer_policies.get(alias, self.default_policy)
