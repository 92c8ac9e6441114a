"""Demo credentials of the exchange (演示对接密钥): a 12345 source key and secret and an Open311 api_key,
fixed values written in the README so a client can be pointed at the demo at once. Never use them in
production: anyone can read them."""

from __future__ import annotations

from typing import Any

from jishiyu.tickets.hotline import key_hash, source_create
from jishiyu.tickets.models import Channel, Source

DEMO_HOTLINE_KEY = "demo-12345-key-yuhuatai-2024"
DEMO_HOTLINE_SECRET = "demo-12345-secret-yuhuatai-2024"
DEMO_OPEN311_KEY = "demo-open311-key-yuhuatai-2024"


def build(context: Any) -> None:
    """Create the two demo sources (idempotent: an existing key is left alone)."""
    admin = context.accounts.get("district_admin")
    if admin is None:
        return
    if not Source.objects.filter(key_hash=key_hash(DEMO_HOTLINE_KEY)).exists():
        source_create(
            actor=admin,
            name="南京12345（演示）",
            channel=Channel.HOTLINE,
            key=DEMO_HOTLINE_KEY,
            secret=DEMO_HOTLINE_SECRET,
        )
    if not Source.objects.filter(key_hash=key_hash(DEMO_OPEN311_KEY)).exists():
        source_create(actor=admin, name="Open311 演示客户端", channel=Channel.OPEN311, key=DEMO_OPEN311_KEY)
    context.log("tickets: demo 12345 source and Open311 api_key ready")
