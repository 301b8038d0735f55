"""``castkg serve``: a read-only SPARQL 1.1 Protocol endpoint and the graph view."""

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
def serve_command(data: Path, host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve --data as a SPARQL endpoint at /sparql and its graph.html at /."""
    server = make_server(data, host, port, EndpointConfig(timeout=timeout, max_rows=max_rows))
    bound_host, bound_port = server.server_address[:2]
    if isinstance(bound_host, bytes):  # typed so for other socket families; IP servers give str
        bound_host = bound_host.decode()
    if not _is_loopback(host):
        log.warning("listening on %s: the endpoint is reachable from other machines", host)
    click.echo(
        f"castkg: SPARQL endpoint at http://{bound_host}:{bound_port}/sparql, "
        f"graph view at http://{bound_host}:{bound_port}/ (Ctrl-C stops)",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("castkg: stopped", err=True)
    finally:
        server.server_close()


COMMANDS = (serve_command,)
