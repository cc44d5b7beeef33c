from django.db import migrations, models
from django.db.models import F


def mark_earlier_reviews_emailed(apps, schema_editor):
    """Reviews made before the field existed had their email sent by the task alone: count them as
    emailed, so the resend does not mail their submitters again."""
    EvidenceSubmission = apps.get_model("milestones", "EvidenceSubmission")
    EvidenceSubmission.objects.filter(reviewed_at__isnull=False).update(review_emailed_at=F("reviewed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0005_dashboard_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidencesubmission",
            name="review_emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_earlier_reviews_emailed, migrations.RunPython.noop),
    ]
