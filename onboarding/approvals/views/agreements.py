"""Views: agreements."""

urlpatterns: list = []
