"""The nightly schedule, loaded by `rq cron jobs.schedule`.

The times below are UTC: 17:00 UTC is 01:00 Beijing time. rq's cron reads cron strings in the local time of
the `rq cron` process, so utc_cron() shifts the hour by that process's UTC offset (0 on a UTC server).
"""
from datetime import datetime

from rq import cron

from jobs.aggregation import aggregate_attendance
from jobs.complaints import push_overdue_complaints
from jobs.indicators import refresh_indicators
from jobs.maintenance import purge_expired_records, purge_old_exports
from jobs.partitions import create_punch_partitions
from jobs.wages import refresh_wage_progress

AGGREGATE_AT_UTC = (0, 17)  # (minute, hour): 01:00 Beijing
WAGES_AT_UTC = (20, 17)     # after the aggregation (考勤人数) and past midnight (due days): 01:20 Beijing
PURGE_AT_UTC = (30, 17)     # after the aggregation: 01:30 Beijing
RECORDS_AT_UTC = (45, 17)   # 01:45 Beijing
INDICATORS_AT_UTC = (20, 17)  # R1 and 数据通报 read the aggregated attendance: 01:20 Beijing
PARTITIONS_AT_UTC = (50, 17)  # the punches' coming monthly partitions: 01:50 Beijing
PUSH_EVERY_MINUTES = 15     # an overdue case reaches its regulators within a quarter of an hour


def utc_cron(minute: int, hour: int) -> str:
    offset = datetime.now().astimezone().utcoffset()
    shift_minutes = int(offset.total_seconds() // 60) if offset else 0
    total = (hour * 60 + minute + shift_minutes) % (24 * 60)
    return f"{total % 60} {total // 60} * * *"


cron.register(aggregate_attendance, queue_name="nightly", cron=utc_cron(*AGGREGATE_AT_UTC), job_timeout=3600,
              name="aggregate_attendance")
cron.register(purge_old_exports, queue_name="nightly", cron=utc_cron(*PURGE_AT_UTC), job_timeout=600,
              name="purge_old_exports")
cron.register(purge_expired_records, queue_name="nightly", cron=utc_cron(*RECORDS_AT_UTC), job_timeout=600,
              name="purge_expired_records")
cron.register(refresh_wage_progress, queue_name="nightly", cron=utc_cron(*WAGES_AT_UTC), job_timeout=3600,
              name="refresh_wage_progress")
cron.register(refresh_indicators, queue_name="nightly", cron=utc_cron(*INDICATORS_AT_UTC), job_timeout=3600,
              name="refresh_indicators")
cron.register(create_punch_partitions, queue_name="nightly", cron=utc_cron(*PARTITIONS_AT_UTC), job_timeout=600,
              name="create_punch_partitions")
cron.register(push_overdue_complaints, queue_name="nightly", cron=f"*/{PUSH_EVERY_MINUTES} * * * *", job_timeout=600,
              name="push_overdue_complaints")
