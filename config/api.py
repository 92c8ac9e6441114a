"""The API root: /api/v1/, OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.
Wiring only: each app owns its router."""

from __future__ import annotations

from ninja import NinjaAPI

from jishiyu.accounts.api import router as accounts_router
from jishiyu.accounts.api_auth import API_AUTH
from jishiyu.audit.api import router as audit_router
from jishiyu.charity.api import router as charity_router
from jishiyu.circles.api import router as circles_router
from jishiyu.core.api import install_problem_handlers
from jishiyu.dashboard.api import router as dashboard_router
from jishiyu.deliberation.api import router as deliberation_router
from jishiyu.notifications.api import router as notifications_router
from jishiyu.organisations.api import router as organisations_router
from jishiyu.people.api import router as people_router
from jishiyu.people.api_imports import router as imports_router
from jishiyu.people.api_me import router as me_router
from jishiyu.regions.api import router as regions_router
from jishiyu.tickets.api import router as tickets_router
from jishiyu.tickets.hotline_api import router as hotline_router

api = NinjaAPI(
    title="Jishiyu API",
    version="1",
    description="及时雨 — the district's platform for residents and community governance.",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)
# URLs resolve in the order routers are added: the hot paths first — the 12345 push (hundreds a second)
# and the claims of a charity roadshow (a room of donors at once).
api.add_router("/hotline", hotline_router)
api.add_router("/charity", charity_router)

api.add_router("/auth", accounts_router)
api.add_router("/regions", regions_router)
api.add_router("/people", people_router)
api.add_router("/imports", imports_router)
api.add_router("/me", me_router)
api.add_router("/organisations", organisations_router)
api.add_router("/audit", audit_router)
api.add_router("/notifications", notifications_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/tickets", tickets_router)
api.add_router("/deliberation", deliberation_router)
api.add_router("/circles", circles_router)
