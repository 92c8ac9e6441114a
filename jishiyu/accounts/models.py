"""Users (the mobile number is the login), role assignments scoped to a region node, API tokens,
one-time SMS codes and password history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.accounts.roles import STAFF_ROLES, Role, permissions_of
from jishiyu.core.crypto import decrypt_text, encrypt_text, keyed_hash
from jishiyu.core.masking import mask_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> User:
        if not phone:
            raise ValueError("phone is required")
        user = self.model(phone=phone, **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. The phone number is the login: it is stored as-is in ``phone`` because it is the
    username (like an e-mail login) but it is shown masked everywhere and never logged."""

    phone = models.CharField(_("mobile number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    elder_mode = models.BooleanField(_("elder-friendly display"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.masked_phone

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    # --- scope -------------------------------------------------------------------------------
    def _assignments(self) -> list[RoleAssignment]:
        cached: list[RoleAssignment] | None = getattr(self, "_assignment_cache", None)
        if cached is None:
            cached = list(self.role_assignments.select_related("region").filter(active=True))
            self._assignment_cache = cached
        return cached

    def clear_scope_cache(self) -> None:
        self.__dict__.pop("_assignment_cache", None)

    @property
    def roles(self) -> set[str]:
        return {a.role for a in self._assignments()}

    def region_paths_for(self, permission: str) -> list[str]:
        """Region paths of the subtrees in which this user holds ``permission``."""
        if not self.is_active:
            return []
        return [a.region.path for a in self._assignments() if permission in permissions_of(a.role)]

    def regions_for(self, permission: str) -> list[Any]:
        """The regions (loaded with the assignments, no query) of the subtrees in which this user holds it."""
        if not self.is_active:
            return []
        return [a.region for a in self._assignments() if permission in permissions_of(a.role)]

    def has_perm_anywhere(self, permission: str) -> bool:
        return bool(self.region_paths_for(permission))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & set(STAFF_ROLES))


class RoleAssignment(models.Model):
    """A role held within a region subtree (and, for department handlers, for a department)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("scope"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="roleassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.region}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class OneTimeCode(models.Model):
    """An SMS code for sign-up, password reset or the second factor. The phone is kept only as a
    keyed hash (plus an encrypted copy for delivery retries); the code only as a hash."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        RESET = "reset", _("Password reset")
        SECOND_FACTOR = "2fa", _("Second factor")

    phone_hash = models.CharField(max_length=64, db_index=True)
    phone_enc = models.TextField(blank=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    @staticmethod
    def hash_phone(phone: str) -> str:
        return keyed_hash(phone)

    def set_phone(self, phone: str) -> None:
        self.phone_hash = keyed_hash(phone)
        self.phone_enc = encrypt_text(phone)

    @property
    def phone(self) -> str:
        return decrypt_text(self.phone_enc)


class PasswordHistory(models.Model):
    """Earlier password hashes, so the last N cannot be reused (等保2.0)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
