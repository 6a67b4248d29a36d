"""nginx.conf from the settings and the replicas currently healthy (a pure function)."""

from __future__ import annotations

from pathlib import Path
from string import Template

from deploy.settings import ServeSettings

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
INDENT = " " * 12
# Debian's libnginx-mod-http-brotli-filter. Our nginx.conf does not read /etc/nginx, so the
# module is loaded by its path; where it is not installed, gzip alone serves.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
COMPRESSED_TYPES = (
    "text/css application/javascript text/javascript application/json image/svg+xml text/plain"
)


def compression_lines(brotli_module: Path | None) -> tuple[str, str]:
    """The main-context `load_module` line and the http-context brotli block (or nothing)."""
    if brotli_module is None or not brotli_module.is_file():
        return "", "    # brotli: not installed (apt-get install libnginx-mod-http-brotli-filter)"
    return (
        f"load_module {brotli_module};",
        "\n".join(
            [
                "    brotli on;",
                "    brotli_comp_level 5;",
                "    brotli_min_length 1024;",
                f"    brotli_types {COMPRESSED_TYPES};",
            ]
        ),
    )


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


def render(
    settings: ServeSettings,
    prefix: Path,
    down: frozenset[int] = frozenset(),
    brotli_module: Path | None = BROTLI_MODULE,
) -> str:
    load_modules, brotli = compression_lines(brotli_module)
    return Template(TEMPLATE.read_text()).substitute(
        load_modules=load_modules,
        brotli=brotli,
        compressed_types=COMPRESSED_TYPES,
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
