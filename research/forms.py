"""Forms for the research workspace. Views copy cleaned_data onto the models."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journeymap.editing import VersionForm
from research.models import (
    DMU,
    METHOD_KIND,
    Area,
    Awareness,
    Criterion,
    DecisionCriterion,
    DMUMember,
    DMURole,
    EmpathyEntry,
    Finding,
    NeedType,
    Persona,
    ResearchQuestion,
    Study,
    StudyKind,
    StudyMethod,
)

LONG_TEXT = 2000


def _long(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class VersionedModelForm(forms.ModelForm):
    """A model form that also carries the version the editor started from."""

    version = VersionForm.base_fields["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # UUID keys exist before saving, so ask Django whether the row is new.
        if not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version
        if self.instance._state.adding:
            # New rows have no version to check against.
            self.fields["version"].required = False


class PersonaForm(VersionedModelForm):
    goals = _long(_("Goals"), _("What they want to achieve."))
    needs = _long(_("Needs"), _("What they need from a supplier like you."))
    frustrations = _long(_("Frustrations"))
    wishes = _long(_("Wishes"))
    behaviour = _long(_("Behaviour"), _("How they orient, compare and buy."))

    class Meta:
        model = Persona
        fields = [
            "name",
            "job",
            "description",
            "quote",
            "market",
            "need_type",
            "awareness",
            "goals",
            "needs",
            "frustrations",
            "wishes",
            "behaviour",
        ]
        help_texts = {
            "name": _(
                "A first name and a hint of who they are, e.g. “Facility Frank”."
            ),
            "quote": _("Something they might say that sums them up."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left open until the research says; "---------" would say nothing.
        unknown = ("", _("— not yet known —"))
        self.fields["need_type"].choices = [unknown, *NeedType.choices]
        self.fields["awareness"].choices = [unknown, *Awareness.choices]


class CriterionForm(forms.ModelForm):
    weight = forms.TypedChoiceField(
        label=_("Weight"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        initial=3,
        error_messages={"invalid_choice": _("Choose a weight from 1 to 5.")},
    )

    class Meta:
        model = DecisionCriterion
        fields = ["kind", "custom_label", "weight"]
        labels = {"kind": _("Add a criterion")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Criterion.choices

    def clean(self):
        data = super().clean()
        if data.get("kind") == "custom" and not data.get("custom_label"):
            self.add_error("custom_label", _("Name your own criterion."))
        return data


class CriterionWeightForm(VersionForm):
    weight = CriterionForm.base_fields["weight"]


class EntryAddForm(forms.ModelForm):
    class Meta:
        model = EmpathyEntry
        fields = ["area", "text"]
        error_messages = {
            "text": {"required": _("Write something first.")},
        }


class EntryEditForm(VersionForm):
    text = forms.CharField(
        label=_("Text"),
        max_length=EmpathyEntry.TEXT_MAX,
        error_messages={"required": _("Write something, or delete the entry.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Moving to another area without dragging (keyboard, screen readers).
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices, required=False)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ReorderForm(forms.Form):
    area = forms.ChoiceField(choices=Area.choices)
    order = forms.CharField(max_length=20_000)

    def clean_order(self) -> list[str]:
        return [pk for pk in self.cleaned_data["order"].split(",") if pk]


class DMUForm(VersionedModelForm):
    description = _long(_("Description"), _("Which purchase, for which customers."))

    class Meta:
        model = DMU
        fields = ["name", "market", "description"]
        help_texts = {
            "name": _("E.g. “Office furniture purchase, mid-size firms”."),
        }


class DMUMemberForm(VersionedModelForm):
    note = _long(_("Note"))

    class Meta:
        model = DMUMember
        fields = ["role", "custom_role", "persona", "note"]
        help_texts = {
            "custom_role": _("Only for “Other role”."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = organisation.personas.all()
        self.fields["persona"].empty_label = _("— not yet known —")
        self.fields["role"].choices = DMURole.choices

    def clean(self):
        data = super().clean()
        if data.get("role") == DMURole.OTHER and not data.get("custom_role"):
            self.add_error("custom_role", _("Name the role."))
        if data.get("role") != DMURole.OTHER:
            data["custom_role"] = ""
        return data


# Starters for the questions the method asks; %(topic)s is the team's topic.
QUESTION_STARTERS = [
    ("moment", _("When do people first run into %(topic)s?")),
    ("urgency", _("How urgent is %(topic)s for them, on a scale of 1 to 10?")),
    ("pay", _("What would they pay to have %(topic)s solved?")),
    ("orient", _("How do they look for a solution to %(topic)s?")),
    ("brands", _("Which brands or suppliers do they consider for %(topic)s?")),
    ("must", _("What must a solution for %(topic)s do, at the very least?")),
    ("success", _("How do they judge whether %(topic)s was solved well?")),
]


class QuestionForm(VersionedModelForm):
    topic = forms.CharField(
        label=_("Topic"),
        max_length=100,
        required=False,
        help_text=_("What the question is about, e.g. “a new office chair”."),
    )
    starter = forms.ChoiceField(
        label=_("Start from a common question"),
        required=False,
        choices=[("", _("— write my own —"))] + QUESTION_STARTERS,
    )
    text = forms.CharField(
        label=_("Question"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = ResearchQuestion
        fields = ["text", "persona", "dmu"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = organisation.personas.all()
        self.fields["dmu"].queryset = organisation.dmus.all()
        self.fields["persona"].empty_label = _("— none —")
        self.fields["dmu"].empty_label = _("— none —")
        if not self.instance._state.adding:
            del self.fields["topic"], self.fields["starter"]

    def starter_options(self) -> list[tuple[str, str, str]]:
        """(value, label with X for the topic, template) for the radio list."""
        return [
            (value, str(text) % {"topic": "X"}, str(text))
            for value, text in QUESTION_STARTERS
        ]

    def clean(self):
        data = super().clean()
        starter = data.get("starter")
        if not data.get("text") and starter:
            topic = data.get("topic") or ""
            if not topic:
                self.add_error("topic", _("Name the topic to fill in the question."))
            else:
                data["text"] = str(dict(QUESTION_STARTERS)[starter]) % {"topic": topic}
        if not data.get("text") and not self.errors:
            self.add_error("text", _("Write the question, or pick a starter."))
        return data


class StudyForm(VersionedModelForm):
    summary = _long(_("Summary"), _("What you did and what stood out."))
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions it addresses"),
        queryset=ResearchQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "method",
            "kind",
            "started",
            "ended",
            "sample_size",
            "summary",
            "questions",
        ]
        widgets = {
            "started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "kind": _("Set by the method; choose it yourself only for “Other”."),
            "sample_size": _("Respondents, interviews or sessions."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = organisation.research_questions.all()
        self.fields["kind"].required = False
        self.fields["kind"].choices = [("", _("Choose a kind")), *StudyKind.choices]
        self.fields["method"].choices = [("", _("Choose a method"))] + list(
            StudyMethod.choices
        )

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method and method != StudyMethod.OTHER:
            data["kind"] = METHOD_KIND[method]
        elif method and not data.get("kind"):
            self.add_error("kind", _("Is this study quantitative or qualitative?"))
        started, ended = data.get("started"), data.get("ended")
        if started and ended and ended < started:
            self.add_error("ended", _("The end date is before the start date."))
        return data


class FindingForm(VersionedModelForm):
    source = _long(
        _("Source"), _("A quote, a figure, or where to find it (link text).")
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions it answers"),
        queryset=ResearchQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Finding
        fields = ["statement", "source", "questions", "date"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "statement": {"required": _("Write down what you found.")},
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = organisation.research_questions.all()
