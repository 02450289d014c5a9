# The statistics page reads the decided dossiers through this partial index (#16).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0024_award_tallies"),
        ("campaigns", "0002_author_text"),
        ("portal", "0015_document_copies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(
                condition=models.Q(("decided_on__isnull", False), ("submitted_on__isnull", False)),
                fields=["decided_on"],
                name="nomination_decided",
            ),
        ),
    ]
