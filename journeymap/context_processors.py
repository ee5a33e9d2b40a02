"""What the base layout needs on every page."""

from django.conf import settings
from django.http import HttpRequest

from journeymap.models import Membership


def layout(request: HttpRequest) -> dict:
    ctx = {
        "site_name": settings.SITE_NAME,
        # django-htmx's {% htmx_script %} looks for `csp_nonce` in the context.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Lazy: only pages that draw the organisation switcher run the query.
        ctx["my_memberships"] = lambda: list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    return ctx
