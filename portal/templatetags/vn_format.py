"""Template filters for Vietnamese number style: {{ n|vn_number }}, {{ rate|vn_percent }}."""

from django import template

from portal import formatting

register = template.Library()


@register.filter
def vn_number(value, decimals=0):
    return formatting.vn_number(value, int(decimals))


@register.filter
def vn_percent(value, decimals=2):
    return formatting.vn_percent(value, int(decimals))
