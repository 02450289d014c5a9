"""The background machinery: work that runs beside the pages, in Celery or on a schedule.

    reminders      the reminder planner: the registry of reminder sources, the outbox rows
    digests        the digest e-mail: one mail and one notification per person per day
    notifications  the notification centre's writes (read, digest settings)
    jobs           bulk jobs with progress: the handler registry, start, retry, the runner
    tasks          the Celery entry points (names kept as `portal.tasks.<name>`)
    enqueue        handing work to the worker without letting a Redis outage hang a request
    locks          locks for periodic work that may outlive its interval
    forms, views, urls   the notification centre and the jobs pages

The models stay in `portal.models.jobs` and `portal.models.notifications`.
"""
