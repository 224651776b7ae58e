"""{% workbench_queues as queues %}: the signed-in user's queues (core.workbench)."""

from django import template

from core.workbench import queues

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench_queues(context):
    return queues(context["request"].user)
