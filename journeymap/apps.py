from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneymapConfig(AppConfig):
    name = "journeymap"
    verbose_name = _("Organisations and members")
