"""URL configuration: accounts at the top, everything of a team under /o/<slug>/."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from journeymap import views
from maps.actions.views import board_urlpatterns
from maps.files import csv_views
from maps.overview import org_home

org_patterns = [
    path("", org_home, name="org_home"),
    path("settings/", views.org_settings, name="org_settings"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<uuid:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "members/<uuid:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("leave/", views.org_leave, name="org_leave"),
    path(
        "invitations/<uuid:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("research/", include("research.urls")),
    path("maps/", include("maps.urls")),
    path("actions/", include([*board_urlpatterns, *csv_views.board_urlpatterns])),
]

# Django's sign-in, sign-out and reset views name the product after the host
# (get_current_site: "example.org:8000"); the pages and e-mails say ours.
PRODUCT = {"site_name": settings.SITE_NAME}

account_patterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context=PRODUCT
        ),
        name="login",
    ),
    path(
        "logout/", auth_views.LogoutView.as_view(extra_context=PRODUCT), name="logout"
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(extra_email_context=PRODUCT),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include(account_patterns)),
    path("organisations/new/", views.org_create, name="org_create"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path(
        "invite/<str:token>/accept/",
        views.invitation_accept_view,
        name="invitation_accept",
    ),
    path("o/<slug:org_slug>/", include(org_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
