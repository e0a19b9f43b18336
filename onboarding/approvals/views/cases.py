"""Views: cases."""

urlpatterns: list = []
