"""
Journey maps and everything on the canvas: stages (columns), lanes (rows) and
cards (in the cells), plus the map's activity log.

Editing model (see DESIGN.md): every editable row has a `version`; every change
to a map bumps `JourneyMap.revision` and appends an `Activity` row, so history,
"changes since", live updates and PDF caching all read one stream.

Cards cite research findings the same way research rows do (a `findings`
many-to-many), so `research.evidence` works on them unchanged.
"""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from journeymap.models import Organisation


class MapType(models.TextChoices):
    CURRENT = "current", _("Current state")
    FUTURE = "future", _("Future state")
    DAY = "day", _("Day in the life")
    BLUEPRINT = "blueprint", _("Service blueprint")


class MapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class JourneyMap(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="journey_maps"
    )
    title = models.CharField(_("title"), max_length=150)
    type = models.CharField(
        _("type"), max_length=10, choices=MapType.choices, default=MapType.CURRENT
    )
    personas = models.ManyToManyField(
        "research.Persona",
        blank=True,
        related_name="journey_maps",
        verbose_name=_("personas"),
    )
    dmu = models.ForeignKey(
        "research.DMU",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="journey_maps",
        verbose_name=_("decision-making unit"),
    )
    scope = models.TextField(
        _("scope"), blank=True, help_text=_("Where the journey starts and ends.")
    )
    objective = models.TextField(
        _("objective"),
        blank=True,
        help_text=_("What the team wants to learn or improve."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MapStatus.choices, default=MapStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)
    # Bumped by every change to anything on the map (see Activity).
    revision = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-updated"]
        indexes = [models.Index(fields=["organisation", "status"])]
        verbose_name = _("journey map")
        verbose_name_plural = _("journey maps")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("map_detail", args=[self.organisation.slug, self.pk])


class Stage(models.Model):
    """A column of the canvas: one phase of the journey."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(JourneyMap, models.CASCADE, related_name="stages")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    customer_goal = models.TextField(_("customer's goal"), blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["map", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=0), name="stage_position_not_negative"
            )
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.title


class LaneKind(models.TextChoices):
    TEXT = "text", _("Text")
    TOUCHPOINTS = "touchpoints", _("Touchpoints")
    EMOTION = "emotion", _("Emotion")
    PAINS = "pains", _("Pain points")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    ACTIONS = "actions", _("Follow-up actions")


class Lane(models.Model):
    """A row of the canvas."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(JourneyMap, models.CASCADE, related_name="lanes")
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=14, choices=LaneKind.choices, default=LaneKind.TEXT
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["map", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=0), name="lane_position_not_negative"
            )
        ]
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    WEBSITE = "website", _("Website")
    SEARCH = "search", _("Search")
    SOCIAL = "social", _("Social media")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    SHOP = "shop", _("Shop")
    BROCHURE = "brochure", _("Brochure")
    EVENT = "event", _("Event")
    SALES_CALL = "sales_call", _("Sales call")
    HELPDESK = "helpdesk", _("Helpdesk")
    DELIVERY = "delivery", _("Delivery")
    INVOICE = "invoice", _("Invoice")
    CUSTOM = "custom", _("Something else")


class Experience(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Impact(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Card(models.Model):
    """
    One card in one cell (stage × lane). The touchpoint fields matter on
    touchpoint lanes, `impact` on pain-point and opportunity lanes.
    """

    TEXT_MAX = 500
    # What a card says, beyond where it sits: the fields a lane kind edits,
    # and all of them together (what a copy, an export or an import carries).
    TOUCHPOINT_FIELDS = (
        "channel",
        "custom_channel",
        "online",
        "branded",
        "department",
        "experience",
        "moment_of_truth",
    )
    IMPACT_FIELDS = ("impact",)
    CONTENT_FIELDS = ("text", *TOUCHPOINT_FIELDS, *IMPACT_FIELDS)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(JourneyMap, models.CASCADE, related_name="cards")
    stage = models.ForeignKey(Stage, models.CASCADE, related_name="cards")
    lane = models.ForeignKey(Lane, models.CASCADE, related_name="cards")
    text = models.CharField(_("text"), max_length=TEXT_MAX)
    position = models.PositiveIntegerField(default=0)
    # Touchpoints
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, blank=True
    )
    custom_channel = models.CharField(_("own channel"), max_length=60, blank=True)
    online = models.BooleanField(_("online"), null=True, blank=True)
    branded = models.BooleanField(_("branded"), null=True, blank=True)
    department = models.CharField(_("owning department"), max_length=80, blank=True)
    experience = models.CharField(
        _("how the customer experiences it"),
        max_length=8,
        choices=Experience.choices,
        blank=True,
    )
    moment_of_truth = models.BooleanField(_("moment of truth"), default=False)
    # Pain points and opportunities
    impact = models.CharField(
        _("impact"), max_length=6, choices=Impact.choices, blank=True
    )
    findings = models.ManyToManyField(
        "research.Finding", blank=True, related_name="+", verbose_name=_("evidence")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "created"]
        indexes = [models.Index(fields=["map", "stage", "lane", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=0), name="card_position_not_negative"
            )
        ]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self) -> str:
        return self.text

    @property
    def channel_label(self) -> str:
        if self.channel == Channel.CUSTOM and self.custom_channel:
            return self.custom_channel
        return str(self.get_channel_display())


