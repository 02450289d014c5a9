"""`{% search_results page %}` and `{% child_list children %}`: see portal/unit_rows.py (#16)."""

from django import template

from portal import unit_rows

register = template.Library()
register.simple_tag(unit_rows.search_results, name="search_results")
register.simple_tag(unit_rows.child_list, name="child_list")
