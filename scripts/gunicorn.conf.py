"""gunicorn settings for WageWatch in production (scripts/production.sh passes `-c scripts/gunicorn.conf.py`).

Threaded workers: requests are short (lists and panes answer in well under a second; exports and the nightly
work run on rq workers), but a sign-in spends ~0.5 s in argon2. argon2 releases the GIL, so with a few threads
per worker the pages of other regulators are served meanwhile instead of queueing behind a burst of sign-ins
(the load test measured a 3.2 s p95 with sync workers during 200 sign-ins, 187 ms once they were done).
"""
import multiprocessing
import os

bind = os.environ.get("WAGEWATCH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("WAGEWATCH_WEB_THREADS", "4"))
# A request still running after 30 s is killed and its worker replaced; the PostgreSQL statement timeout
# (WAGEWATCH_STATEMENT_TIMEOUT_MS, 10 s) stops a runaway query well before that.
timeout = int(os.environ.get("WAGEWATCH_WEB_TIMEOUT", "30"))
# On SIGHUP or SIGTERM, workers finish the requests in flight for up to this long (graceful restarts).
graceful_timeout = 30
# An idle keep-alive connection stays open 75 s (nginx's own default towards browsers). A shorter time races
# with clients that pause to read: the server closes the connection just as the next request is sent on it, and
# that request fails (1 of 4,564 in the load run with 5 s, where regulators read for 5–20 s between requests).
# Waiting connections cost a gthread worker no thread, only a socket.
keepalive = int(os.environ.get("WAGEWATCH_KEEPALIVE", "75"))
# Workers are not recycled after N requests (WAGEWATCH_MAX_REQUESTS, 0 = never): a recycled worker closes its
# keep-alive connections, and a request a client sent on one at that moment fails (2 of 4,562 in the load run at
# full scale), then the new worker answers its first requests cold. Memory needs no recycling: the load runs
# measured each worker's RSS flat over 5 minutes of 200 regulators (bench/RESULTS.md).
max_requests = int(os.environ.get("WAGEWATCH_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Our own JSON line per request (wagewatch/observability.py) carries the request id; no second access log.
accesslog = None
errorlog = "-"
loglevel = "info"
# Trust X-Forwarded-* only from the local reverse proxy (WAGEWATCH_PROXY_HOPS tells the app how many).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Move everything the app allocated at start-up (models, templates, reference data: ~180,000 objects) out
    of the garbage collector's reach. A full collection then scans only what requests allocate: measured on the
    region-scale set, it fell from ~100 ms — a 200 ms answer in one of every few hundred — to ~10 ms."""
    import gc

    gc.collect()  # start-up garbage first: frozen, it would never be freed
    gc.freeze()
