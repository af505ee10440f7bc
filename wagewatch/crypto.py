"""Field encryption (AES-GCM) and keyed hashes for ID and bank account numbers.

Two independent keys are derived from WAGEWATCH_DATA_KEY so the lookup hash never reveals the cipher key.
"""
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

NONCE_BYTES = 12


@lru_cache(maxsize=8)
def _keys(secret: str) -> tuple[bytes, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=b"wagewatch-fields", info=b"v1").derive(
        secret.encode())
    return material[:32], material[32:]


def _secret() -> str:
    return current_app.config["WAGEWATCH_DATA_KEY"]


def encrypt(value: str) -> bytes:
    enc_key, _ = _keys(_secret())
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(enc_key).encrypt(nonce, value.encode(), None)


def decrypt(blob: bytes) -> str:
    enc_key, _ = _keys(_secret())
    return AESGCM(enc_key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None).decode()


def lookup_hash(value: str) -> str:
    _, mac_key = _keys(_secret())
    return hmac.new(mac_key, value.encode(), hashlib.sha256).hexdigest()
