"""nginx.conf from the settings and the replicas currently healthy (a pure function)."""

from __future__ import annotations

from pathlib import Path
from string import Template

from deploy.settings import ServeSettings

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
INDENT = " " * 12


def content_security_policy(settings: ServeSettings) -> str:
    """Only the app itself, plus basemap tiles from the tile host.

    Streamlit's front end needs 'unsafe-inline' styles and 'unsafe-eval' (Arrow / Vega); the
    folium map is a srcdoc iframe whose inline scripts need 'unsafe-inline' (checked in
    Chromium: tests/test_serve_browser.py).
    """
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: https://{settings.tile_host}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def header_lines(settings: ServeSettings) -> str:
    """Repeated in every location: nginx drops inherited add_header once a block adds one."""
    headers = [
        ("Content-Security-Policy", content_security_policy(settings)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "SAMEORIGIN"),
    ]
    lines = [f'add_header {name} "{value}" always;' for name, value in headers]
    lines.append("add_header Set-Cookie $route_set_cookie;")
    return "\n".join(INDENT + line for line in lines)


def server_lines(settings: ServeSettings, down: frozenset[int] = frozenset()) -> str:
    """One `server` per replica; a replica the checker found unhealthy is marked `down`,
    so its readers' cookies hash to live replicas while the others' keep their place."""
    lines = []
    for port in settings.replica_ports():
        flag = " down" if port in down else ""
        lines.append(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s{flag};")
    return "\n".join(lines)


def render(settings: ServeSettings, prefix: Path, down: frozenset[int] = frozenset()) -> str:
    return Template(TEMPLATE.read_text()).substitute(
        prefix=str(prefix),
        upload_limit_mb=settings.upload_limit_mb,
        route_cookie=settings.route_cookie,
        servers=server_lines(settings, down),
        listen_address=settings.listen_address,
        port=settings.port,
        websocket_timeout_s=settings.websocket_timeout_s,
        static_max_age_s=settings.static_max_age_s,
        app_static_max_age_s=settings.app_static_max_age_s,
        headers=header_lines(settings),
    )
