"""Template context shared by every page: the signed-in user's scope for the role-based navigation."""

from communes.scope import scope_of


def navigation(request):
    scope = scope_of(getattr(request, "user", None))
    return {"scope": scope}
