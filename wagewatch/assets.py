"""Fingerprinted static files: /assets/<name>.<hash>.<ext>, cached for a year, compressed on the way out."""
import hashlib
from pathlib import Path

from flask import Blueprint, Response, abort, current_app

bp = Blueprint("assets", __name__)
YEAR = 365 * 24 * 3600
TYPES = {".css": "text/css; charset=utf-8", ".js": "application/javascript; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon", ".svg": "image/svg+xml"}


def build_manifest(static_dir: Path) -> dict[str, str]:
    """Map each logical name to its fingerprinted name, e.g. css/app.css -> css/app.1a2b3c4d.css."""
    manifest = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            logical = path.relative_to(static_dir).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            stem, dot, ext = logical.rpartition(".")
            manifest[logical] = f"{stem}.{digest}.{ext}" if dot else f"{logical}.{digest}"
    return manifest


def asset_url(logical: str) -> str:
    return "/assets/" + current_app.extensions["asset_manifest"][logical]


@bp.get("/assets/<path:fingerprinted>")
def serve(fingerprinted: str):
    reverse = current_app.extensions["asset_reverse"]
    logical = reverse.get(fingerprinted)
    if logical is None:
        abort(404)
    path = Path(current_app.static_folder) / logical
    response = Response(path.read_bytes(), mimetype=TYPES.get(path.suffix, "application/octet-stream"))
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


def init_app(app) -> None:
    manifest = build_manifest(Path(app.static_folder))
    app.extensions["asset_manifest"] = manifest
    app.extensions["asset_reverse"] = {v: k for k, v in manifest.items()}
    app.jinja_env.globals["asset_url"] = asset_url
    app.register_blueprint(bp)
