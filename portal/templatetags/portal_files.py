from django import template
from django.db.models import Model

from portal import files

register = template.Library()


@register.simple_tag
def file_url(instance: Model, field: str) -> str:
    """The scoped download link of a stored file (portal.files); "" when there is none."""
    return files.file_url(instance, field)
