"""Views: advisers."""

urlpatterns: list = []
