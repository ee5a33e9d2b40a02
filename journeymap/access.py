"""
The access chokepoint. Every view that shows or changes organisation data first
makes one `Access` for the request (`get_access`), then gets each object through
the lookup helper for its kind in its app's `access.py`, handing it that Access:

- not signed in: `SignInRequired`, which `AccessMiddleware` turns into the sign-in
  page (or, for htmx, a client redirect to it), so views need no @login_required;
- not a member, or the object does not exist in this organisation: 404, so
  outsiders cannot even learn what exists;
- a member who may not do what the view does: 403.

An Access says who is acting (a member with a role now; a workshop guest with a
name and one map later) and what they may do, as abilities rather than roles,
so a guest who may only add cards and vote fits without touching the views.
`maps.models.record()` takes it as the actor, so history never needs a user row.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django_htmx.http import HttpResponseClientRedirect

from journeymap.models import Membership, Organisation, Role


class Can(StrEnum):
    """What someone may do in an organisation (or, for a guest, on one map)."""

    READ = "read"  # see pages, download
    CONTRIBUTE = "contribute"  # add cards, vote, comment: what a guest will do
    EDIT = "edit"  # change and delete anything the team made
    MANAGE = "manage"  # members, the organisation's settings


ROLE_ABILITIES = {
    Role.VIEWER: frozenset({Can.READ}),
    Role.EDITOR: frozenset({Can.READ, Can.CONTRIBUTE, Can.EDIT}),
    Role.OWNER: frozenset({Can.READ, Can.CONTRIBUTE, Can.EDIT, Can.MANAGE}),
}


class SignInRequired(Exception):
    """Raised by get_access for an anonymous visitor; AccessMiddleware answers it."""


@dataclass(frozen=True, eq=False)
class Access:
    """Who acts in which organisation, and what they may do there."""

    organisation: Organisation
    abilities: frozenset
    name: str
    user: object = None
    membership: Membership | None = None
    # The maps this access reaches; None is every map of the organisation.
    map_ids: frozenset | None = None

    def can(self, ability: str) -> bool:
        return ability in self.abilities

    def require(self, ability: str) -> None:
        """403 unless this access may do `ability`."""
        if ability not in self.abilities:
            raise PermissionDenied

    def reaches_map(self, map_id) -> bool:
        return self.map_ids is None or str(map_id) in self.map_ids

    @property
    def can_edit(self) -> bool:
        return Can.EDIT in self.abilities

    @property
    def can_manage(self) -> bool:
        return Can.MANAGE in self.abilities

    @classmethod
    def of_member(cls, membership: Membership) -> "Access":
        user = membership.user
        return cls(
            organisation=membership.organisation,
            abilities=ROLE_ABILITIES[membership.role],
            name=display_name(user),
            user=user,
            membership=membership,
        )


def display_name(user) -> str:
    """How a person is named on pages and in history: full name, else username."""
    return user.get_full_name().strip() or user.get_username()


def get_access(request: HttpRequest, org_slug: str, need: str = Can.READ) -> Access:
    """
    The Access of this request in the organisation at `org_slug`, made once per
    request. Anonymous: SignInRequired. Not a member: 404. `need` missing: 403.
    """
    cache = request.__dict__.setdefault("_access", {})
    access = cache.get(org_slug)
    if access is None:
        if not request.user.is_authenticated:
            raise SignInRequired
        membership = (
            Membership.objects.select_related("organisation")
            .filter(organisation__slug=org_slug, user_id=request.user.pk)
            .first()
        )
        if membership is None:
            raise Http404("No such organisation")
        membership.user = request.user
        access = cache[org_slug] = Access.of_member(membership)
        # Remember where the user works, so "/" can take them back there.
        if request.session.get("org") != org_slug:
            request.session["org"] = org_slug
    access.require(need)
    return access


def get_object(
    access: Access,
    queryset: QuerySet,
    pk,
    need: str = Can.READ,
    org_path: str = "organisation",
) -> Model:
    """
    The object `pk` of `queryset` in the access's organisation, reached from the
    object through `org_path` (e.g. "persona__organisation"). Missing or another
    organisation's: 404. `need` missing: 403 (checked first: a viewer learns
    nothing from a write either).
    """
    access.require(need)
    obj = queryset.filter(pk=pk, **{org_path: access.organisation}).first()
    if obj is None:
        raise Http404("Not found")
    # Hand the organisation we already have to the object (or its parent), so
    # get_absolute_url and templates do not fetch it again.
    owner = obj
    for step in org_path.split("__")[:-1]:
        owner = getattr(owner, step)
    owner.organisation = access.organisation
    return obj


def get_member(access: Access, membership_id) -> Membership:
    """Another membership of the organisation, for an owner to act on."""
    queryset = Membership.objects.select_related("user")
    return get_object(access, queryset, membership_id, Can.MANAGE)


class AccessMiddleware:
    """Answers SignInRequired: the sign-in page, then back to where they were."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SignInRequired):
            return None
        if getattr(request, "htmx", False):
            # A fragment request: send the whole page to sign in, and back to
            # the page the fragment was on, not to the fragment.
            back = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(redirect_to_login(back).url)
        return redirect_to_login(request.get_full_path())
