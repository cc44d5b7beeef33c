"""NHS England's seven regions, as coded in the ODS trust extract."""

from django.db import migrations

REGIONS = [
    ("Y56", "London"),
    ("Y58", "South West"),
    ("Y59", "South East"),
    ("Y60", "Midlands"),
    ("Y61", "East of England"),
    ("Y62", "North West"),
    ("Y63", "North East and Yorkshire"),
]


def add_regions(apps, schema_editor):
    Region = apps.get_model("trusts", "Region")
    for code, name in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("trusts", "0001_initial")]

    operations = [migrations.RunPython(add_regions, migrations.RunPython.noop)]
