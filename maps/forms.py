"""Forms for journey maps. Views copy cleaned_data onto the models."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journeymap.editing import VersionForm
from maps.models import JourneyMap, MapStatus, MapType
from maps.templates import TEMPLATES

LONG_TEXT = 2000


class MapAboutForm(forms.Form):
    """What a map is about: whose journey, the DMU, scope and objective."""

    personas = forms.ModelMultipleChoiceField(
        label=_("Whose journey is it?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One journey per persona beats one journey for everybody."),
    )
    dmu = forms.ModelChoiceField(
        label=_("Decision-making unit"), queryset=None, required=False
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where does the journey start, and where does it end?"),
    )
    objective = forms.CharField(
        label=_("Objective"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What does the team want to learn or improve?"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personas"].queryset = organisation.personas.all()
        self.fields["dmu"].queryset = organisation.dmus.all()
        self.fields["dmu"].empty_label = _("— none —")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the map a title."))
        return title


class MapCreateForm(MapAboutForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=JourneyMap._meta.get_field("title").max_length,
        help_text=_("E.g. “First visit to the podiatrist”."),
    )
    template = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        initial="seven_phases",
    )
    type = forms.ChoiceField(
        label=_("Type of map"),
        choices=[("", _("As the template suggests"))] + list(MapType.choices),
        required=False,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["template"].choices = [(t.key, t.name) for t in TEMPLATES.values()]


class MapDuplicateForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the copy"),
        max_length=JourneyMap._meta.get_field("title").max_length,
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the copy a title."))
        return title


class MapFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Draft and active")), *MapStatus.choices, ("all", _("All"))],
    )
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=None, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = organisation.personas.all()
        self.fields["persona"].empty_label = _("All personas")


class MapSettingsForm(MapAboutForm, VersionForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=JourneyMap._meta.get_field("title").max_length,
        error_messages={"required": _("Give the map a title.")},
    )
    type = forms.ChoiceField(label=_("Type of map"), choices=MapType.choices)
    status = forms.ChoiceField(label=_("Status"), choices=MapStatus.choices)

    FIELDS = ("title", "type", "status", "dmu", "scope", "objective")
