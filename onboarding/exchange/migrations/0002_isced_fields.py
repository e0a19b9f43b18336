"""Load the ISCED-F 2013 detailed fields from the data file shipped with the app."""

from django.db import migrations


def load(apps, schema_editor):
    from onboarding.exchange.isced import isced_detailed

    IscedField = apps.get_model("exchange", "IscedField")
    for entry in isced_detailed():
        IscedField.objects.update_or_create(
            code=entry.code,
            defaults={"name": entry.name_nb, "name_nb": entry.name_nb, "name_en": entry.name_en},
        )


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
