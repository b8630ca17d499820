"""Starting the preview server: bind the socket, say where it listens, serve until Ctrl+C.

No click and no console here: the command line (`toolkit.cli`) passes callbacks for what is
said, so imports run one way, cli -> serve.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from toolkit.config import Config
from toolkit.errors import ToolkitError

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
# What the optional extra `serve` brings (pyproject.toml); any other ImportError is a real bug.
WEB_PACKAGES = ("uvicorn", "starlette", "watchfiles")

Say = Callable[[str], None]


def run(
    config: Config, host: str, port: int, *, say: Say, warn: Say, read_only: bool = False
) -> None:
    """Serve the project on host:port (0: a free port) until Ctrl+C; `say` gets the address.

    On loopback the editor saves translations unless `read_only`; on any other address every
    request needs the access token printed here (security.py)."""
    # Imported here so that the command line starts without a web server, and works without one.
    try:
        import uvicorn

        from toolkit.serve.app import create_app
        from toolkit.serve.security import TOKEN_PARAM, new_token
    except ImportError as exc:
        package = (exc.name or "").partition(".")[0]
        if package not in WEB_PACKAGES:
            raise
        raise ToolkitError(
            f"toolkit serve needs the web server packages, and {package} is not installed",
            hint="install the extra `serve`: pip install 'toolkit[serve]' (or `make build`)",
        ) from exc

    sock = _listen(host, port)
    try:
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        # Behind a loopback address only the names of this machine may reach the pages: a web page
        # elsewhere cannot DNS-rebind its own name to 127.0.0.1 and read the project.
        allowed = [*LOOPBACK_NAMES] if host in LOOPBACK_NAMES else None
        token = None if is_loopback(host) else new_token()
        app = create_app(
            config, allowed_hosts=allowed, editable=not read_only, access_token=token
        )
        query = f"?{TOKEN_PARAM}={token}" if token else ""
        say(f"toolkit serve: http://{shown}:{bound}/{query}")
        mode = (
            "read-only"
            if read_only
            else f"translations are saved into {config.locales}/<lang>/LC_MESSAGES/*.po"
        )
        say(f"  project {config.root}; {mode}; press Ctrl+C to stop")
        if token:
            warn(
                f"warning: listening on {host}: other computers on the network can reach this server"
                + ("" if read_only else " and change translations")
            )
            warn(
                f"  every request needs the access token: open http://<this computer's address>:{bound}/{query}"
            )
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
            say("toolkit serve: stopped")
    finally:
        sock.close()


def is_loopback(host: str) -> bool:
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
        raise ToolkitError(
            f"cannot listen on {host}: {exc.strerror or exc}",
            hint="pass an address of this computer with --host, e.g. 127.0.0.1",
        ) from exc
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ToolkitError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port (0: any free one)",
        ) from exc
    # Listening before the address is printed: a client that reads it and connects at once
    # waits in the queue while the application starts, instead of being refused.
    sock.listen(128)
    return sock
