"""
Everything the canvas page needs, loaded in a fixed number of queries whatever
the number of cards: `canvas_context(journey_map)` feeds templates/maps/canvas/
grid.html, and every view that re-renders the whole grid (a stage inserted, a
lane moved) calls it too.

Rows are one per visible lane, each with one cell per stage. Card lanes hold
cards, the emotion lane holds each persona's score per stage, the actions lane
holds the follow-up actions of each stage. Evidence shares (overall and per
stage) are counted from the cards already loaded: no extra query.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from maps.canvas.curve import emotion_curve
from maps.models import (
    Action,
    Card,
    Emotion,
    JourneyMap,
    Lane,
    LaneKind,
    Stage,
)
from research.evidence import Share


@dataclass
class Row:
    lane: Lane
    cells: list = field(default_factory=list)  # one per stage, in stage order


def cards_for(journey_map: JourneyMap, **filters):
    """Cards with `n_findings` (how many findings each cites), in cell order."""
    return (
        Card.objects.filter(map=journey_map, **filters)
        .annotate(n_findings=Count("findings"))
        .order_by("position", "created")
    )


def stage_shares(stages, cards) -> tuple[Share, dict]:
    """The map's evidence share and each stage's, from cards with n_findings."""
    per_stage = {stage.pk: Share(0, 0) for stage in stages}
    for card in cards:
        share = per_stage.get(card.stage_id)
        if share is not None:
            share.total += 1
            share.validated += 1 if card.n_findings else 0
    overall = Share(
        sum(s.validated for s in per_stage.values()),
        sum(s.total for s in per_stage.values()),
    )
    return overall, per_stage


def canvas_context(journey_map: JourneyMap, lane_ids=None) -> dict:
    """The canvas of the visible lanes, or of the lanes in `lane_ids` (the PDF)."""
    stages = list(Stage.objects.filter(map=journey_map))
    all_lanes = list(Lane.objects.filter(map=journey_map))
    if lane_ids is None:
        lanes = [lane for lane in all_lanes if not lane.hidden]
    else:
        lanes = [lane for lane in all_lanes if lane.pk in lane_ids]
    hidden_lanes = [lane for lane in all_lanes if lane.hidden]
    personas = list(journey_map.personas.all())
    cards = list(cards_for(journey_map))
    cells: dict[tuple, list] = {}
    for card in cards:
        cells.setdefault((card.lane_id, card.stage_id), []).append(card)

    emotions = {
        (emotion.stage_id, emotion.persona_id): emotion
        for emotion in Emotion.objects.filter(map=journey_map)
    }
    actions_by_stage: dict = {}
    for action in Action.objects.filter(map=journey_map).select_related("owner"):
        actions_by_stage.setdefault(action.stage_id, []).append(action)

    rows = []
    for lane in lanes:
        row = Row(lane)
        for stage in stages:
            if lane.kind == LaneKind.EMOTION:
                row.cells.append(
                    [emotions.get((stage.pk, p.pk)) for p in personas]
                    if personas
                    else [emotions.get((stage.pk, None))]
                )
            elif lane.kind == LaneKind.ACTIONS:
                row.cells.append(actions_by_stage.get(stage.pk, []))
            else:
                row.cells.append(cells.get((lane.pk, stage.pk), []))
        rows.append(row)

    share, shares = stage_shares(stages, cards)
    for stage in stages:
        stage.share = shares[stage.pk]
    return {
        "map": journey_map,
        "stages": stages,
        "lanes": lanes,
        "hidden_lanes": hidden_lanes,
        "rows": rows,
        "personas": personas,
        "emotions": emotions,
        "unplaced_actions": actions_by_stage.get(None, []),
        "share": share,
        "curve": emotion_curve(stages, personas, emotions),
    }
