"""
Forms for the cards of the canvas (maps.canvas.cards). Each lane kind edits its own
fields: touchpoint details on touchpoint lanes, impact on pain-point and
opportunity lanes, only the text elsewhere.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from journeymap.editing import VersionForm
from maps.models import Card, Channel, Experience, Impact, LaneKind

# Lanes whose cells hold cards (the emotion and actions lanes hold other things).
CARD_LANES = (
    LaneKind.TEXT,
    LaneKind.TOUCHPOINTS,
    LaneKind.PAINS,
    LaneKind.OPPORTUNITIES,
)
TOUCHPOINT_FIELDS = Card.TOUCHPOINT_FIELDS
IMPACT_FIELDS = Card.IMPACT_FIELDS


def detail_fields(kind: str) -> tuple[str, ...]:
    """The card fields beyond its text that a lane of `kind` edits."""
    if kind == LaneKind.TOUCHPOINTS:
        return TOUCHPOINT_FIELDS
    if kind in (LaneKind.PAINS, LaneKind.OPPORTUNITIES):
        return IMPACT_FIELDS
    return ()


def _yes_no(value):
    return {"1": True, "0": False}.get(value)


TEXT_ERRORS = {
    "required": _("Write something on the card."),
    "max_length": _(
        "Keep a card to %(limit_value)d characters (this one has %(show_value)d)."
    ),
}


class CardDetailsForm(forms.Form):
    """The kind-specific fields; all optional, each validated against its choices."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", "—"), *Channel.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a channel from the list.")},
    )
    custom_channel = forms.CharField(
        label=_("Own channel"), max_length=60, required=False
    )
    online = forms.TypedChoiceField(
        label=_("Online or offline"),
        choices=[("", "—"), ("1", _("Online")), ("0", _("Offline"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    branded = forms.TypedChoiceField(
        label=_("Branded"),
        choices=[("", "—"), ("1", _("Branded")), ("0", _("Not branded"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    department = forms.CharField(
        label=_("Owning department"), max_length=80, required=False
    )
    experience = forms.ChoiceField(
        label=_("Customer's experience"),
        choices=[("", "—"), *Experience.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose positive, neutral or negative.")},
    )
    moment_of_truth = forms.BooleanField(label=_("Moment of truth"), required=False)
    impact = forms.ChoiceField(
        label=_("Impact"),
        choices=[("", "—"), *Impact.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose low, medium or high impact.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("channel") != Channel.CUSTOM:
            data["custom_channel"] = ""
        elif not data.get("custom_channel"):
            self.add_error("custom_channel", _("Name the channel."))
        return data


class CardAddForm(CardDetailsForm):
    text = forms.CharField(
        label=_("Text"), max_length=Card.TEXT_MAX, error_messages=TEXT_ERRORS
    )
    stage = forms.UUIDField()
    lane = forms.UUIDField()


class CardEditForm(CardDetailsForm, VersionForm):
    text = forms.CharField(
        label=_("Text"), max_length=Card.TEXT_MAX, error_messages=TEXT_ERRORS
    )
    # "Move to…": another stage and/or lane of the same map (checked in the view).
    move_stage = forms.UUIDField(label=_("Stage"), required=False)
    move_lane = forms.UUIDField(label=_("Lane"), required=False)
    # Set by the full edit form: the kind-specific fields were sent, so an
    # unticked box means "no". A bare text edit leaves them alone.
    details = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CardMoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("left", "left"), ("right", "right")]
    )


class CardReorderForm(forms.Form):
    stage = forms.UUIDField()
    lane = forms.UUIDField()
    order = forms.CharField(max_length=20_000, required=False)

    def clean_order(self) -> list[str]:
        return [pk for pk in self.cleaned_data["order"].split(",") if pk]
