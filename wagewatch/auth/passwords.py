"""Password hashing (argon2) and the password policy."""
from datetime import timedelta
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from wagewatch.models._types import utcnow

MAX_AGE = timedelta(days=90)
# argon2's recommended cost in production. The test suite sets PASSWORD_HASH_FAST (one test keeps the real
# cost): argon2 reads the parameters from each stored hash, so verification follows whichever hashed it.
REAL = PasswordHasher()
FAST = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def _configured() -> PasswordHasher:
    return FAST if has_app_context() and current_app.config.get("PASSWORD_HASH_FAST") else REAL


def hasher() -> PasswordHasher:
    return _configured()


@lru_cache(maxsize=2)
def _dummy_hash(chosen: PasswordHasher) -> str:
    return chosen.hash("wagewatch-timing-equaliser")


def dummy_hash() -> str:
    """Verifying against a real hash of the same cost for unknown users keeps their answer as slow as a wrong
    password's."""
    return _dummy_hash(_configured())


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("wagewatch").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def policy_errors(password: str, username: str = "") -> list[str]:
    errors = []
    if len(password) < 8:
        errors.append("密码至少8个字符")
    classes = sum([any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)])
    if classes < 3:
        errors.append("密码须包含大写字母、小写字母、数字、符号中的至少三类")
    if password.lower() in common_passwords() or (username and username.lower() in password.lower()):
        errors.append("密码过于常见或包含用户名，请换一个")
    return errors


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return hasher().verify(password_hash or dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def expired(user) -> bool:
    from wagewatch import policy  # 安全策略 (default MAX_AGE); imported here: policy needs the models

    return utcnow() - user.password_changed_at > timedelta(days=policy.value("password.max_age_days"))
