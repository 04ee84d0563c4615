"""``python -m clinician_workbook.hub``: the hand-in service, as JupyterHub starts it (a managed service).

JupyterHub passes who we are in the environment (``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_API_URL``,
``JUPYTERHUB_SERVICE_URL``, ``JUPYTERHUB_SERVICE_PREFIX``, ``JUPYTERHUB_CLIENT_ID``, ...); the
options below are ours, each also read from an environment variable so a hub config can set
them either way.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from urllib.parse import urlparse

from ..errors import WorkbookError

DEFAULT_URL = "http://127.0.0.1:10101"
DEFAULT_PREFIX = "/services/workbook/"
DEFAULT_MAX_BYTES = 8 * 2**20


def _parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="python -m clinician_workbook.hub",
        description="The clinician-workbook hand-in and feedback service, run by JupyterHub as a managed service.",
    )
    parser.add_argument(
        "--db",
        default=env("WORKBOOK_HUB_DB"),
        help="database URL (env WORKBOOK_HUB_DB; default sqlite:///<cwd>/workbook-hub.sqlite; "
        "PostgreSQL: postgresql+psycopg://user@host/db)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help="largest hand-in or feedback body accepted, in bytes (env WORKBOOK_HUB_MAX_BYTES; default 8 MiB)",
    )
    parser.add_argument(
        "--supervisors-group",
        default=env("WORKBOOK_HUB_SUPERVISORS_GROUP") or "supervisors",
        help="hub group whose members supervise their cohort groups (env WORKBOOK_HUB_SUPERVISORS_GROUP)",
    )
    parser.add_argument(
        "--admins-group",
        default=env("WORKBOOK_HUB_ADMINS_GROUP") or "workbook-admins",
        help="hub group whose members see every trainee, as hub admins do (env WORKBOOK_HUB_ADMINS_GROUP)",
    )
    parser.add_argument(
        "--bind",
        default=env("WORKBOOK_HUB_BIND"),
        help="address to listen on (env WORKBOOK_HUB_BIND; default: the host of JUPYTERHUB_SERVICE_URL, "
        "e.g. 0.0.0.0 where that URL names another host, as in Zero to JupyterHub's http://hub:10101)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.max_bytes is None:
        value = os.environ.get("WORKBOOK_HUB_MAX_BYTES") or str(DEFAULT_MAX_BYTES)
        if not value.strip().isdigit():
            print(f"error: WORKBOOK_HUB_MAX_BYTES={value!r}: not a whole number of bytes")
            return 2
        args.max_bytes = int(value)
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not token:
        print("error: JUPYTERHUB_API_TOKEN is not set: JupyterHub starts this service (c.JupyterHub.services)")
        return 2
    logging.basicConfig(level=logging.INFO, format="[workbook-hub %(asctime)s %(levelname)s] %(message)s")
    try:
        # imported here: `--help` works without the hub extra installed
        from jupyterhub.services.auth import HubOAuth

        from .access import HubDirectory
        from .service import Settings, make_app
        from .storage import Storage, default_url
    except ImportError as err:
        print(f"error: the hub service needs the 'hub' extra (pip install 'clinician-workbook[hub]'): {err}")
        return 2
    if args.max_bytes < 1024:
        print(f"error: --max-bytes {args.max_bytes}: too small for a hand-in (at least 1024)")
        return 2
    os.umask(0o077)  # the database, its WAL and anything else we write: owner-only
    try:
        storage = Storage(args.db or default_url())
    except WorkbookError as err:
        print(f"error: {err}")
        return 2
    hub_auth = HubOAuth(api_token=token, cache_max_age=30)
    if not hub_auth.access_scopes:  # never "anyone with a token": at least access to this service
        hub_auth.access_scopes = {f"access:services!service={os.environ.get('JUPYTERHUB_SERVICE_NAME') or 'workbook'}"}
    directory = HubDirectory(
        hub_auth.api_url,
        token,
        supervisors_group=args.supervisors_group,
        admins_group=args.admins_group,
    )
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or DEFAULT_PREFIX
    settings = Settings(storage, directory, hub_auth, prefix, args.max_bytes)
    listen = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL") or DEFAULT_URL)
    app = make_app(settings)
    host = args.bind or listen.hostname or "127.0.0.1"
    try:
        asyncio.run(_serve(app, host, listen.port or 80, args.max_bytes))
    except OSError as err:  # the address is taken, or names no interface here
        print(f"error: cannot listen on {host}:{listen.port or 80}: {err.strerror or err} (see --bind)")
        settings.close()
        return 2
    settings.close()
    return 0


async def _serve(app: object, host: str, port: int, max_bytes: int) -> None:
    from .service import make_server

    server = make_server(app, max_bytes)  # type: ignore[arg-type]
    server.listen(port, host)
    logging.getLogger("clinician_workbook.hub").info("serving on http://%s:%d", host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()
    await server.close_all_connections()


if __name__ == "__main__":
    sys.exit(main())
