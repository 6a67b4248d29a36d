"""The one set of serving settings: proxy, replicas and Streamlit's production flags.

Everything `make serve` starts is derived from a `ServeSettings`: the nginx config, the
replicas' command lines and the health checker's timings. Values can be overridden from a
TOML file (deploy/serve.toml by default) and then from the environment (PORT, REPLICAS).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TOML = Path(__file__).resolve().parent / "serve.toml"


@dataclass(frozen=True)
class ServeSettings:
    port: int = 8080  # where readers connect (nginx)
    replicas: int = os.cpu_count() or 1
    first_replica_port: int = 8601  # replica i listens on first_replica_port + i
    listen_address: str = "127.0.0.1"  # nginx; set 0.0.0.0 to serve other machines
    # nginx client_max_body_size and server.maxUploadSize: a reader's own file may be this big
    # (geo/core/userdata/model.MAX_UPLOAD_BYTES; tests/test_serve.py keeps them equal).
    upload_limit_mb: int = 64
    tile_host: str = "*.basemaps.cartocdn.com"  # the only outside host (img-src)
    route_cookie: str = "fam_route"  # set by nginx on first visit, hashed to a replica
    websocket_timeout_s: int = 3600  # an idle reader's socket lives this long
    health_interval_s: float = 1.0
    health_timeout_s: float = 1.0
    failures_to_remove: int = 2  # consecutive failed polls before a replica leaves
    static_max_age_s: int = 31_536_000  # Streamlit's hashed /static/ assets
    app_static_max_age_s: int = 3600  # the app's own /app/static/ (not hashed)

    def replica_ports(self) -> list[int]:
        return [self.first_replica_port + i for i in range(self.replicas)]


def load_settings(toml_path: Path | None = DEFAULT_TOML, env=os.environ) -> ServeSettings:
    """Defaults, then the TOML file's keys (unknown keys are an error), then PORT/REPLICAS."""
    values: dict = {}
    if toml_path is not None and toml_path.exists():
        with toml_path.open("rb") as handle:
            values.update(tomllib.load(handle))
    known = {field.name for field in dataclasses.fields(ServeSettings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{toml_path}: unknown setting(s) {', '.join(unknown)}")
    for name, key in (("port", "PORT"), ("replicas", "REPLICAS")):
        if env.get(key):
            values[name] = int(env[key])
    settings = ServeSettings(**values)
    if settings.replicas < 1:
        raise ValueError("REPLICAS must be at least 1")
    return settings


def streamlit_production_flags(settings: ServeSettings) -> list[str]:
    """Streamlit's production settings, in one place (every replica runs with these)."""
    return [
        "--server.headless", "true",
        "--server.enableXsrfProtection", "true",
        "--server.enableCORS", "false",
        "--server.maxUploadSize", str(settings.upload_limit_mb),
        "--browser.gatherUsageStats", "false",
        "--client.showErrorDetails", "none",  # no tracebacks to visitors
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip


def replica_command(settings: ServeSettings, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        *streamlit_production_flags(settings),
    ]  # fmt: skip
