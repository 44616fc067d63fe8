#!/usr/bin/env python3
"""Writes a SYNTHETIC stress-test telemetry log in the exact format of the sampler (scripts/sample-telemetry.sh)
(nvidia-smi --query-gpu=timestamp,index,uuid,pstate,temperature.gpu,power.draw,power.limit,
utilization.gpu,utilization.memory,memory.used,clocks.sm,clocks.mem,pcie.link.gen.current,
pcie.link.width.current,fan.speed,clocks_event_reasons.active --format=csv,nounits -lms N).

Deterministic (seeded) so that benchmark runs compare like with like. Values follow a loaded
RTX 5090 (575 W limit, Gen5 x16, 14001 MHz memory clock); nothing here is a real capture.

  generate-telemetry.py --gpus 4 --seconds 86400 --interval 1 --output telemetry.csv
  generate-telemetry.py --target-bytes 1073741824 --output big.csv   # ~1 GB: repeat days
"""
import argparse
import datetime
import random
import sys

HEADER = ("timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], "
          "utilization.gpu [%], utilization.memory [%], memory.used [MiB], clocks.sm [MHz], "
          "clocks.mem [MHz], pcie.link.gen.current, pcie.link.width.current, fan.speed [%], "
          "clocks_event_reasons.active\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gpus", type=int, default=4)
    p.add_argument("--seconds", type=int, default=86400)
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--target-bytes", type=int, default=0, help="keep writing days until the file is this big")
    p.add_argument("--seed", type=int, default=5090)
    p.add_argument("--uuids", default="", help="comma-separated GPU UUIDs (default: seeded random ones)")
    p.add_argument("--start", default="2026-11-28T10:00:00", help="time of the first sample (UTC, ISO)")
    p.add_argument("--no-throttle", action="store_true", help="never set a throttling clock-event bit")
    p.add_argument("--output", required=True)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    uuids = ["GPU-%08x-%04x-%04x-%04x-%012x" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(16),
                                                 rnd.getrandbits(16), rnd.getrandbits(48)) for _ in range(a.gpus)]
    if a.uuids:
        uuids = a.uuids.split(",")
        if len(uuids) != a.gpus:
            p.error("--uuids names %d GPUs, --gpus says %d" % (len(uuids), a.gpus))
    start = datetime.datetime.fromisoformat(a.start)
    written = 0
    step = 0
    with open(a.output, "w", encoding="ascii", newline="\n") as out:
        out.write(HEADER)
        written += len(HEADER)
        while True:
            steps = int(a.seconds / a.interval)
            for _ in range(steps):
                base = start + datetime.timedelta(seconds=step * a.interval)
                for i in range(a.gpus):
                    t = base + datetime.timedelta(milliseconds=rnd.randint(0, 3) + i)
                    temp = 70 + i + rnd.randint(-3, 8)
                    util = 100 if rnd.random() > 0.02 else rnd.randint(0, 99)
                    draw = 540 + rnd.random() * 35
                    mask = 0x4
                    if rnd.random() < 0.001 and not a.no_throttle:
                        mask |= 0x20
                    line = "%s, %d, %s, P1, %d, %.2f, 575.00, %d, %d, %d, %d, 14001, %d, 16, %d, 0x%016x\n" % (
                        t.strftime("%Y/%m/%d %H:%M:%S.") + "%03d" % (t.microsecond // 1000), i, uuids[i], temp,
                        draw, util, 30 + rnd.randint(0, 10), 30521, 2600 + rnd.randint(0, 200),
                        5 if util >= 50 or rnd.random() < 0.5 else 1, 60 + rnd.randint(0, 15), mask)
                    out.write(line)
                    written += len(line)
                step += 1
            if written >= a.target_bytes:
                break
    print("wrote %s: %d bytes, %d samples per GPU" % (a.output, written, step), file=sys.stderr)


if __name__ == "__main__":
    main()
