"""The big derived tables of the region-scale data set, written by INSERT … SELECT inside PostgreSQL.

Every choice is a deterministic function of ids and days (no random()), so a seed and a scale give one data set.
Shares follow the rules' thresholds so that each screen has its warnings: about one project in ten misses the
R1 attendance-update ratio, one in thirteen pays only part of its workers, one in seventeen meets bank failures,
one in twenty-nine pays below the minimum wage, one in twenty submits no payroll sheet (R2), and older
complaints are closed while recent ones run through every R3 state.
"""
from datetime import date, datetime, time, timedelta

from sqlalchemy import text

from wagewatch.clock import BEIJING

ACTIVE = "p.review_status = 'approved' AND p.status = 'in_progress'"

TEAMS = """
INSERT INTO teams (project_id, name, subcontractor_id)
SELECT p.id, t.name, 1 + (p.id * 7 + t.k) % :enterprises
FROM projects p CROSS JOIN (VALUES (0, '钢筋班'), (1, '木工班'), (2, '混凝土班')) AS t(k, name)
WHERE p.review_status = 'approved'"""

# Nineteen workers in twenty are on a project under way (在建), the others on any approved one; one in ten has
# left in the last 30 days (and worked until then).
EMPLOYMENTS = """
WITH approved AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, status FROM projects
                  WHERE review_status = 'approved'),
     building AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, status FROM projects
                  WHERE review_status = 'approved' AND status = 'in_progress'),
     sized AS (SELECT (SELECT count(*) FROM approved) AS approved, (SELECT count(*) FROM building) AS building),
     placed AS (
       SELECT w.id AS worker_id, p.id AS project_id, p.status FROM workers w CROSS JOIN sized
       JOIN approved p ON w.id % 20 = 0 AND p.k = ((w.id::bigint * 2654435761) % 4294967296) % sized.approved
       UNION ALL
       SELECT w.id, p.id, p.status FROM workers w CROSS JOIN sized
       JOIN building p ON w.id % 20 <> 0 AND p.k = ((w.id::bigint * 2654435761) % 4294967296) % sized.building),
     trades AS (SELECT array_agg(code ORDER BY code) AS codes FROM trade_codes)
INSERT INTO employments (worker_id, project_id, team_id, trade_code, role, contract_signed, joined_on, left_on)
SELECT e.worker_id, e.project_id, t.id, trades.codes[1 + e.worker_id % array_length(trades.codes, 1)],
       CASE WHEN e.worker_id % 25 = 0 THEN 10 ELSE 20 END,
       (e.worker_id * 7) % 100 < CASE WHEN e.project_id % 11 = 0 THEN 70 ELSE 97 END,
       CAST(:today AS date) - (40 + e.worker_id % 500),
       CASE WHEN e.status = 'completed' OR (e.worker_id * 3) % 100 < 10
            THEN CAST(:today AS date) - (1 + e.worker_id % 30) END
FROM placed e CROSS JOIN trades
JOIN teams t ON t.project_id = e.project_id
 AND t.name = (ARRAY['钢筋班', '木工班', '混凝土班'])[1 + e.worker_id % 3]"""

ATTENDS = """(e.worker_id * 31 + :d * 17) % 100 < CASE WHEN e.project_id % 10 = 0 THEN 55 ELSE 92 END"""

# A present worker punches in between 08:00 and 09:30 and out between 18:00 and 20:00; one day in twenty the
# punch out is missing. The daily rows are what the aggregation (jobs/aggregation.py) makes of these punches,
# computed from the same expressions instead of being read back (check_day_matches proves they agree).
SHIFT = f"""
FROM employments e JOIN projects p ON p.id = e.project_id AND {ACTIVE}
CROSS JOIN LATERAL (SELECT
    CAST(:start AS timestamptz) + make_interval(mins => 480 + (e.worker_id * 7 + :d) % 90) AS punch_in,
    CAST(:start AS timestamptz) + make_interval(mins => 1080 + (e.worker_id * 13 + :d) % 120) AS punch_out,
    (e.worker_id + :d) % 20 <> 0 AS punched_out) AS s"""
