"""Course approval under the translated "exchange/approvals/" path.

Each area's views module keeps its own ``urlpatterns``: earlier decisions,
cases and their clock, learning agreements and recognition, advisers' tools
and the public response times.
"""

from .views import advisers, agreements, cases, precedents

app_name = "approvals"

urlpatterns = [
    *precedents.urlpatterns,
    *cases.urlpatterns,
    *agreements.urlpatterns,
    *advisers.urlpatterns,
]
