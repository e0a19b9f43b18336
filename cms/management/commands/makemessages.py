"""Django's makemessages, except that msgmerge never guesses a translation.

A new source string close to an old one would otherwise arrive in the Norwegian
catalogue as a fuzzy entry carrying the old string's translation, which reads
as done while saying something else.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
