"""The portal's home page: a public welcome, and for a signed-in user their committee and roles."""

from django.shortcuts import render

from members.selectors import user_roles


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["roles"] = user_roles(request.user)
    return render(request, "home.html", context)
