"""Send late pre-approval cases to the unit that holds Accountable. Schedule it hourly:

    5 * * * *  cd /srv/velkommen && .venv/bin/python manage.py approvals_escalate

Each open case whose first-response or decision clock has passed the promised
working days escalates once: an "escalated" step, and the accountable unit's
editors are told and may act on it. Running it again changes nothing for a
case that has escalated. ``--enqueue`` hands the work to the task backend instead.
"""

from onboarding.approvals.services.cases import cases_escalate
from onboarding.approvals.tasks import approvals_escalate_task
from onboarding.live.commands import ScheduledCommand


class Command(ScheduledCommand):
    help = "Send late pre-approval cases to the unit that holds Accountable, once each."
    task = approvals_escalate_task

    def run(self):
        escalated = cases_escalate()
        return f"Escalated {escalated} late pre-approval case(s)."
