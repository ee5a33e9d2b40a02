"""Maps from templates and the revision/activity stream (copies: test_duplicate)."""

import pytest
from django.db import IntegrityError

from maps.models import (
    Activity,
    LaneKind,
    MapType,
    Stage,
    map_create_from_template,
)
from maps.templates import TEMPLATES

EXPECTED_STAGES = {
    "seven_phases": [
        "Need",
        "Orientation",
        "Consideration",
        "Decision",
        "Delivery",
        "Use",
        "Loyalty",
    ],
    "five_phases": [
        "Awareness",
        "Consideration",
        "Purchase",
        "Use and experience",
        "Loyalty and advocacy",
    ],
    "aida": ["Attention", "Interest", "Desire", "Action"],
    "see_think_do_care": ["See", "Think", "Do", "Care"],
    "day_in_the_life": [
        "Early morning",
        "Morning",
        "Midday",
        "Afternoon",
        "Evening",
        "Night",
    ],
    "service_blueprint": [
        "Normal use",
        "Problem",
        "Asks for help",
        "Talks to support",
        "Resolved",
    ],
    "blank": ["Stage 1", "Stage 2", "Stage 3"],
}


def test_every_template_is_tested():
    assert set(TEMPLATES) == set(EXPECTED_STAGES)


@pytest.mark.parametrize("key", sorted(EXPECTED_STAGES))
def test_creating_from_a_template_sets_its_stages_and_lanes(key, org, alice):
    journey_map = map_create_from_template(org, alice, "Trip", key)
    stages = list(journey_map.stages.values_list("title", "position"))
    assert stages == [(t, i) for i, t in enumerate(EXPECTED_STAGES[key])]
    lanes = list(journey_map.lanes.values_list("title", "kind", "position"))
    assert lanes == [
        (str(t), kind, i) for i, (t, kind) in enumerate(TEMPLATES[key].lanes)
    ]
    kinds = {kind for _, kind, _ in lanes}
    # Every template gives the room touchpoints, emotion, pains, opportunities
    # and actions to fill in.
    assert kinds == set(LaneKind)
    assert journey_map.created_by == alice
    assert journey_map.status == "draft"
    assert journey_map.revision == 1
    activity = Activity.objects.get(map=journey_map)
    assert (activity.verb, activity.user, activity.revision) == ("create", alice, 1)


def test_service_blueprint_has_its_own_lanes_and_type(org, alice):
    journey_map = map_create_from_template(org, alice, "Support", "service_blueprint")
    titles = set(journey_map.lanes.values_list("title", flat=True))
    assert {
        "Why the customer feels this",
        "How we communicate",
        "Backstage actions",
    } <= titles
    assert journey_map.type == MapType.BLUEPRINT


def test_day_in_the_life_has_its_type(org, alice):
    assert map_create_from_template(org, alice, "Day", "day_in_the_life").type == "day"


def test_template_titles_follow_the_language(org, alice):
    from django.utils import translation

    with translation.override("nl"):
        journey_map = map_create_from_template(org, alice, "Reis", "aida")
    # Whatever the catalogue says, the stored title is a plain string.
    assert all(
        isinstance(t, str) for t in journey_map.stages.values_list("title", flat=True)
    )


def test_positions_cannot_be_negative(org, alice):
    journey_map = map_create_from_template(org, alice, "Trip", "blank")
    with pytest.raises(IntegrityError):
        Stage.objects.create(map=journey_map, title="x", position=-1)
