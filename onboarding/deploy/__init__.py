"""The production topology on one machine: nginx, gunicorn, uvicorn and the task worker.

``python -m onboarding.deploy start`` (``make prod``) runs it; ``topology.Topology`` is the
same thing as a Python object, for tests and benchmarks. See docs/deploy.md.
"""
