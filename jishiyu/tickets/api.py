"""JSON API of the tickets app (mounted under /api/v1/tickets)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["tickets"])

# --- routing and figures (社区通看板, 派单规则) ---
from jishiyu.tickets.api_figures import figures_router, routing_router  # noqa: E402

router.add_router("/figures", figures_router)
router.add_router("/routing", routing_router)
