"""The `toolkit serve` command: start the preview server and say where it listens."""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from toolkit.cli import State

LOOPBACK_NAMES = ("127.0.0.1", "localhost")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.pass_obj
def serve(state: State, host: str, port: int) -> None:
    """Live preview and translation dashboard in the browser (read-only)."""
    # Imported here so that `toolkit --help` does not load a web server.
    import uvicorn

    from toolkit.cli import err, out
    from toolkit.serve.app import create_app

    config = state.config
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    # Behind a loopback address only the names of this machine may reach the pages: a web page
    # elsewhere cannot DNS-rebind its own name to 127.0.0.1 and read the project.
    allowed = [*LOOPBACK_NAMES] if host in LOOPBACK_NAMES else None
    app = create_app(config, allowed_hosts=allowed)
    out.print(f"toolkit serve: http://{shown}:{bound}/", markup=False)
    out.print(f"  project {config.root}; read-only; press Ctrl+C to stop", markup=False)
    if not _is_loopback(host):
        err.print(
            f"warning: listening on {host}: other computers on the network can read the project"
        )
    sys.stdout.flush()  # the address must reach a pipe (a test, an editor plugin) at once
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            # Open live-reload streams never end by themselves; do not wait for them on Ctrl+C.
            timeout_graceful_shutdown=1,
        )
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn shuts down cleanly, then re-raises Ctrl+C: for a server that is how it ends.
        out.print("toolkit serve: stopped")
    finally:
        sock.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    """A bound socket, so that port 0 becomes a real port we can print before serving."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror or exc}") from exc
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port (0: any free one)"
        ) from exc
    return sock
