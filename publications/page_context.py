"""Where a page model finds what it shows beyond its own fields.

Page models sit below the read side: the selectors import the models, never the other way round.
A page's ``get_context`` (and a routable page's sub-views) therefore ask this registry, which the
read side fills when the apps start (``PublicationsConfig.ready`` imports the selector modules):

    @provides(AnalysisPage, "context")
    def analysis_page_context(page, request, **kwargs): ...

    class AnalysisPage(Page):
        def get_context(self, request, *args, **kwargs):
            context = super().get_context(request, *args, **kwargs)
            context.update(provider(self, "context")(self, request, **kwargs))
            return context
"""

from django.core.exceptions import ImproperlyConfigured

_providers = {}


def provides(page_class, what):
    """Register the decorated function as ``what`` ("context", "citation"...) of
    ``page_class`` and its subclasses."""

    def register(function):
        _providers[(page_class, what)] = function
        return function

    return register


def provider(page, what):
    """The function registered as ``what`` for the page's class (or the nearest base class)."""
    for page_class in type(page).__mro__:
        function = _providers.get((page_class, what))
        if function is not None:
            return function
    raise ImproperlyConfigured(
        f"Nothing provides the {what} of {type(page).__name__}: the read side registers it when "
        "the apps are ready (publications.apps)."
    )


def extra_context(page, request, **kwargs):
    """The page's "context" provider, called: what its template shows beyond its fields."""
    return provider(page, "context")(page, request, **kwargs)
