"""Run a job on an RQ queue when REDIS_URL is set, or in-process through the same function when it is not."""
from dataclasses import dataclass

from flask import current_app

QUEUES = ("exports", "nightly")
# Retries are immediate (no interval): an interval would need a worker started with --with-scheduler.
TIMEOUTS = {"exports": 30 * 60, "nightly": 60 * 60}
CANNOT_START = "后台任务服务暂时不可用，现在无法开始，请稍后再试。"


@dataclass(frozen=True)
class Enqueued:
    """What enqueue() did: ran the job here (inline), handed it to RQ, or could not start it (Redis down)."""

    started: bool
    inline: bool = False
    job_id: str | None = None
    result: object = None
    message: str | None = None


def init_app(app) -> None:
    app.extensions["jobs_inline"] = not app.config.get("REDIS_URL")


def queue_name(queue: str) -> str:
    """Tests and side-by-side deployments can prefix queue names (RQ_QUEUE_PREFIX) to keep them apart."""
    return current_app.config.get("RQ_QUEUE_PREFIX", "") + queue


def connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)


def enqueue(queue: str, func, *args, on_failure=None, job_id: str | None = None, **kwargs) -> Enqueued:
    """Jobs take ids and plain values only, so they can cross into a worker process unchanged.

    Never raises because Redis is down: the caller gets started=False and a message to show.
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if current_app.extensions.get("jobs_inline", True):
        # A fresh application context gives the job a session of its own, as a worker would have: it neither
        # commits nor sees the caller's unfinished transaction (so the caller commits what the job reads first).
        with current_app.app_context():
            result = func(*args, **kwargs)
        return Enqueued(started=True, inline=True, result=result)
    from redis.exceptions import RedisError
    from rq import Callback, Queue, Retry

    options = {"retry": Retry(max=3), "job_timeout": TIMEOUTS[queue],
               "failure_ttl": 7 * 24 * 3600}
    if on_failure is not None:
        options["on_failure"] = Callback(on_failure)
    if job_id is not None:
        options["job_id"] = job_id
    try:
        job = Queue(queue_name(queue), connection=connection()).enqueue(func, *args, **kwargs, **options)
    except (RedisError, OSError):
        current_app.logger.warning("cannot enqueue %s on %s: Redis unavailable", func.__name__, queue)
        return Enqueued(started=False, message=CANNOT_START)
    return Enqueued(started=True, job_id=job.id)


def job_state(job_id: str) -> str:
    """rq's status of a job ('queued', 'started', 'finished', 'failed', …), or 'missing' when Redis does not
    know it, 'unreachable' when Redis is down, 'inline' when jobs run in-process."""
    if current_app.extensions.get("jobs_inline", True):
        return "inline"
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        with connection() as redis:
            status = Job.fetch(job_id, connection=redis).get_status(refresh=False)
    except NoSuchJobError:
        return "missing"
    except (RedisError, OSError):
        return "unreachable"
    return getattr(status, "value", str(status))


# rq states in which a claimed job will still run (or cannot be known while Redis is away).
UNDERWAY = frozenset({"queued", "started", "deferred", "scheduled", "unreachable"})


def enqueue_once(queue: str, func, *args, claim: str, hold_seconds: int, **kwargs) -> Enqueued:
    """Enqueue unless a job for the same claim is queued or running: many first viewers, one job.

    The claim is a Redis key taken with one atomic SET NX, then holding the job's id; parallel requests cannot
    both take it. A later request finds whether that job has ended (failed, or its result gone) and then takes
    the claim over — atomically, so only one of them enqueues again. `hold_seconds` bounds a claim whose request
    died before it could enqueue. In-process (no Redis), the job simply runs.
    """
    if current_app.extensions.get("jobs_inline", True):
        return enqueue(queue, func, *args, **kwargs)
    from redis.exceptions import RedisError

    key = queue_name(f"wagewatch:once:{claim}")
    try:
        with connection() as redis:
            if not redis.set(key, "", nx=True, ex=hold_seconds) and not _took_over(redis, key, hold_seconds):
                return Enqueued(started=True)  # an earlier request's job is queued or running
            done = enqueue(queue, func, *args, **kwargs)
            if done.started:
                redis.set(key, done.job_id, ex=hold_seconds)
            else:
                redis.delete(key)  # nothing runs: the next request tries again
            return done
    except (RedisError, OSError):
        return Enqueued(started=False, message=CANNOT_START)


def _took_over(redis, key: str, hold_seconds: int) -> bool:
    """Take the claim when the job it names has ended; False while it is underway or another request won."""
    from redis.exceptions import WatchError

    with redis.pipeline() as pipe:
        try:
            pipe.watch(key)
            holder = pipe.get(key)
            if holder is None or not holder or job_state(holder.decode()) in UNDERWAY:
                return False  # gone a moment ago (the next view claims it), being enqueued, or underway
            pipe.multi()
            pipe.set(key, "", ex=hold_seconds)
            pipe.execute()
            return True
        except WatchError:
            return False
