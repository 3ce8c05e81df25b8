"""Run the bgtui sandbox on its own: a Neo4j stand-in speaking Bolt. It is not a database.

    python -m bgtui.sandbox --port 7687 [--edition community] [--user neo4j]
                            [--password …] [--latency-ms N] [--bolt6] [--arrow-port P]

With ``--arrow-port`` it also serves the GDS Arrow Flight endpoint (needs pyarrow), through
which a client builds a new database from Arrow record batches.

It keeps everything in memory and understands only the Cypher bgtui sends (and a little more);
point bgtui, or any neo4j driver, at the printed address to try things without a real Neo4j.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Any

from bgtui.sandbox.faults import __doc__ as faults_doc
from bgtui.sandbox.server import SandboxError, SandboxServer

_DESCRIPTION = (
    "Start the bgtui sandbox: a stand-in for Neo4j 5 that speaks the Bolt protocol on a local "
    "port, so bgtui and the official neo4j driver can be tried without a real server. It is "
    "NOT a database: it keeps everything in memory, forgets it on exit, and understands only "
    "the Cypher statements bgtui sends."
)


def _fault_help() -> str:
    lines = (faults_doc or "").splitlines()
    start = next(i for i, line in enumerate(lines) if "CALL sandbox.fault" in line)
    procedures = "\n".join(line for line in lines[start:] if line.strip())
    return "fault injection, from any client (e.g. cypher-shell or the driver):\n" + procedures


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bgtui.sandbox",
        description=_DESCRIPTION,
        epilog=_fault_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=7687, help="TCP port, 0 for a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--edition",
        choices=("enterprise", "community", "aura"),
        default="enterprise",
        help="which Neo4j edition to imitate; Community has no aliases, Aura refuses "
        "CREATE DATABASE (default: %(default)s)",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        metavar="N",
        help="imitate a cluster of N members (--port for the first, free ports for the "
        "others): one SHOW DATABASES row per copy, TOPOLOGY honoured, neo4j:// routing to the "
        "members (default: %(default)s, a standalone server)",
    )
    parser.add_argument("--user", default="neo4j", help="the one user (default: %(default)s)")
    parser.add_argument(
        "--password", default="bgtui-sandbox", help="that user's password (default: %(default)s)"
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        metavar="N",
        help="make every statement wait N milliseconds first (default: none)",
    )
    parser.add_argument(
        "--bolt6",
        action="store_true",
        help="also offer Bolt 6.0 to drivers that ask through the handshake manifest",
    )
    parser.add_argument(
        "--arrow-port",
        type=int,
        default=None,
        metavar="P",
        help="also serve the GDS Arrow Flight endpoint on port P (GDS uses 8491; 0 for a free "
        "one; needs pyarrow: pip install 'bgtui[arrow]')",
    )
    parser.add_argument(
        "--arrow-legacy",
        action="store_true",
        help="make the Arrow endpoint act as GDS before 2.6 (only unprefixed action names)",
    )
    return parser


def _start_arrow(server: SandboxServer, port: int, legacy: bool) -> Any:
    """The Flight server beside Bolt, sharing its Dbms; None (with a message) if it cannot."""
    try:
        from bgtui.sandbox.arrow_flight import ArrowFlightServer
    except ImportError:
        print(
            "bgtui sandbox: --arrow-port needs pyarrow: pip install 'bgtui[arrow]'",
            file=sys.stderr,
        )
        return None
    try:
        return ArrowFlightServer(server.dbms, server.host, port, legacy=legacy).start()
    except OSError as error:  # pyarrow raises ArrowException (an OSError) for a port in use
        print(
            f"bgtui sandbox: the Arrow endpoint cannot listen on {port}: {error}", file=sys.stderr
        )
        return None


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    server = SandboxServer(
        arguments.host,
        arguments.port,
        edition=arguments.edition,
        user=arguments.user,
        password=arguments.password,
        allow_bolt_6=arguments.bolt6,
        servers=arguments.servers,
    )
    if arguments.latency_ms:
        server.faults.set_latency(arguments.latency_ms / 1000)
    try:
        server.start()
    except SandboxError as error:
        print(f"bgtui sandbox: {error}", file=sys.stderr)
        return 1
    arrow = None
    if arguments.arrow_port is not None:
        arrow = _start_arrow(server, arguments.arrow_port, arguments.arrow_legacy)
        if arrow is None:
            server.stop()
            return 1
    finished = threading.Event()

    def finish(signum: int, frame: FrameType | None) -> None:
        finished.set()

    signal.signal(signal.SIGTERM, finish)
    print(
        f"bgtui sandbox (a Neo4j {arguments.edition} stand-in, not a database) listening on "
        f"{server.uri} and {server.routing_uri}, user {arguments.user!r}. Ctrl-C stops it."
        + (f" Cluster members: {', '.join(server.addresses)}." if arguments.servers > 1 else ""),
        flush=True,
    )
    if arrow is not None:
        print(f"Arrow Flight (GDS stand-in) listening on {arrow.location}.", flush=True)
    try:
        finished.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if arrow is not None:
            arrow.stop()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
