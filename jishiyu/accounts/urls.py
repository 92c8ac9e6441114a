from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from jishiyu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup_view, name="signup"),
    path("signup/verify/", views.signup_verify_view, name="signup-verify"),
    path("reset/", views.reset_view, name="reset"),
    path("reset/verify/", views.reset_verify_view, name="reset-verify"),
    path("password/", views.password_change_view, name="password-change"),
    path("staff/", views.staff_list_view, name="staff-list"),
    path("staff/new/", views.staff_create_view, name="staff-create"),
    path("staff/<int:user_id>/", views.staff_detail_view, name="staff-detail"),
    path("staff/<int:user_id>/roles/<int:assignment_id>/revoke/", views.role_revoke_view, name="role-revoke"),
    path("staff/<int:user_id>/deactivate/", views.staff_deactivate_view, name="staff-deactivate"),
    path("lockouts/", views.lockout_list_view, name="lockout-list"),
    path("lockouts/<int:attempt_id>/unlock/", views.lockout_clear_view, name="lockout-clear"),
]
