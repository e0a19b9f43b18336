"""The liveness check, which is also the benchmarks' bare view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_health_answers_ok_without_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert len(queries) == 0


@pytest.mark.django_db
def test_health_goes_through_the_middleware_and_takes_no_writes(client):
    response = client.get("/health/")
    # The security middleware and the content security policy ran.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response
    assert client.post("/health/").status_code == 405
    assert client.head("/health/").status_code == 200
