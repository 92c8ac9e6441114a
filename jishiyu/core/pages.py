"""Pages and the domain's refusals, written once.

``@scoped``: every page view that calls selectors or services. Signed in; a :class:`~jishiyu.core.errors.NotFound`
(missing, or outside the user's scope: the two are never told apart) is the 404 page, a domain
:class:`~jishiyu.core.errors.PermissionDenied` the one 403 page with its reason
(:func:`jishiyu.core.errorpages.forbidden`).

``@page_for(permission)``: the one way a staff page refuses a role that may not use it.

A page that lists records under a permission answers a signed-in user without it 403 (the kernel's "Access
denied" page, which says to ask an administrator), not an empty list that reads as "no work waiting". The
permission is a shell permission (:data:`jishiyu.core.shells.Permission`): a permission name held anywhere
in the user's scope, or a rule, as the app's menu entry for the page declares it. What rows the page then
shows is still decided by the app's selectors under the user's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from jishiyu.core import errors
from jishiyu.core.errorpages import forbidden
from jishiyu.core.shells import Permission, allowed

View = Callable[..., HttpResponseBase]  # a page, or a streamed file (FileResponse)


def scoped(view: View) -> View:
    """Signed in; NotFound is the 404 page, the domain's PermissionDenied the 403 page with its reason."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except errors.NotFound:
            raise Http404() from None
        except errors.PermissionDenied as exc:
            return forbidden(request, str(exc.message))

    return wrapper


def page_for(permission: Permission) -> Callable[[View], View]:
    """Sign in first; then a user who does not pass ``permission`` is refused the page (403)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(permission, request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
