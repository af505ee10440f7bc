"""Configuration read only from environment variables, with safe defaults for the demo."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "wagewatch-demo-secret-not-for-production"
DEFAULT_DATA_KEY = "wagewatch-demo-data-key-not-for-production"


class ConfigError(RuntimeError):
    """Raised when production mode is started with demo or weak secrets."""


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{ROOT / 'instance' / 'wagewatch.sqlite3'}"
    # psycopg 3 is the driver we ship; accept the common postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config() -> dict:
    env = os.environ.get("WAGEWATCH_ENV", "development")
    return {
        "WAGEWATCH_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEFAULT_SECRET),
        "WAGEWATCH_DATA_KEY": os.environ.get("WAGEWATCH_DATA_KEY", DEFAULT_DATA_KEY),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "EXPORT_DIR": os.environ.get("EXPORT_DIR", str(ROOT / "instance" / "exports")),
        "SUPPORT_PHONES": os.environ.get("WAGEWATCH_SUPPORT_PHONES", "0991-3655106、0991-3689589、0991-3689591"),
        "SUPPORT_ONLINE": os.environ.get("WAGEWATCH_SUPPORT_ONLINE", "平台首页右侧→在线咨询"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # A Redis outage must not take the login page down: fall back to per-process counters.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "PROXY_HOPS": int(os.environ.get("WAGEWATCH_PROXY_HOPS", "0")),
        # 审核 and the three administrative roles must log in with a TOTP second factor (等保 level 3).
        "SECOND_FACTOR_ENFORCED": os.environ.get("WAGEWATCH_SECOND_FACTOR", "required") != "optional",
        "SECOND_FACTOR_RATE_LIMIT": os.environ.get("WAGEWATCH_SECOND_FACTOR_RATE_LIMIT", "10 per minute"),
        "LOGIN_RATE_LIMIT": os.environ.get("WAGEWATCH_LOGIN_RATE_LIMIT", "20 per minute"),
        "API_RATE_LIMIT": os.environ.get("WAGEWATCH_API_RATE_LIMIT", "600 per minute"),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_MINUTES": int(os.environ.get("WAGEWATCH_SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("WAGEWATCH_SESSION_ABSOLUTE_HOURS", "12")),
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=365),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "application/javascript", "text/javascript", "application/json",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 256,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # A web request's statements on PostgreSQL stop after this long (0 = no limit); jobs are not limited.
        "STATEMENT_TIMEOUT_MS": int(os.environ.get("WAGEWATCH_STATEMENT_TIMEOUT_MS", "10000")),
    }


MIN_SECRET_BITS = 256  # 32 random bytes
HEX = frozenset("0123456789abcdefABCDEF")
BASE64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def secret_weakness(value: str | None) -> str | None:
    """Why a secret is too weak for production, or None. Strong means at least 32 random bytes written out:
    64 hex digits, or 43 base64 characters (`openssl rand -base64 32`, `secrets.token_urlsafe(32)`).

    The characters' alphabet bounds what each can carry (hex 4 bits, base64 6 bits); a value that repeats few
    characters ("aaaa…", "abab…") carries far less, whatever its length.
    """
    if not value:
        return "is unset"
    if value in (DEFAULT_SECRET, DEFAULT_DATA_KEY):
        return "is the published demo value"
    text = value.rstrip("=")
    chars = set(text)
    per_char = 4 if chars <= HEX else 6 if chars <= BASE64 else 6.5
    if len(text) * per_char < MIN_SECRET_BITS:
        return f"is too short ({len(value)} characters; 32 random bytes are 43 in base64 or 64 in hex)"
    if len(chars) < 12:
        return "repeats too few different characters to be random"
    return None


def check_production(config: dict) -> None:
    """Production must never run with the published demo secrets, nor with any guessable one."""
    if config.get("WAGEWATCH_ENV") != "production":
        return
    problems = []
    for name in ("SECRET_KEY", "WAGEWATCH_DATA_KEY"):
        weakness = secret_weakness(config.get(name))
        if weakness:
            problems.append(f"{name} {weakness}")
    if not problems and config["SECRET_KEY"] == config["WAGEWATCH_DATA_KEY"]:
        problems.append("SECRET_KEY and WAGEWATCH_DATA_KEY are the same value")
    hint = f". Secrets need at least 32 random bytes, e.g. the output of {GENERATE}" if problems else ""
    if not config.get("SECOND_FACTOR_ENFORCED", True):
        problems.append("WAGEWATCH_SECOND_FACTOR=optional is for development only")
    problems.extend(production_services_missing(config))
    if problems:
        raise ConfigError("WageWatch refuses to start in production: " + "; ".join(problems) + hint + ".")


def production_services_missing(config: dict) -> list[str]:
    """Production runs on PostgreSQL with Redis-backed jobs and rate limits: SQLite serialises every writer,
    jobs without Redis run inside web requests (a 100,000-row export in a request), and in-memory rate limits
    are counted per process, so several gunicorn workers would each allow the full login rate."""
    problems = []
    if not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        problems.append("DATABASE_URL must name a PostgreSQL database (SQLite is for the demo only)")
    if not config.get("REDIS_URL"):
        problems.append("REDIS_URL is unset (background jobs would run inside web requests)")
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory"):
        problems.append("rate limits are kept in memory (set REDIS_URL or RATELIMIT_STORAGE_URI)")
    return problems
