"""Field encryption for sensitive values (national id numbers, phones) and a keyed hash for look-up.

The cipher is pluggable (settings.FIELD_CIPHER): AES-GCM from `cryptography` by default; a deployment
that must use national cryptography can configure an SM4 cipher with the same two methods.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.module_loading import import_string


class Cipher(Protocol):
    def encrypt(self, plaintext: bytes) -> bytes: ...
    def decrypt(self, token: bytes) -> bytes: ...


def _key_bytes() -> bytes:
    raw = settings.FIELD_ENCRYPTION_KEY
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except ValueError:
        key = b""
    if len(key) not in (16, 24, 32):
        # Accept any passphrase by stretching it: the key must still be kept secret.
        key = hashlib.sha256(raw.encode()).digest()
    return key


class AesGcmCipher:
    """AES-GCM with a random 96-bit nonce; output is version byte + nonce + ciphertext."""

    VERSION = b"\x01"

    def __init__(self, key: bytes):
        self._aes = AESGCM(key)

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        return self.VERSION + nonce + self._aes.encrypt(nonce, plaintext, None)

    def decrypt(self, token: bytes) -> bytes:
        if token[:1] != self.VERSION:
            raise ValueError("unknown cipher version")
        return self._aes.decrypt(token[1:13], token[13:], None)


@cache
def get_cipher() -> Cipher:
    cls = import_string(settings.FIELD_CIPHER)
    return cls(_key_bytes())  # type: ignore[no-any-return]


def encrypt_text(value: str) -> str:
    """Encrypt text to a url-safe string for a text column."""
    if value == "":
        return ""
    return base64.urlsafe_b64encode(get_cipher().encrypt(value.encode())).decode()


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    return get_cipher().decrypt(base64.urlsafe_b64decode(token.encode())).decode()


@cache
def _hash_key() -> bytes:
    if settings.FIELD_HASH_KEY:
        return settings.FIELD_HASH_KEY.encode()
    return hmac.new(_key_bytes(), b"jishiyu-lookup-hash", hashlib.sha256).digest()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value, for exact look-up without storing the plain value."""
    if not value:
        return ""
    normalised = value.strip().upper().replace(" ", "")
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()
