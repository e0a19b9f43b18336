"""Exchange abroad, under the translated "exchange/" path (/nb/utveksling/..., /en/exchange/...).

The finder and the destination pages sit under "destinations/" so that
/nb/utveksling/ itself stays the Go abroad information page (a Wagtail page).
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "exchange"

urlpatterns = [
    path(_("destinations/"), views.finder, name="finder"),
    path(_("destinations/my-programme/"), views.programme_save, name="programme_save"),
    path(_("destinations/<str:schac>/"), views.destination, name="destination"),
    path(_("destinations/<str:schac>/report/"), views.report_create, name="report_create"),
]