# On the roster that day (left_on is the last day worked, as the wage checks read it) and attending.
PRESENT = (f"e.joined_on <= CAST(:day AS date) AND (e.left_on IS NULL OR CAST(:day AS date) <= e.left_on) "
           f"AND {ATTENDS}")
# The nightly aggregation (01:00 Beijing, the next day) wrote the row.
AGGREGATED = "CAST(:start AS timestamptz) + interval '25 hours'"

PUNCHES = f"""
INSERT INTO punches (worker_id, project_id, punched_at, device_id, received_at)
SELECT e.worker_id, e.project_id, v.at, 'GATE-' || e.project_id, v.at + interval '4 minutes'
{SHIFT} CROSS JOIN LATERAL (VALUES (s.punch_in, true), (s.punch_out, s.punched_out)) AS v(at, kept)
WHERE {PRESENT} AND v.kept"""

DAYS_OF_PUNCHES = f"""
INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status,
                             first_aggregated_at)
SELECT e.project_id, e.worker_id, CAST(:day AS date), s.punch_in,
       CASE WHEN s.punched_out THEN s.punch_out ELSE s.punch_in END, CASE WHEN s.punched_out THEN 2 ELSE 1 END,
       CASE WHEN s.punched_out THEN CAST(extract(epoch FROM s.punch_out - s.punch_in) / 60 AS integer) ELSE 0 END,
       CASE WHEN s.punched_out THEN 'normal' ELSE 'single' END, {AGGREGATED}
{SHIFT}
WHERE {PRESENT}"""

# The same day aggregated from the punches as the aggregation does it, compared with the rows written.
DAY_MISMATCHES = """
SELECT count(*) FROM (
  SELECT project_id, worker_id, min(punched_at) AS first_in, max(punched_at) AS last_out, count(*) AS punches,
         CAST(extract(epoch FROM max(punched_at) - min(punched_at)) / 60 AS integer) AS work_minutes,
         CASE WHEN count(*) = 1 THEN 'single' ELSE 'normal' END AS status
  FROM punches WHERE punched_at >= :start AND punched_at < :end GROUP BY project_id, worker_id) AS a
FULL JOIN (SELECT * FROM attendance_days WHERE day = :day) AS d USING (project_id, worker_id)
WHERE d.id IS NULL OR a.punches IS NULL OR a.first_in <> d.first_in OR a.last_out <> d.last_out
   OR a.punches <> d.punches OR a.work_minutes <> d.work_minutes OR a.status <> d.status"""

# Days of the payroll month older than the punches kept: daily rows as the aggregation left them.
DAYS_WITHOUT_PUNCHES = f"""
INSERT INTO attendance_days (project_id, worker_id, day, first_in, last_out, punches, work_minutes, status,
                             first_aggregated_at)
SELECT e.project_id, e.worker_id, CAST(:day AS date), CAST(:start AS timestamptz) + interval '8 hours 30 minutes',
       CAST(:start AS timestamptz) + interval '18 hours 45 minutes', 2, 615, 'normal', {AGGREGATED}
FROM employments e JOIN projects p ON p.id = e.project_id AND {ACTIVE}
WHERE {PRESENT}"""

PAYROLLS = f"""
INSERT INTO payrolls (payroll_no, project_id, month, team_id, submitted_at, status, created_at)
SELECT 'GZ' || replace(:month, '-', '') || lpad(t.id::text, 8, '0'), t.project_id, :month, t.id, :submitted,
       'submitted', :submitted
FROM teams t JOIN projects p ON p.id = t.project_id AND {ACTIVE}
WHERE p.id % 20 <> 0"""

