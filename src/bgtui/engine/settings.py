"""The knobs the engine reads, independent of how the YAML spells them.

``bgtui.config`` builds the policy, check, load and reader types these hold; tests build them
directly. Which policy applies to a customer is ``bgtui.domain.policy.policy_for``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bgtui.domain.loading import LoadOptions
from bgtui.domain.names import InvalidNameError, alias_for_customer
from bgtui.domain.policy import PromotionPolicy, ValidationCheck
from bgtui.domain.topology import Topology
from bgtui.readers.model import ImportOptions

SYSTEM_ACTOR = "bgtui"  # the actor recorded for what the engine does on its own


def topology_for(settings: EngineSettings, customer: str) -> Topology | None:
    """The customer's own topology (filed by folder name or alias), else the default one
    (None: the server decides)."""
    own = settings.customer_topologies
    if customer in own:
        return own[customer]
    try:
        return own.get(alias_for_customer(customer), settings.topology)
    except InvalidNameError:
        return settings.topology


@dataclass(frozen=True)
class EngineSettings:
    base_path: str
    neo4j_address: str = "bolt://localhost:7687"
    load: LoadOptions = field(default_factory=LoadOptions)
    reader_options: ImportOptions = field(default_factory=ImportOptions)
    max_parallel_loads: int = 2
    max_retries: int = 3
    retry_backoff_seconds: float = 2.0
    max_databases: int = 50
    heap_threshold_percent: float = 85.0
    gate_recheck_seconds: float = 30.0
    #: Copies a cluster keeps of each new database (None: the server's default), and per
    #: customer folder name.
    topology: Topology | None = None
    customer_topologies: dict[str, Topology] = field(default_factory=dict)
    #: How long a promotion or rollback waits for every copy of its target to be ready.
    readiness_timeout_seconds: float = 300.0
    health_interval_seconds: float = 5.0
    default_policy: PromotionPolicy = field(default_factory=PromotionPolicy)
    customer_policies: dict[str, PromotionPolicy] = field(default_factory=dict)
    counts_must_match: bool = True
    checks: tuple[ValidationCheck, ...] = ()
