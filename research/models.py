"""
What a team knows (and assumes) about its customers before it maps a journey:
Decision-Making Units and their members, personas with empathy maps and
decision criteria, research questions, studies and their findings.

Evidence: anything that can be validated has a `findings` many-to-many field.
With at least one finding it counts as validated, without one it is an
assumption. `research.evidence` works for any model with such a field, so the
journey canvas can cite findings the same way without this app knowing it.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journeymap.models import Organisation


class Market(models.TextChoices):
    B2B = "b2b", _("B2B")
    B2C = "b2c", _("B2C")


# ---- Decision-Making Units ------------------------------------------------


class DMU(models.Model):
    """A Decision-Making Unit: everyone who takes part in one kind of purchase."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="dmus")
    name = models.CharField(_("name"), max_length=120)
    market = models.CharField(
        _("market"), max_length=3, choices=Market.choices, default=Market.B2B
    )
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("decision-making unit")
        verbose_name_plural = _("decision-making units")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dmu_detail", args=[self.organisation.slug, self.pk])


class DMURole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    USER = "user", _("User")
    INFLUENCER = "influencer", _("Influencer")
    DECIDER = "decider", _("Decider")
    BUYER = "buyer", _("Buyer")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    OTHER = "other", _("Other role")


DMU_ROLE_HELP = {
    DMURole.INITIATOR: _("Notices the need and sets the purchase in motion."),
    DMURole.USER: _("Uses the product or service day to day."),
    DMURole.INFLUENCER: _("Shapes the choice with advice, opinions or requirements."),
    DMURole.DECIDER: _("Makes the final call."),
    DMURole.BUYER: _("Negotiates, orders and pays."),
    DMURole.GATEKEEPER: _("Controls which information and suppliers get through."),
    DMURole.OTHER: _("A role of your own, with its own name."),
}


class DMUMember(models.Model):
    """One person (by persona) in one role of a DMU."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dmu = models.ForeignKey(DMU, models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=12, choices=DMURole.choices)
    custom_role = models.CharField(_("name of the role"), max_length=60, blank=True)
    persona = models.ForeignKey(
        "Persona",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dmu_memberships",
        verbose_name=_("persona"),
    )
    note = models.TextField(_("note"), blank=True)
    findings = models.ManyToManyField(
        "research.Finding", blank=True, related_name="+", verbose_name=_("evidence")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["created"]
        verbose_name = _("DMU member")
        verbose_name_plural = _("DMU members")

    def __str__(self) -> str:
        return f"{self.role_label}: {self.persona or '—'}"

    @property
    def role_label(self) -> str:
        if self.role == DMURole.OTHER and self.custom_role:
            return self.custom_role
        return str(self.get_role_display())


# ---- Personas -------------------------------------------------------------


class NeedType(models.TextChoices):
    LATENT = "latent", _("Latent: not yet felt or named")
    CONCRETE = "concrete", _("Concrete: knows what they need")


class Awareness(models.TextChoices):
    UNAWARE = "unaware", _("Unaware")
    PROBLEM = "problem", _("Problem aware")
    SOLUTION = "solution", _("Solution aware")
    PRODUCT = "product", _("Product aware")
    MOST = "most", _("Most aware")


AVATAR_COLOURS = 8


class Persona(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="personas"
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    job = models.CharField(_("role or job"), max_length=120, blank=True)
    quote = models.CharField(_("quote"), max_length=300, blank=True)
    market = models.CharField(
        _("market"), max_length=3, choices=Market.choices, default=Market.B2B
    )
    need_type = models.CharField(
        _("need type"), max_length=10, choices=NeedType.choices, blank=True
    )
    awareness = models.CharField(
        _("awareness level"), max_length=10, choices=Awareness.choices, blank=True
    )
    goals = models.TextField(_("goals"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    frustrations = models.TextField(_("frustrations"), blank=True)
    wishes = models.TextField(_("wishes"), blank=True)
    behaviour = models.TextField(_("behaviour"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("persona_detail", args=[self.organisation.slug, self.pk])

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"

    @property
    def avatar_colour(self) -> int:
        # Stable per persona and independent of the name, so renaming keeps the colour.
        return self.pk.int % AVATAR_COLOURS


class Criterion(models.TextChoices):
    PRICE = "price", _("Price")
    BRAND = "brand", _("Brand awareness")
    SERVICE = "service", _("Service")
    WARRANTY = "warranty", _("Warranty")
    REVIEWS = "reviews", _("Reviews")
    CUSTOM = "custom", _("Something else")


class DecisionCriterion(models.Model):
    """What a persona weighs when choosing, and how heavily (1 to 5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    persona = models.ForeignKey(Persona, models.CASCADE, related_name="criteria")
    kind = models.CharField(_("criterion"), max_length=10, choices=Criterion.choices)
    custom_label = models.CharField(_("own criterion"), max_length=60, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=3)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-weight", "created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=5),
                name="criterion_weight_1_to_5",
            )
        ]
        verbose_name = _("decision criterion")
        verbose_name_plural = _("decision criteria")

    def __str__(self) -> str:
        return f"{self.label} ({self.weight})"

    @property
    def label(self) -> str:
        if self.kind == Criterion.CUSTOM and self.custom_label:
            return self.custom_label
        return str(self.get_kind_display())


