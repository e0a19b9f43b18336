"""Stays abroad (``views.registry``), safety checks (``views.crisis``) and requests to come
home early (``views.returns``), under /en/exchange/abroad/ and /nb/utveksling/utlandet/."""

from .views.crisis import urlpatterns as crisis_urls
from .views.registry import urlpatterns as registry_urls
from .views.returns import urlpatterns as returns_urls

app_name = "stays"

urlpatterns = [*registry_urls, *crisis_urls, *returns_urls]