PAYROLL_LINES = """
INSERT INTO payroll_lines (payroll_id, worker_id, days_worked, amount_due, amount_paid, is_back_pay, pay_status,
                           fail_reason, paid_at, bank_batch_no)
SELECT pr.id, a.worker_id, a.days, a.days * a.rate,
       CASE WHEN a.outcome = 'paid' THEN a.days * a.rate END, false, a.outcome,
       CASE WHEN a.outcome = 'failed' THEN '账户状态异常' END,
       CASE WHEN a.outcome = 'paid' THEN CAST(:paid_at AS timestamptz) END,
       CASE WHEN a.outcome IN ('paid', 'failed') THEN 'B' || replace(:month, '-', '') || lpad(pr.id::text, 8, '0') END
FROM (SELECT d.project_id, d.worker_id, count(*) AS days,
             CASE WHEN d.project_id % 29 = 0 THEN 70 WHEN d.worker_id % 4999 = 0 THEN 2500
                  ELSE 220 + d.worker_id % 180 END AS rate,
             CASE WHEN d.project_id % 17 = 0 AND d.worker_id % 5 = 0 THEN 'failed'
                  WHEN d.project_id % 13 = 0 AND d.worker_id % 10 < 3 THEN 'pending'
                  WHEN d.worker_id % 97 = 0 THEN 'retrying'
                  ELSE 'paid' END AS outcome
      FROM attendance_days d WHERE d.day BETWEEN :first AND :last GROUP BY d.project_id, d.worker_id) AS a
JOIN employments e ON e.project_id = a.project_id AND e.worker_id = a.worker_id
JOIN payrolls pr ON pr.team_id = e.team_id AND pr.month = :month"""

COMPLAINT_EVENTS = """
INSERT INTO complaint_events (complaint_id, at, actor, kind, note)
SELECT id, submitted_at, 'complainant', 'submitted', '' FROM complaints
UNION ALL SELECT id, read_at, 'enterprise', 'enterprise_read', '' FROM complaints WHERE read_at IS NOT NULL
UNION ALL SELECT id, handled_at, 'enterprise', 'enterprise_handled', '已与施工单位核实，工资已安排发放'
          FROM complaints WHERE handled_at IS NOT NULL
UNION ALL SELECT id, submitted_at + interval '3 days 1 hour', 'system', 'pushed', '企业逾期未处理，已推送监管'
          FROM complaints WHERE supervision_status <> 'none'
UNION ALL SELECT id, submitted_at + interval '3 days 2 hours', 'regulator', 'supervised', '请施工总承包单位三日内处理并回复'
          FROM complaints WHERE supervision_status IN ('supervising', 'done')
UNION ALL SELECT id, greatest(handled_at, submitted_at + interval '3 days 2 hours') + interval '1 hour', 'regulator',
                 'supervision_closed', '' FROM complaints
          WHERE supervision_status = 'done'
UNION ALL SELECT id, appealed_at, 'complainant', 'appealed', '对处理结果不满意' FROM complaints
          WHERE appealed_at IS NOT NULL
UNION ALL SELECT id, closed_at, 'regulator', 'closed', '' FROM complaints WHERE closed_at IS NOT NULL"""


def day_start(day: date) -> datetime:
    """Beijing midnight of a day, as an aware datetime (PostgreSQL converts it to UTC)."""
    return datetime.combine(day, time(), BEIJING)


def punched_day(day: date, back: int):
    """The task writing one punched day: its punches and its daily rows (counts of both)."""
    start = day_start(day)

    def task(connection) -> tuple[int, int]:
        values = {"start": start, "d": back, "day": day}
        return (connection.execute(text(PUNCHES), values).rowcount,
                connection.execute(text(DAYS_OF_PUNCHES), values).rowcount)
    return task


def older_day(day: date, before: date):
    """The task writing the daily rows of a payroll-month day older than the punches kept."""
    def task(connection) -> int:
        return connection.execute(text(DAYS_WITHOUT_PUNCHES), {
            "day": day, "start": day_start(day), "d": (before - day).days}).rowcount
    return task


