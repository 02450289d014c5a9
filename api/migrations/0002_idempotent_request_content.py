"""The idempotent answer is kept as the bytes sent, so a replay is byte-for-byte the first answer
(jsonb reorders an object's keys)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models


def body_to_content(apps, schema_editor):
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    for row in IdempotentRequest.objects.only("pk", "body").iterator():
        row.content = json.dumps(row.body, cls=DjangoJSONEncoder).encode()
        row.save(update_fields=["content"])


def content_to_body(apps, schema_editor):
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    for row in IdempotentRequest.objects.only("pk", "content").iterator():
        row.body = json.loads(bytes(row.content) or b"{}")
        row.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="idempotentrequest",
            name="content",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.RunPython(body_to_content, content_to_body),
        migrations.RemoveField(model_name="idempotentrequest", name="body"),
    ]
