"""Realistic demo snapshots in the neo4j-admin CSV format, written the way producers write them.

Each snapshot is written file by file into ``<base>/<customer>/<timestamp>/`` with the
``_SUCCESS`` marker last, so the watcher sees real half-written folders first. A snapshot can be
made to fail validation (it lacks the accounts a configured check requires) to show the failed
path in a demo.
"""

from __future__ import annotations

import csv
import gzip
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Barbara",
    "Edgar",
    "Donald",
    "Edsger",
    "Frances",
    "Grace",
    "Guido",
    "Hedy",
    "Ivan",
    "Jean",
    "John",
    "Katherine",
    "Ken",
    "Linus",
    "Margaret",
    "Niklaus",
    "Radia",
    "Rob",
    "Shafi",
    "Sophie",
    "Tim",
    "Tony",
    "Whitfield",
    "Yukihiro",
]
LAST_NAMES = [
    "Lovelace",
    "Turing",
    "Liskov",
    "Shannon",
    "Knuth",
    "Dijkstra",
    "Allen",
    "Hopper",
    "Rossum",
    "Lamarr",
    "Sutherland",
    "Sammet",
    "Backus",
    "Johnson",
    "Thompson",
    "Torvalds",
    "Hamilton",
    "Wirth",
    "Perlman",
    "Pike",
    "Goldwasser",
    "Wilson",
    "Berners-Lee",
    "Hoare",
    "Diffie",
    "Matsumoto",
]
PRODUCTS = [
    "Graph",
    "Index",
    "Cluster",
    "Backup",
    "Monitor",
    "Gateway",
    "Cache",
    "Stream",
    "Vault",
    "Ledger",
]
TIERS = ("bronze", "silver", "gold", "platinum")


@dataclass(frozen=True)
class SnapshotSize:
    people: int
    companies: int
    products: int

    @classmethod
    def named(cls, name: str) -> SnapshotSize:
        sizes = {
            "tiny": cls(40, 5, 8),
            "small": cls(400, 20, 30),
            "medium": cls(5_000, 120, 200),
            "large": cls(50_000, 800, 1_000),
        }
        if name not in sizes:
            raise ValueError(f"unknown size {name!r}; choose one of {', '.join(sizes)}")
        return sizes[name]


def _write_csv(path: Path, header: list[str], rows: list[list[object]], gz: bool = False) -> None:
    opener = gzip.open if gz else open
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def write_snapshot(
    base: Path,
    customer: str,
    timestamp: int,
    size: SnapshotSize,
    *,
    seed: int | None = None,
    without_accounts: bool = False,
    marker: str = "_SUCCESS",
) -> Path:
    """Write one complete snapshot and return its folder. The marker is written last."""
    rng = random.Random(seed if seed is not None else timestamp)
    folder = base / customer / str(timestamp)
    nodes, rels = folder / "nodes", folder / "relationships"
    nodes.mkdir(parents=True, exist_ok=True)
    rels.mkdir(parents=True, exist_ok=True)
    # Each snapshot grows a little, so the approval diff has something to show.
    people = size.people + rng.randint(0, max(1, size.people // 10))
    start = date(1950, 1, 1)

    # A header file and two numbered parts, as in the neo4j-admin tutorials.
    _write_csv(
        nodes / "people-header.csv",
        [
            "personId:ID(Person)",
            "name",
            "email",
            "born:date",
            "score:float",
            "tags:string[]",
            ":LABEL",
        ],
        [],
    )
    person_rows: list[list[object]] = []
    for index in range(people):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        labels = "Person;Customer" if index % 3 == 0 else "Person"
        person_rows.append(
            [
                f"p{index}",
                f"{first} {last}",
                f"{first}.{last}{index}@example.com".lower(),
                (start + timedelta(days=rng.randint(0, 20_000))).isoformat(),
                round(rng.uniform(0, 100), 2),
                ";".join(rng.sample(TIERS, 2)),
                labels,
            ]
        )
    half = len(person_rows) // 2
    _write_csv(nodes / "people-part1.csv", [], person_rows[:half])
    _write_csv(nodes / "people-part2.csv.gz", [], person_rows[half:], gz=True)

    _write_csv(
        nodes / "companies.csv",
        ["companyId:ID(Company)", "name", "founded:int", ":LABEL"],
        [
            [
                f"c{i}",
                f"{rng.choice(LAST_NAMES)} {rng.choice(('Labs', 'Systems', 'Works'))}",
                rng.randint(1950, 2024),
                "Company",
            ]
            for i in range(size.companies)
        ],
    )
    _write_csv(
        nodes / "products.csv",
        ["sku:ID(Product)", "name", "price:double", ":LABEL"],
        [
            [f"sku{i}", f"{rng.choice(PRODUCTS)} {i}", round(rng.uniform(5, 500), 2), "Product"]
            for i in range(size.products)
        ],
    )
    if not without_accounts:
        _write_csv(
            nodes / "accounts.csv",
            ["accountId:ID(Account)", "tier", "active:boolean", ":LABEL"],
            [
                [f"a{i}", rng.choice(TIERS), "true" if i % 5 else "false", "Account"]
                for i in range(max(1, people // 4))
            ],
        )

    _write_csv(
        rels / "works_at.csv",
        [":START_ID(Person)", ":END_ID(Company)", "since:int", ":TYPE"],
        [
            [f"p{i}", f"c{rng.randrange(size.companies)}", rng.randint(1990, 2024), "WORKS_AT"]
            for i in range(people)
        ],
    )
    _write_csv(
        rels / "bought.csv",
        [":START_ID(Person)", ":END_ID(Product)", "on:date", "amount:double", ":TYPE"],
        [
            [
                f"p{rng.randrange(people)}",
                f"sku{rng.randrange(size.products)}",
                (date(2024, 1, 1) + timedelta(days=rng.randint(0, 300))).isoformat(),
                round(rng.uniform(5, 900), 2),
                "BOUGHT",
            ]
            for _ in range(people * 2)
        ],
    )
    _write_csv(
        rels / "knows.csv",
        [":START_ID(Person)", ":END_ID(Person)", ":TYPE"],
        [
            [f"p{rng.randrange(people)}", f"p{rng.randrange(people)}", "KNOWS"]
            for _ in range(people)
        ],
    )
    (folder / marker).write_text("")
    return folder
