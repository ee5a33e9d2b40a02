"""Forms for accounts, organisations and members."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from journeymap.models import Invitation, Membership, Organisation, Role


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send invitations and password resets here."),
    )
    organisation = forms.CharField(
        label=_("Organisation name"),
        max_length=100,
        required=False,
        help_text=_("Your team or company. You can rename it later."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, invitation: Invitation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if invitation is not None:
            # Joining an existing organisation: no new one to name.
            del self.fields["organisation"]
            self.fields["email"].initial = invitation.email

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. "
                    "Sign in, or reset your password if you forgot it."
                )
            )
        return email

    def clean_organisation(self) -> str:
        return self.cleaned_data["organisation"].strip()


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the organisation a name."))
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        members = Membership.objects.filter(
            organisation=self.organisation, user__email__iexact=email
        )
        if members.exists():
            raise forms.ValidationError(
                _("Someone with this e-mail address is already a member.")
            )
        pending = Invitation.objects.pending().filter(
            organisation=self.organisation, email__iexact=email
        )
        if pending.exists():
            raise forms.ValidationError(
                _(
                    "This address already has an open invitation; "
                    "send it again from the list below."
                )
            )
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
