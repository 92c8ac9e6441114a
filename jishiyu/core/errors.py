"""Domain errors. Services raise them; the API turns them into RFC 9457 problem details and pages
show them beside the field. Messages are lazy translations so each user reads their own language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise

NOT_FOUND = _("Not found.")
PERMISSION_DENIED = _("You do not have permission to do this.")
INVALID_INPUT = _("Some fields are not valid.")


class DomainError(Exception):
    """A rule refused the request (HTTP 400 unless a subclass says otherwise)."""

    status = 400
    code = "invalid"

    def __init__(self, message: Message = INVALID_INPUT, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code

    @property
    def errors(self) -> dict[str, list[Message]]:
        return {self.field: [self.message]} if self.field else {}


class ValidationFailed(DomainError):
    """Several fields are wrong at once: ``errors`` maps field name to messages (HTTP 422, like the
    API's own schema validation)."""

    status = 422

    def __init__(self, errors: Mapping[str, Sequence[Message] | Message], message: Message = INVALID_INPUT):
        super().__init__(message)
        self._errors = {k: (list(v) if isinstance(v, list | tuple) else [v]) for k, v in errors.items()}

    @property
    def errors(self) -> dict[str, list[Message]]:
        return self._errors


class NotFound(DomainError):
    """Missing, or outside the actor's scope: the two answer the same (404)."""

    status = 404
    code = "not_found"

    def __init__(self, message: Message = NOT_FOUND):
        super().__init__(message)


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: Message = PERMISSION_DENIED):
        super().__init__(message)


class Conflict(DomainError):
    status = 409
    code = "conflict"
