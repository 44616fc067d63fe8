#!/usr/bin/python3
"""Reads the transcript of `ansible-playbook --check` (default callback, also what `vault
provision --check` prints) and checks which roles' tasks really ran.

  check_mode_coverage.py TRANSCRIPT --converged ROLE... --covered ROLE...

--converged: roles already converged on the target; in check mode they must predict no change.
--covered:   roles whose tasks must have run (ok or changed) at least once each; skipped tasks
             (vendor repositories, live-host only) do not count.
Prints a per-role table and exits 1 when a condition fails.
"""
import argparse
import re
import sys
from collections import defaultdict

TASK = re.compile(r"^TASK \[(?:(?P<role>[\w.]+) : )?(?P<name>.*)\] \**$")
RESULT = re.compile(r"^(?P<status>ok|changed|skipping|fatal|failed): \[")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcript")
    parser.add_argument("--converged", nargs="*", default=[])
    parser.add_argument("--covered", nargs="*", default=[])
    args = parser.parse_args()

    ran = defaultdict(set)        # role -> task names that ran (ok or changed)
    changed = defaultdict(set)    # role -> task names that would change
    skipped = defaultdict(set)
    role, task = None, None
    with open(args.transcript, encoding="utf-8", errors="replace") as transcript:
        for line in transcript:
            line = line.rstrip("\n")
            match = TASK.match(line)
            if match:
                role, task = match.group("role"), match.group("name")
                continue
            match = RESULT.match(line)
            # The role's argument validation runs in every mode; it is not coverage.
            if match and role and not task.startswith("Validating arguments against arg spec"):
                status = match.group("status")
                if status in ("ok", "changed"):
                    ran[role].add(task)
                if status == "changed":
                    changed[role].add(task)
                if status == "skipping":
                    skipped[role].add(task)

    problems = []
    print(f"{'role':26} {'ran':>4} {'would change':>13} {'skipped':>8}")
    for name in args.converged + args.covered:
        print(f"{name:26} {len(ran[name]):4} {len(changed[name]):13} {len(skipped[name] - ran[name]):8}")
    for name in args.converged:
        if not ran[name]:
            problems.append(f"{name}: no task ran")
        for task_name in sorted(changed[name]):
            problems.append(f"{name}: converged twice, yet check mode says '{task_name}' would change")
    for name in args.covered:
        if not ran[name]:
            problems.append(f"{name}: no task ran in check mode")
    for name in args.covered:
        for task_name in sorted(ran[name]):
            print(f"  {name}: ran '{task_name}'")
    for problem in problems:
        print(f"check-mode coverage: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
