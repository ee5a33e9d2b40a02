"""
The access chokepoint for maps, built on `journeymap.access.get_membership`:
outsiders and missing maps get 404, members whose role is too low for a write 403.
"""

from django.http import Http404, HttpRequest

from journeymap.access import READ, WRITE, get_membership
from journeymap.models import Membership
from maps.models import JourneyMap


def get_map_for_member(
    request: HttpRequest, org_slug: str, map_id, write: bool = False
) -> tuple[Membership, JourneyMap]:
    membership = get_membership(request, org_slug, WRITE if write else READ)
    journey_map = JourneyMap.objects.filter(
        pk=map_id, organisation=membership.organisation
    ).first()
    if journey_map is None:
        raise Http404("No such map")
    # Hand over the organisation we already have, so URLs need no extra query.
    journey_map.organisation = membership.organisation
    return membership, journey_map
