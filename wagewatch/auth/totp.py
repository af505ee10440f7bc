"""TOTP second factor: secrets, the QR code as inline SVG, ±1 step, replay refused, recovery codes, lockout.

Every decision that parallel requests could race is one conditional UPDATE:
- an attempt is claimed before the code is checked (failures < MAX and not locked), so parallel guesses
  can never exceed MAX_FAILURES per lock window;
- a code is accepted only if its time step is newer than the last accepted one, so it works once;
- a recovery code is spent only if it was unused.
"""
import hmac
import secrets
from datetime import timedelta

import pyotp
import segno
from sqlalchemy import or_, select, update

from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.models import RecoveryCode, User
from wagewatch.models._types import utcnow

ISSUER = "新疆农民工工资支付监控预警平台"
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper and typed by hand


def new_secret() -> str:
    return pyotp.random_base32()


def secret_of(user: User) -> str | None:
    return crypto.decrypt(user.totp_secret) if user.totp_secret else None


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as an inline <svg>, drawn on the server: no external service, no JavaScript."""
    return segno.make(uri, error="m").svg_inline(scale=4, title="动态口令二维码")


def matching_step(secret: str, code: str, now=None) -> int | None:
    """The time step (±1 around now) whose code equals `code`, compared in constant time."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    at = now or utcnow()
    current = totp.timecode(at)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def locked(user: User) -> bool:
    return user.second_factor_locked_until is not None and user.second_factor_locked_until > utcnow()


def claim_attempt(user_id: int) -> bool:
    """Count an attempt before checking it; False when the account is locked or out of attempts."""
    now = utcnow()
    claimed = db.session.execute(
        update(User).where(User.id == user_id, User.second_factor_failures < MAX_FAILURES,
                           or_(User.second_factor_locked_until.is_(None), User.second_factor_locked_until <= now))
        .values(second_factor_failures=User.second_factor_failures + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()  # visible to parallel requests at once
    return bool(claimed)


def attempt_failed(user_id: int) -> bool:
    """After a wrong code: lock when the attempts are used up. True when this made the account locked."""
    locked_now = db.session.execute(
        update(User).where(User.id == user_id, User.second_factor_failures >= MAX_FAILURES,
                           or_(User.second_factor_locked_until.is_(None),
                               User.second_factor_locked_until <= utcnow()))
        .values(second_factor_locked_until=utcnow() + LOCK_FOR, second_factor_failures=0)
        .execution_options(synchronize_session=False)).rowcount
    return bool(locked_now)


def attempt_succeeded(user_id: int) -> None:
    db.session.execute(update(User).where(User.id == user_id).values(second_factor_failures=0)
                       .execution_options(synchronize_session=False))


def accept_code(user: User, secret: str, code: str) -> bool:
    """True when the code is valid and newer than the last accepted one; it is then spent."""
    step = matching_step(secret, code)
    if step is None:
        return False
    return bool(db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount)


def _recovery_hash(user_id: int, code: str) -> str:
    normal = "".join(code.lower().split()).replace("-", "")
    return crypto.lookup_hash(f"recovery:{user_id}:{normal}")


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are returned to be shown once."""
    db.session.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
                       .values(used_at=utcnow()))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user.id, raw)))
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    return bool(db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
                                   RecoveryCode.code_hash == _recovery_hash(user.id, code))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount)


def remaining_recovery_codes(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                                RecoveryCode.used_at.is_(None))).all())


def start_enrolment(user: User) -> str:
    """A pending secret (stored encrypted, not yet enabled); an unfinished enrolment keeps its secret."""
    if user.totp_secret and user.totp_enabled_at is None:
        return secret_of(user)
    secret = new_secret()
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = crypto.encrypt(secret), None, None
    db.session.flush()
    return secret
