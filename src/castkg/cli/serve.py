"""``castkg serve``: a read-only SPARQL 1.1 Protocol endpoint, its query page and the graph view."""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

import click

from castkg.endpoint import EndpointConfig, make_server

log = logging.getLogger(__name__)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    required=True,
    metavar="PATH",
    help="castkg.ttl, castkg.trig, an output folder or a store folder.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; anything but loopback exposes the endpoint to the network.",
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run before it is cut (503).",
)
@click.option(
    "--max-rows",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows an answer may have; more is refused (422).",
)
@click.option(
    "--max-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(min=64),
    metavar="MB",
    help="Memory a query's worker may use beyond the server's own; more stops it (503).",
)
@click.option(
    "--max-concurrent",
    default=4,
    show_default=True,
    type=click.IntRange(min=1),
    help="Queries running at once (one more slot is kept for short queries).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name clients use besides localhost and IP addresses (repeatable; '*' for any).",
)
@click.option(
    "--allow-origin",
    "allow_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Serve browser requests only from these origins, e.g. http://localhost:3000 "
    "(repeatable; default: any origin).",
)
@click.option(
    "--supertypes",
    is_flag=True,
    help="Also state the schema.org / ORG / PROV-O classes of every typed thing "
    "(?x a schema:Event finds events).",
)
def serve_command(
    data: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_memory: int,
    max_concurrent: int,
    allow_hosts: tuple[str, ...],
    allow_origins: tuple[str, ...],
    supertypes: bool,
) -> None:
    """Serve --data as a SPARQL endpoint at /sparql, with a query page and the graph view at /."""
    config = EndpointConfig(
        timeout=timeout,
        max_rows=max_rows,
        max_memory_mb=max_memory,
        max_concurrent=max_concurrent,
        allowed_hosts=allow_hosts,
        allowed_origins=allow_origins or ("*",),
    )
    server = make_server(data, host, port, config, supertypes=supertypes)
    bound_host, bound_port = server.server_address[:2]
    if isinstance(bound_host, bytes):  # typed so for other socket families; IP servers give str
        bound_host = bound_host.decode()
    if not _is_loopback(host):
        log.warning("listening on %s: the endpoint is reachable from other machines", host)
    page = "graph view" if server.endpoint.view is not None else "query page"
    click.echo(
        f"castkg: SPARQL endpoint at http://{bound_host}:{bound_port}/sparql, "
        f"{page} at http://{bound_host}:{bound_port}/ (Ctrl-C stops)",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("castkg: stopped", err=True)
    finally:
        server.server_close()


COMMANDS = (serve_command,)
