"""Views of course approval, one module per area, each with its own ``urlpatterns``."""
