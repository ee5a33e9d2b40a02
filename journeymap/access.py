"""
The access chokepoint. Every view that shows or changes organisation data gets
its objects through these helpers, first thing:

- not signed in: the view's @login_required sends the visitor to sign in;
- not a member (or the object does not exist): 404, so outsiders cannot even
  learn what exists;
- a member whose role is too low for the action: 403.

Later apps add their own `get_<thing>_for_member` helpers on top of
`get_membership`, so the rule lives in one place.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from journeymap.models import Membership, Role

READ = Role.VIEWER
WRITE = Role.EDITOR
OWN = Role.OWNER


def get_membership(request: HttpRequest, org_slug: str, need: str = READ) -> Membership:
    """The signed-in user's membership of the organisation at `org_slug`."""
    membership = (
        Membership.objects.select_related("organisation")
        .filter(organisation__slug=org_slug, user_id=request.user.pk)
        .first()
    )
    if membership is None:
        raise Http404("No such organisation")
    if not membership.can(need):
        raise PermissionDenied
    # Remember where the user works, so "/" can take them back there.
    if request.session.get("org") != org_slug:
        request.session["org"] = org_slug
    return membership


def get_member_for_owner(
    request: HttpRequest, org_slug: str, membership_id
) -> tuple[Membership, Membership]:
    """(the acting owner's membership, the membership they act on)."""
    me = get_membership(request, org_slug, OWN)
    try:
        target = Membership.objects.select_related("user").get(
            pk=membership_id, organisation=me.organisation
        )
    except Membership.DoesNotExist:
        raise Http404("No such member") from None
    return me, target


def get_object_for_member(
    request: HttpRequest,
    org_slug: str,
    queryset: QuerySet,
    pk,
    write: bool = False,
    org_path: str = "organisation",
):
    """
    (membership, object) for an object of the organisation at `org_slug`, reached
    from the object through `org_path` (e.g. "persona__organisation"). Missing or
    another organisation's: 404. A write by a member below editor: 403.
    """
    membership = get_membership(request, org_slug, WRITE if write else READ)
    obj = queryset.filter(pk=pk, **{org_path: membership.organisation}).first()
    if obj is None:
        raise Http404("Not found")
    # Hand the organisation we already have to the object (or its parent), so
    # get_absolute_url and templates do not fetch it again.
    owner = obj
    for step in org_path.split("__")[:-1]:
        owner = getattr(owner, step)
    owner.organisation = membership.organisation
    return membership, obj
