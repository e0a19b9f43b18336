"""The demo site as `make run` has it (the demo's own tests run on a copy of the seeded demo)."""

from cms.demo import MENU_ORDER
from cms.models import HomePage


def test_the_demo_menu_is_in_reading_order(demo_site, db):
    home = HomePage.objects.get()
    menu = [page.slug_en for page in home.get_children().filter(show_in_menus=True)]

    ordered = [slug for slug in MENU_ORDER if slug in menu]
    assert len(ordered) >= 5
    assert menu[len(menu) - len(ordered) :] == ordered
