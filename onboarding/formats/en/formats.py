"""English dates with the 24-hour clock, as in Norway and in the Norwegian pages.

Django's English times end in "a.m."/"p.m.", so a sentence ending in a time
ended in "a.m.." and the two languages showed different times of day.
"""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
