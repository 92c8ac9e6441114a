from __future__ import annotations

from jishiyu.core.crypto import decrypt_text, encrypt_text, keyed_hash


def test_encryption_round_trips_and_never_contains_the_plain_value():
    token = encrypt_text("32011419800101001X")
    assert "32011419800101001X" not in token
    assert decrypt_text(token) == "32011419800101001X"


def test_the_same_value_encrypts_differently_each_time_but_hashes_the_same():
    assert encrypt_text("13812345678") != encrypt_text("13812345678")
    assert keyed_hash("32011419800101001x") == keyed_hash(" 32011419800101001X ")
    assert keyed_hash("13812345678") != keyed_hash("13812345679")


def test_the_keyed_hash_depends_on_the_key(settings):
    from jishiyu.core import crypto

    before = keyed_hash("13812345678")
    settings.FIELD_HASH_KEY = "another-key"
    crypto._hash_key.cache_clear()
    try:
        assert keyed_hash("13812345678") != before
    finally:
        settings.FIELD_HASH_KEY = ""
        crypto._hash_key.cache_clear()