def check_day_matches(connection, day: date) -> int:
    """Daily rows of `day` that differ from the aggregation of its punches (0 when the set is consistent)."""
    return connection.execute(text(DAY_MISMATCHES), {
        "day": day, "start": day_start(day), "end": day_start(day + timedelta(days=1))}).scalar_one()


# Complaints against projects of the region, by workers on their rosters; h is the case's age in hours, and the
# case has gone as far through R3 as its age and its number allow (some enterprises read or handle late).
COMPLAINTS = """
WITH base AS (
  SELECT n, e.worker_id, e.project_id, (n * 37) % 8760 AS h,
         CAST(:now AS timestamptz) - make_interval(hours => (n * 37) % 8760, mins => n % 60) AS sub
  FROM generate_series(1, :count) AS n
  JOIN employments e ON e.id = 1 + (n::bigint * 7919) % :employments),
steps AS (
  SELECT b.*,
    CASE WHEN b.h > 30 OR n % 3 <> 0 THEN b.sub + make_interval(hours => 1 + n % 40) END AS read_at,
    CASE WHEN b.h > 100 AND n % 9 <> 0 THEN b.sub + make_interval(hours => 30 + n % 70) END AS handled_at
  FROM base b),
ends AS (
  SELECT s.*,
    CASE WHEN s.handled_at IS NOT NULL AND n % 7 = 0 AND s.h > 160 THEN s.handled_at + interval '2 days' END
      AS appealed_at,
    CASE WHEN s.handled_at IS NOT NULL AND s.h > 400 AND n % 7 <> 0 THEN s.handled_at + interval '5 days' END
      AS closed_at
  FROM steps s)
INSERT INTO complaints (complaint_no, project_id, project_name, contractor_name, region_code, prefecture_code,
    industry, complainant_name, complainant_id_enc, complainant_id_hash, complainant_id_masked, complainant_phone,
    type, amount_claimed, workers_involved, description, submitted_at, read_at, handled_at, appealed_at,
    closed_at, status, appeal_status, supervision_status, checks, created_at)
SELECT 'TS' || to_char(x.sub AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(x.n::text, 7, '0'), p.id, p.name,
       c.name, p.region_code, p.prefecture_code, p.industry, w.name, w.id_number_enc, w.id_number_hash,
       w.id_number_masked, w.phone, (ARRAY['拖欠工资', '拖欠工资', '拖欠工资', '克扣工资', '未签劳动合同', '其他'])[1 + x.n % 6],
       2000 + (x.n % 40) * 500, CASE WHEN x.n % 15 = 0 THEN 2 + x.n % 20 ELSE 1 END,
       '本人在该工程务工，工资至今未结清，请求协调解决。', x.sub, x.read_at, x.handled_at, x.appealed_at, x.closed_at,
       CASE WHEN x.closed_at IS NOT NULL THEN 'closed' WHEN x.handled_at IS NOT NULL THEN 'handled' ELSE 'open' END,
       CASE WHEN x.appealed_at IS NULL THEN 'none' WHEN x.h > 300 THEN 'handled' ELSE 'open' END,
       CASE WHEN x.handled_at IS NULL AND x.h > 72 THEN (CASE WHEN x.n % 4 = 0 THEN 'supervising' ELSE 'pushed' END)
            WHEN x.handled_at > x.sub + interval '72 hours' THEN 'done' ELSE 'none' END,
       CAST(CASE WHEN x.n % 11 = 0 THEN '[{"code": "no_recent_attendance", "label": "投诉人近三个月无考勤记录"}]'
                 ELSE '[]' END AS json),
       x.sub
FROM ends x JOIN workers w ON w.id = x.worker_id JOIN projects p ON p.id = x.project_id
JOIN enterprises c ON c.id = p.contractor_id"""
