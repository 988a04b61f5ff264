"""Per-request memoisation: a value computed at most once per request, however many selectors,
template tags and middleware ask for it (the content generation, the restricted sections, the
header pages...). The one place where anything is kept on the request object."""

_ATTRIBUTE = "publications_memo"


def per_request(request, key, compute):
    """``compute()`` the first time ``key`` is asked for during ``request``, the same value after
    that. Without a request (a management command, a test calling a selector), every call
    computes."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault(_ATTRIBUTE, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]
