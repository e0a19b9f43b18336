"""Signal handlers of the units app: they only call services."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.contenttypes.management import create_contenttypes


def unit_published(sender, instance, **kwargs):
    """Publishing a unit makes its editors' group (once) and keeps its name in step."""
    from .services import unit_editors_group_ensure

    unit_editors_group_ensure(unit=instance)


def editors_link_deleted(sender, instance, **kwargs):
    """A deleted unit takes its editors' group with it; its collection (and media) stays."""
    Group.objects.filter(pk=instance.group_id).delete()


def staff_group_after_migrate(sender, using="default", **kwargs):
    """After every migrate, the International Section's staff group has its permissions.

    Django makes each app's permissions in its own post_migrate turn; the staff
    group needs permissions of apps that come later, so they are made here first.
    """
    from wagtail.models import Collection, Page

    from .services import international_staff_group_ensure

    # A flushed database (as between transactional tests) has no tree to grant on.
    if not Page.objects.using(using).filter(depth=1).exists():
        return
    if not Collection.objects.using(using).filter(depth=1).exists():
        return
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    international_staff_group_ensure()
