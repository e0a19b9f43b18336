from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The International Section's staff read the exchange reports and edit every agreement.
REPORT_PERMISSION = "exchange.view_exchange_reports"


class ExchangeConfig(AppConfig):
    name = "onboarding.exchange"
    label = "exchange"
    verbose_name = _("Exchange abroad")
    default_auto_field = "django.db.models.BigAutoField"
