"""Run a job on RQ when REDIS_URL is set, or in-process through the same function when it is not."""
from flask import current_app


def init_app(app) -> None:
    app.extensions["jobs_inline"] = not app.config.get("REDIS_URL")


def enqueue(queue: str, func, *args, **kwargs):
    """Jobs take ids and plain values only, so they can cross into a worker process unchanged."""
    if current_app.extensions.get("jobs_inline", True):
        return func(*args, **kwargs)
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(queue, connection=connection).enqueue(func, *args, **kwargs)
