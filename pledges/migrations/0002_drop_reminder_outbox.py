# The registration reminders moved to the portal's planner (pledges/reminders.py); the outbox
# table goes whole. Dropping the fields one by one first breaks on SQLite, whose table rebuild
# would keep the unique constraint that names them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="HistoricalReminder"),
        migrations.DeleteModel(name="Reminder"),
    ]
