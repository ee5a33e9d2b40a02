"""
The canvas builds its action cards in Python (maps/templatetags/follow_up.py)
for speed; the views that answer with one action render
templates/maps/actions/lane.html#card. Both must give the same HTML.
"""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from maps.models import Action, ActionStatus, map_create_from_template
from maps.templatetags.follow_up import _action_kit, action_html


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


def _same_text(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _both(trip, org, action, can_edit):
    context = {"action": action, "org": org, "map": trip, "can_edit": can_edit}
    template = render_to_string("maps/actions/lane.html#card", context)
    kit = _action_kit(org.slug, trip.pk, translation.get_language(), "/", None)
    built = action_html(action, kit, can_edit, timezone.localdate())
    return _same_text(template), _same_text(built)


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_built_actions_match_the_template(trip, org, dave, can_edit, language):
    stage = trip.stages.first()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    actions = [
        Action(map=trip, stage=stage, title="Call <back>", owner=dave, due=yesterday),
        Action(map=trip, stage=None, title="No stage & no owner"),
        Action(map=trip, stage=stage, title="Done", status=ActionStatus.DONE),
        Action(
            map=trip,
            stage=stage,
            title="Evaluated",
            status=ActionStatus.DONE,
            evaluation='It "worked"',
            due=yesterday,
        ),
    ]
    Action.objects.bulk_create(actions)
    with translation.override(language):
        for action in Action.objects.filter(map=trip).select_related("owner"):
            template, built = _both(trip, org, action, can_edit)
            assert built == template
