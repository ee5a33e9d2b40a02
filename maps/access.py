"""
The access chokepoint for maps: one lookup helper per object kind, each taking
the request's `journeymap.access.Access`.

- `get_map` and `get_card`, `get_emotion`, `get_board_action` (reached by their
  own id): missing, another organisation's or out of the access's reach 404;
  `need` missing 403.
- `get_stage`, `get_lane`, `get_action` (reached through a map the view already
  has): another map's 404; deleted meanwhile None, so the view can say so
  ("deleted by someone else") instead of a bare 404.
"""

from django.db.models import Count
from django.http import Http404

from journeymap.access import Access, Can, get_object
from maps.models import Action, Activity, Card, Emotion, JourneyMap, Lane, Stage


def get_map(access: Access, map_id, need: str = Can.READ) -> JourneyMap:
    if not access.reaches_map(map_id):
        raise Http404("Not found")
    return get_object(access, JourneyMap.objects.all(), map_id, need)


def get_card(access: Access, card_id, need: str = Can.READ) -> Card:
    """The card with its map, lane and `n_findings`, in one query."""
    queryset = Card.objects.select_related("map", "lane").annotate(
        n_findings=Count("findings")
    )
    card = get_object(access, queryset, card_id, need, "map__organisation")
    if not access.reaches_map(card.map_id):
        raise Http404("Not found")
    return card


def card_was_deleted(access: Access, card_id) -> bool:
    """True when a card of this organisation with this id was deleted (history)."""
    access.require(Can.EDIT)
    return Activity.objects.filter(
        map__organisation=access.organisation,
        object_kind="card",
        object_id=card_id,
        verb="delete",
    ).exists()


def get_emotion(access: Access, map_id, emotion_id, need: str = Can.READ) -> Emotion:
    queryset = Emotion.objects.select_related("map", "stage", "persona")
    if not access.reaches_map(map_id):
        raise Http404("Not found")
    return get_object(
        access, queryset.filter(map_id=map_id), emotion_id, need, "map__organisation"
    )


def get_board_action(access: Access, action_id, need: str = Can.READ) -> Action:
    """An action reached from the organisation's actions board."""
    queryset = Action.objects.select_related("map", "owner", "stage")
    action = get_object(access, queryset, action_id, need, "map__organisation")
    if not access.reaches_map(action.map_id):
        raise Http404("Not found")
    return action


def _part(queryset, journey_map: JourneyMap, pk):
    row = queryset.filter(pk=pk).first()
    if row is not None and row.map_id != journey_map.pk:
        raise Http404("Not on this map")
    if row is not None:
        row.map = journey_map
    return row


def get_stage(journey_map: JourneyMap, stage_id) -> Stage | None:
    return _part(Stage.objects.all(), journey_map, stage_id)


def get_lane(journey_map: JourneyMap, lane_id) -> Lane | None:
    return _part(Lane.objects.all(), journey_map, lane_id)


def get_action(journey_map: JourneyMap, action_id) -> Action | None:
    queryset = Action.objects.select_related("owner", "stage", "card")
    return _part(queryset, journey_map, action_id)
