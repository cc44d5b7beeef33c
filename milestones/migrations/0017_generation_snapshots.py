from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0016_generation_inputs_default_in_database"),
    ]

    operations = [
        migrations.AddField(
            model_name="dashboardgeneration",
            name="snapshots",
            field=models.BigIntegerField(db_default=1, default=1),
        ),
    ]
