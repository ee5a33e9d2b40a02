"""
The templates a new map can start from, as data: adding a template is adding a
record to TEMPLATES, nothing else. Each sets the map's stages (columns) and a
sensible lane set (rows). Titles are English source strings, translated when the
map is created (a map's titles are then the team's own text).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maps.models import LaneKind, MapType


@dataclass(frozen=True)
class MapTemplate:
    key: str
    name: Promise
    description: Promise
    map_type: str
    stages: tuple[Promise, ...]
    lanes: tuple[tuple[Promise, str], ...]


# The lanes most journeys need, top to bottom.
JOURNEY_LANES = (
    (_("Customer goals"), LaneKind.TEXT),
    (_("Actions"), LaneKind.TEXT),
    (_("Touchpoints"), LaneKind.TOUCHPOINTS),
    (_("Thoughts and feelings"), LaneKind.TEXT),
    (_("Emotion"), LaneKind.EMOTION),
    (_("Pain points"), LaneKind.PAINS),
    (_("Opportunities"), LaneKind.OPPORTUNITIES),
    (_("Follow-up actions"), LaneKind.ACTIONS),
)

_TEMPLATES = (
    MapTemplate(
        key="seven_phases",
        name=_("7 phases"),
        description=_(
            "From the first need to loyalty; a good fit for considered purchases "
            "and B2B."
        ),
        map_type=MapType.CURRENT,
        stages=(
            _("Need"),
            _("Orientation"),
            _("Consideration"),
            _("Decision"),
            _("Delivery"),
            _("Use"),
            _("Loyalty"),
        ),
        lanes=JOURNEY_LANES,
    ),
    MapTemplate(
        key="five_phases",
        name=_("5 phases"),
        description=_("The classic customer journey, from awareness to advocacy."),
        map_type=MapType.CURRENT,
        stages=(
            _("Awareness"),
            _("Consideration"),
            _("Purchase"),
            _("Use and experience"),
            _("Loyalty and advocacy"),
        ),
        lanes=JOURNEY_LANES,
    ),
    MapTemplate(
        key="aida",
        name=_("AIDA"),
        description=_("Attention, interest, desire, action: the route to a purchase."),
        map_type=MapType.CURRENT,
        stages=(_("Attention"), _("Interest"), _("Desire"), _("Action")),
        lanes=JOURNEY_LANES,
    ),
    MapTemplate(
        key="see_think_do_care",
        name=_("See-Think-Do-Care"),
        description=_(
            "Online first: from everyone who could buy to the customers you "
            "already have."
        ),
        map_type=MapType.CURRENT,
        stages=(_("See"), _("Think"), _("Do"), _("Care")),
        lanes=JOURNEY_LANES,
    ),
    MapTemplate(
        key="day_in_the_life",
        name=_("Day in the life"),
        description=_(
            "One day of the customer, hour by hour: how they use your product now, "
            "and how they could use it better."
        ),
        map_type=MapType.DAY,
        stages=(
            _("Early morning"),
            _("Morning"),
            _("Midday"),
            _("Afternoon"),
            _("Evening"),
            _("Night"),
        ),
        lanes=(
            (_("What the customer does"), LaneKind.TEXT),
            (_("How they use the product now"), LaneKind.TEXT),
            (_("How they could use it better"), LaneKind.TEXT),
            (_("Touchpoints"), LaneKind.TOUCHPOINTS),
            (_("Emotion"), LaneKind.EMOTION),
            (_("Pain points"), LaneKind.PAINS),
            (_("Opportunities"), LaneKind.OPPORTUNITIES),
            (_("Follow-up actions"), LaneKind.ACTIONS),
        ),
    ),
    MapTemplate(
        key="service_blueprint",
        name=_("Service blueprint"),
        description=_(
            "From normal use through a problem to its resolution, with what "
            "happens backstage."
        ),
        map_type=MapType.BLUEPRINT,
        stages=(
            _("Normal use"),
            _("Problem"),
            _("Asks for help"),
            _("Talks to support"),
            _("Resolved"),
        ),
        lanes=(
            (_("What the customer does"), LaneKind.TEXT),
            (_("Why the customer feels this"), LaneKind.TEXT),
            (_("Emotion"), LaneKind.EMOTION),
            (_("Touchpoints"), LaneKind.TOUCHPOINTS),
            (_("How we communicate"), LaneKind.TEXT),
            (_("Backstage actions"), LaneKind.TEXT),
            (_("Pain points"), LaneKind.PAINS),
            (_("Opportunities"), LaneKind.OPPORTUNITIES),
            (_("Follow-up actions"), LaneKind.ACTIONS),
        ),
    ),
    MapTemplate(
        key="blank",
        name=_("Blank"),
        description=_(
            "Three empty stages and the usual lanes; rename and add to fit your "
            "business."
        ),
        map_type=MapType.CURRENT,
        stages=(_("Stage 1"), _("Stage 2"), _("Stage 3")),
        lanes=JOURNEY_LANES,
    ),
)

TEMPLATES: dict[str, MapTemplate] = {t.key: t for t in _TEMPLATES}
