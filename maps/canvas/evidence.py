"""
The evidence row of the canvas header: how much of the map, and of each stage,
rests on research (cards citing a finding) rather than assumption. It refreshes
itself on the `evidence-changed` event that card and citation writes send.
"""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_safe

from journeymap.access import get_access
from maps.access import get_map
from maps.models import Card, Stage
from research.evidence import Share


def evidence_shares(journey_map) -> tuple[list, Share]:
    """Stages with `.share`, and the map's share: two queries, no cards loaded."""
    stages = list(Stage.objects.filter(map=journey_map))
    counts = {
        row["stage"]: row
        for row in Card.objects.filter(map=journey_map)
        .values("stage")
        .annotate(
            total=Count("pk", distinct=True),
            validated=Count("pk", distinct=True, filter=Q(findings__isnull=False)),
        )
        .order_by()
    }
    for stage in stages:
        row = counts.get(stage.pk, {"validated": 0, "total": 0})
        stage.share = Share(row["validated"], row["total"])
    share = Share(
        sum(s.share.validated for s in stages), sum(s.share.total for s in stages)
    )
    return stages, share


@require_safe
def map_evidence(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """The evidence row of the canvas header, refreshed on `evidence-changed`."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    if not request.htmx:
        return redirect(journey_map)
    stages, share = evidence_shares(journey_map)
    ctx = {
        "can_edit": access.can_edit,
        "org": access.organisation,
        "map": journey_map,
        "stages": stages,
        "share": share,
    }
    return render(request, "maps/canvas/evidence_row.html", ctx)


urlpatterns = [
    path("<uuid:map_id>/evidence/", map_evidence, name="map_evidence"),
]
