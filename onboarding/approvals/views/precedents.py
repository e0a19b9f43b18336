"""Views: precedents."""

urlpatterns: list = []
