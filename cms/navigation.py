"""The main navigation: the home page's live children marked "show in menus"."""

from wagtail.models import Page, Site


def main_navigation(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    root = site.root_page
    items = list(Page.objects.child_of(root).live().in_menu().order_by("path"))
    current = getattr(request, "_velkommen_page_path", "")
    return [
        {"title": page.title, "url": page.get_url(request), "active": current.startswith(page.path)}
        for page in items
    ]
