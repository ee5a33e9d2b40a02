"""
The access chokepoint for maps, built on `journeymap.access.get_membership`:
outsiders and missing maps get 404, members whose role is too low for a write 403.
"""

from django.http import HttpRequest

from journeymap.access import get_object_for_member
from journeymap.models import Membership
from maps.models import JourneyMap


def get_map_for_member(
    request: HttpRequest, org_slug: str, map_id, write: bool = False
) -> tuple[Membership, JourneyMap]:
    return get_object_for_member(
        request, org_slug, JourneyMap.objects.all(), map_id, write
    )
