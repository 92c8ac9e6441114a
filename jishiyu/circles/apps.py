from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "jishiyu.circles"
    verbose_name = _("Life circles (幸福圈)")