# ---- Empathy maps ---------------------------------------------------------


class Area(models.TextChoices):
    SAYS = "says", _("Says")
    THINKS = "thinks", _("Thinks")
    DOES = "does", _("Does")
    FEELS = "feels", _("Feels")
    PAINS = "pains", _("Pains")
    GAINS = "gains", _("Gains")


AREA_PROMPTS = {
    Area.SAYS: _("What do they say out loud, to colleagues or to you?"),
    Area.THINKS: _("What goes on in their head but stays unsaid?"),
    Area.DOES: _("What do they actually do, and how do they behave?"),
    Area.FEELS: _("What worries or excites them?"),
    Area.PAINS: _("Fears, frustrations and obstacles."),
    Area.GAINS: _("What they want to achieve, and how they measure success."),
}


class EmpathyEntry(models.Model):
    """
    One short entry in one of the six areas of a persona's empathy map. A persona
    has exactly one empathy map, so the map is simply the persona's entries.
    """

    TEXT_MAX = 280

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    persona = models.ForeignKey(Persona, models.CASCADE, related_name="empathy_entries")
    area = models.CharField(_("area"), max_length=6, choices=Area.choices)
    text = models.CharField(_("text"), max_length=TEXT_MAX)
    position = models.PositiveIntegerField(default=0)
    findings = models.ManyToManyField(
        "research.Finding", blank=True, related_name="+", verbose_name=_("evidence")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["area", "position", "created"]
        indexes = [models.Index(fields=["persona", "area", "position"])]
        verbose_name = _("empathy map entry")
        verbose_name_plural = _("empathy map entries")

    def __str__(self) -> str:
        return self.text


# ---- Research -------------------------------------------------------------


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class ResearchQuestion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="research_questions"
    )
    text = models.CharField(_("question"), max_length=300)
    persona = models.ForeignKey(
        Persona,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("about persona"),
    )
    dmu = models.ForeignKey(
        DMU,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("about DMU"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.OPEN,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["status", "created"]
        verbose_name = _("research question")
        verbose_name_plural = _("research questions")

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("question_detail", args=[self.organisation.slug, self.pk])


class StudyKind(models.TextChoices):
    QUANTITATIVE = "quant", _("Quantitative")
    QUALITATIVE = "qual", _("Qualitative")


class StudyMethod(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    POST_PURCHASE = "post_purchase", _("Post-purchase survey")
    EXIT_INTENT = "exit_intent", _("Exit-intent survey")
    SEARCH_VOLUME = "search_volume", _("Search volume")
    INTERVIEW = "interview", _("Customer interview")
    USER_TEST = "user_test", _("User test")
    SCREEN_RECORDING = "screen_recording", _("Screen recordings")
    WALK_JOURNEY = "walk_journey", _("Walking the journey yourself")
    SHADOWING = "shadowing", _("Shadowing (e.g. the service desk)")
    OTHER = "other", _("Other")


METHOD_KIND = {
    StudyMethod.QUESTIONNAIRE: StudyKind.QUANTITATIVE,
    StudyMethod.POST_PURCHASE: StudyKind.QUANTITATIVE,
    StudyMethod.EXIT_INTENT: StudyKind.QUANTITATIVE,
    StudyMethod.SEARCH_VOLUME: StudyKind.QUANTITATIVE,
    StudyMethod.INTERVIEW: StudyKind.QUALITATIVE,
    StudyMethod.USER_TEST: StudyKind.QUALITATIVE,
    StudyMethod.SCREEN_RECORDING: StudyKind.QUALITATIVE,
    StudyMethod.WALK_JOURNEY: StudyKind.QUALITATIVE,
    StudyMethod.SHADOWING: StudyKind.QUALITATIVE,
}


class Study(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="studies"
    )
    title = models.CharField(_("title"), max_length=150)
    method = models.CharField(_("method"), max_length=20, choices=StudyMethod.choices)
    # Derived from the method; chosen by hand only for "other".
    kind = models.CharField(_("kind"), max_length=5, choices=StudyKind.choices)
    started = models.DateField(_("start date"), null=True, blank=True)
    ended = models.DateField(_("end date"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    questions = models.ManyToManyField(
        ResearchQuestion,
        blank=True,
        related_name="studies",
        verbose_name=_("questions it addresses"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-started", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True)
                | Q(started__isnull=True)
                | Q(ended__gte=models.F("started")),
                name="study_ends_after_start",
            )
        ]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study_detail", args=[self.organisation.slug, self.pk])


class Finding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    study = models.ForeignKey(Study, models.CASCADE, related_name="findings")
    statement = models.CharField(_("finding"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    questions = models.ManyToManyField(
        ResearchQuestion,
        blank=True,
        related_name="findings",
        verbose_name=_("questions it answers"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.statement
