# Two branches each added a 0004 migration to pledges (#12's paper scan, #16's task summary);
# they touch different fields, so the merge only joins the graph.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0004_signature_paper_scan"),
        ("pledges", "0004_task_summary"),
    ]

    operations = []
