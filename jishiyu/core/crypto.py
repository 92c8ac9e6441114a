"""Field encryption for sensitive values (national id numbers, phones) and a keyed hash for look-up.

The cipher is pluggable (settings.FIELD_CIPHER): AES-GCM from `cryptography` by default; a deployment
that must use national cryptography can configure an SM4 cipher with the same two methods.

Key rotation: set the new key as FIELD_ENCRYPTION_KEY and the previous ones in FIELD_ENCRYPTION_OLD_KEYS;
values are read with whichever key opens them and written with the new one; ``reencrypt_fields`` (the
``rotate_field_key`` command) rewrites every ``*_enc`` column with the new key, in batches, resumably.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.module_loading import import_string


class Cipher(Protocol):
    def encrypt(self, plaintext: bytes) -> bytes: ...
    def decrypt(self, token: bytes) -> bytes: ...


def _key_bytes(raw: str | None = None) -> bytes:
    raw = settings.FIELD_ENCRYPTION_KEY if raw is None else raw
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
    """The cipher of the current key: every value is written with it."""
    cls = import_string(settings.FIELD_CIPHER)
    return cls(_key_bytes())  # type: ignore[no-any-return]


@cache
def _old_ciphers() -> tuple[Cipher, ...]:
    cls = import_string(settings.FIELD_CIPHER)
    return tuple(cls(_key_bytes(raw)) for raw in settings.FIELD_ENCRYPTION_OLD_KEYS if raw)


def reset_keys() -> None:
    """Forget the ciphers and the hash key built from the settings (after the settings change)."""
    get_cipher.cache_clear()
    _old_ciphers.cache_clear()
    _hash_key.cache_clear()


def encrypt_text(value: str) -> str:
    """Encrypt text to a url-safe string for a text column."""
    if value == "":
        return ""
    return base64.urlsafe_b64encode(get_cipher().encrypt(value.encode())).decode()


def decrypt_text(token: str) -> str:
    """The plain text of a token written with the current key or one of the old keys."""
    if not token:
        return ""
    return _open(token)[0]


def _open(token: str) -> tuple[str, bool]:
    """(plain text, written with the current key?); ValueError when no key opens it."""
    data = base64.urlsafe_b64decode(token.encode())
    for index, cipher in enumerate((get_cipher(), *_old_ciphers())):
        try:
            plain = cipher.decrypt(data)
        except Exception:  # noqa: S112 - a wrong key fails its tag check; the cipher is pluggable: try the next
            continue
        return plain.decode(), index == 0
    raise ValueError("no configured key opens this value")


@dataclass
class Rotation:
    """What a rotation pass did to one model's encrypted columns."""

    rewritten: int = 0  # values written again with the current key
    current: int = 0  # values already written with it
    rehashed: int = 0  # look-up hashes computed again (the hash key follows the encryption key)
    unreadable: int = 0  # values no configured key opens: left as they are


def encrypted_columns() -> dict[type[Model], list[tuple[str, str | None]]]:
    """Every model's encrypted columns (named ``*_enc``) with their look-up hash column (``*_hash``) if any."""
    found: dict[type[Model], list[tuple[str, str | None]]] = {}
    for model in django_apps.get_models():
        names = {f.attname for f in model._meta.concrete_fields}
        columns = [
            (name, f"{name[:-4]}_hash" if f"{name[:-4]}_hash" in names else None)
            for name in sorted(names)
            if name.endswith("_enc")
        ]
        if columns and not model._meta.proxy:
            found[model] = columns
    return found


def reencrypt_fields(*, batch_size: int = 500) -> dict[str, Rotation]:
    """Rewrite every encrypted value that an old key opens with the current key, and its look-up hash.

    One transaction per batch of rows in primary-key order, so an interrupted run keeps what it did and a
    new run goes on from there (values already on the current key are only read). Rows are updated in place
    without signals: the caller records the rotation as one audit entry."""
    report: dict[str, Rotation] = {}
    for model, columns in encrypted_columns().items():
        counts = report.setdefault(model._meta.label, Rotation())
        fields = [name for pair in columns for name in pair if name]
        last: Any = None
        while True:
            with transaction.atomic():
                rows = model._default_manager.order_by("pk")
                if last is not None:
                    rows = rows.filter(pk__gt=last)
                batch = list(rows.values("pk", *fields)[:batch_size])
                for row in batch:
                    changes = _rotate_row(row, columns, counts)
                    if changes:
                        model._default_manager.filter(pk=row["pk"]).update(**changes)
            if len(batch) < batch_size:
                break
            last = batch[-1]["pk"]
    return report


def _rotate_row(row: dict[str, Any], columns: list[tuple[str, str | None]], counts: Rotation) -> dict[str, str]:
    changes: dict[str, str] = {}
    for enc, hashed in columns:
        token = row[enc]
        if not token:
            continue
        try:
            plain, current = _open(token)
        except ValueError:
            counts.unreadable += 1
            continue
        if current:
            counts.current += 1
        else:
            changes[enc] = encrypt_text(plain)
            counts.rewritten += 1
        if hashed and row[hashed] and row[hashed] != keyed_hash(plain):
            changes[hashed] = keyed_hash(plain)
            counts.rehashed += 1
    return changes


@cache
def _hash_key() -> bytes:
    key: str = settings.FIELD_HASH_KEY
    if key:
        return key.encode()
    return hmac.new(_key_bytes(), b"jishiyu-lookup-hash", hashlib.sha256).digest()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value, for exact look-up without storing the plain value."""
    if not value:
        return ""
    normalised = value.strip().upper().replace(" ", "")
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()