class EmotionScore(models.IntegerChoices):
    VERY_NEGATIVE = -2, _("Very negative")
    NEGATIVE = -1, _("Negative")
    NEUTRAL = 0, _("Neutral")
    POSITIVE = 1, _("Positive")
    VERY_POSITIVE = 2, _("Very positive")


class Emotion(models.Model):
    """
    How one persona feels in one stage: a score on a five-step scale and a short
    note. `persona` is empty on a map without personas ("the customer").
    """

    NOTE_MAX = 200

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(JourneyMap, models.CASCADE, related_name="emotions")
    stage = models.ForeignKey(Stage, models.CASCADE, related_name="emotions")
    persona = models.ForeignKey(
        "research.Persona",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persona"),
    )
    score = models.SmallIntegerField(_("emotion"), choices=EmotionScore.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "persona"],
                condition=Q(persona__isnull=False),
                name="one_emotion_per_stage_and_persona",
            ),
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(persona__isnull=True),
                name="one_emotion_per_stage_without_persona",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=-2, score__lte=2), name="emotion_score_in_scale"
            ),
        ]
        verbose_name = _("emotion")
        verbose_name_plural = _("emotions")

    def __str__(self) -> str:
        return str(self.get_score_display())


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Action(models.Model):
    """
    A follow-up action: what the team will do about the map. It hangs in a
    stage's column (`stage`), optionally about one card (then `stage` is that
    card's stage), and has an owner, a due date and a status.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(JourneyMap, models.CASCADE, related_name="actions")
    stage = models.ForeignKey(
        Stage,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("stage"),
    )
    card = models.ForeignKey(
        Card,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("card"),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="journey_actions",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    evaluation = models.TextField(
        _("evaluation"), blank=True, help_text=_("What came of it, once done.")
    )
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "created"]
        indexes = [
            models.Index(fields=["map", "stage", "position"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=0), name="action_position_not_negative"
            )
        ]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Checkpoint(models.Model):
    """
    A named moment in a map's history ("Workshop 12 March"): the revision the
    map was at, so the history can show what changed since.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(JourneyMap, models.CASCADE, related_name="checkpoints")
    title = models.CharField(_("name"), max_length=100)
    revision = models.PositiveIntegerField(_("revision"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-revision", "-created"]
        indexes = [models.Index(fields=["map", "revision"])]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return self.title


# ---- Creating and copying maps ---------------------------------------------


def map_create_from_template(
    org: Organisation,
    user,
    title: str,
    template_key: str,
    *,
    map_type: str | None = None,
    personas=(),
    dmu=None,
    scope: str = "",
    objective: str = "",
) -> JourneyMap:
    """A new draft map with the stages and lanes of one template (maps.templates)."""
    from maps.templates import TEMPLATES

    template = TEMPLATES[template_key]
    with transaction.atomic():
        journey_map = JourneyMap.objects.create(
            organisation=org,
            title=title,
            type=map_type or template.map_type,
            dmu=dmu,
            scope=scope,
            objective=objective,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        if personas:
            journey_map.personas.set(personas)
        Stage.objects.bulk_create(
            Stage(map=journey_map, title=str(title_), position=i)
            for i, title_ in enumerate(template.stages)
        )
        Lane.objects.bulk_create(
            Lane(map=journey_map, title=str(lane_title), kind=kind, position=i)
            for i, (lane_title, kind) in enumerate(template.lanes)
        )
        record(journey_map, user, "create")
    return journey_map


# The activity log lives in maps.activity; importing it here registers the model
# and keeps `from maps.models import Activity, record` working.
from maps.activity import Activity, record  # noqa: E402, F401
