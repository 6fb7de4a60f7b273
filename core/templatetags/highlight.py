"""`{% load highlight %}`: search terms marked in user text, which is escaped first (core.search).

{{ todo.description|highlight:terms }}                  Buy <mark>milk</mark>
{{ todo.notes|excerpt:terms|highlight:terms }}          …the oat <mark>milk</mark> for the coffee…
"""

from django import template

from core import search

register = template.Library()


@register.filter
def highlight(value: str, terms) -> str:
    return search.highlight(value or "", terms or ())


@register.filter
def excerpt(value: str, terms) -> str:
    return search.excerpt(value or "", terms or ())
