"""Tests that change what the project's Wagtail hooks give.

``hooks.register_temporarily(NAME, fn)`` (Wagtail's own) adds a hook for one
test; ``hooks_only`` below hides the ones the installed apps registered, so a
test sees exactly the functions it names.
"""

from wagtail import hooks


def hooks_only(monkeypatch, name, *functions):
    """For the rest of the test, ``hooks.get_hooks(name)`` gives only ``functions``."""
    hooks.search_for_hooks()  # the apps' registrations are in place before they are hidden
    monkeypatch.setitem(hooks._hooks, name, [(function, 0) for function in functions])
