"""Bench: Lighthouse 12.2.3 (mobile, its default throttling) over every screen, signed in, on the demo data set.

Run: .venv/bin/python bench/lighthouse.py [--scale 0.3] [--tiny] [--keep-json DIR] [--screen PATH …]
Lighthouse is installed beside the script on the first run (Node 20, npm; bench/.lighthouse is not committed):
    mkdir -p bench/.lighthouse && cd bench/.lighthouse && npm install --no-save lighthouse@12.2.3
Builds the demo data set on SQLite, serves it with gunicorn on a free loopback port, signs in through
`--extra-headers` (a session cookie per role) and prints performance, accessibility and best-practices per
screen, beside the bare baseline: the static login page (no data, no session, the same frame and files) and each
screen's performance as a ratio to it. Goal (DESIGN §8): accessibility 100, best practices 100, performance ≥ 95.
--tiny: a small data set and two screens (the test suite's smoke run; the goal is reported, not enforced).
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_site import BASELINE, CHROME_FLAGS, CHROMIUM, demo_site, every_screen  # noqa: E402

HERE = Path(__file__).resolve().parent / ".lighthouse"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices")
GOAL = {"performance": 95, "accessibility": 100, "best-practices": 100}


def audit(url: str, cookie: str | None, keep: Path | None = None) -> tuple[dict, list[str]]:
    """Scores 0–100 per category, and the titles of the audits that cost points."""
    command = ["node", str(CLI), url, "--output=json", "--output-path=stdout", "--quiet",
               "--only-categories=" + ",".join(CATEGORIES), "--chrome-flags=" + " ".join(CHROME_FLAGS)]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "CHROME_PATH": CHROMIUM})
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / (url.split("/", 3)[-1].replace("/", "_") or "home")).with_suffix(".json").write_text(result.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                value = found.get("displayValue") or ""
                lost.append(f"{name}: {ref['id']} {value}".strip())
    return scores, lost


def line(label: str, scores: dict, baseline: dict) -> str:
    perf = scores["performance"]
    ratio = f"{perf / baseline['performance']:.2f}" if baseline["performance"] else "n/a"
    short = "" if all(scores[name] >= GOAL[name] for name in CATEGORIES) else "  BELOW GOAL"
    return (f"{label:<28} performance {perf:>3}  accessibility {scores['accessibility']:>3}  "
            f"best-practices {scores['best-practices']:>3}  ratio performance/baseline {ratio}{short}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--keep-json", type=Path)
    parser.add_argument("--screen", action="append", help="only this path (repeatable)")
    args = parser.parse_args()
    if not CLI.exists():
        print(f"installing lighthouse@{VERSION} into {HERE}", flush=True)
        HERE.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
                       cwd=HERE, check=True, timeout=600)
    pairs = [pair for pair in every_screen() if not args.screen or pair[1] in args.screen]
    if args.tiny:
        args.scale, pairs = 0.03, [pair for pair in pairs if pair[1] in ("/", "/complaints")]
    print(f"Lighthouse {VERSION}, mobile with its default throttling, Chromium {CHROMIUM}")
    with demo_site(args.scale) as (base, cookies):
        audit(base + BASELINE, None)  # warm-up: the server's first requests load templates
        baseline, _lost = audit(base + BASELINE, None, args.keep_json)
        print(line(f"{BASELINE} (baseline)", baseline, baseline), flush=True)
        below = []
        for role, path in pairs:
            scores, lost = audit(base + path, cookies[role], args.keep_json)
            print(line(f"{path} ({role})", scores, baseline), flush=True)
            for item in lost:
                print(f"    lost: {item}")
            if any(scores[name] < GOAL[name] for name in CATEGORIES):
                below.append(path)
    print(f"goal: accessibility {GOAL['accessibility']}, best-practices {GOAL['best-practices']}, "
          f"performance ≥ {GOAL['performance']}; below goal: {', '.join(below) or 'none'}")
    return 1 if below and not args.tiny else 0


if __name__ == "__main__":
    sys.exit(main())
