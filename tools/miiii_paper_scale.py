"""Train the miiii chapter's runs at the paper's scale (p = 113, d = 256) on one GPU, in parallel.

Usage (on a machine with a CUDA device; ``src`` on ``PYTHONPATH`` or the package installed)::

    python tools/miiii_paper_scale.py --out DIR --minutes 7

It first checks the CUDA path with a few-epoch run at p = 11, times 300 epochs of T_miiii alone, then starts
one ``tinymech miiii`` process per task (T_miiii, T_nanda, T_basis, T_masked, in that priority), all with the
paper's Table 2 settings (:class:`tinymech.miiii.training.TrainingConfig` defaults: dropout 0.1, Grokfast
lambda 0.5 and alpha 0.98, weight decay 1/3, lr 3e-4, 4 heads, d 256, 65,536 epochs, train fraction 0.5 as
in the authors' final repository configuration) and 17 log-spaced snapshots (every power of two up to
65,536, so the paper's epochs 256, 1,024, 4,096, 16,384 and 65,536 are among them).  A run that reaches
``--minutes`` of wall time stops at its next logged epoch and records the epoch it reached and its
planned horizon (``snapshot_horizon``).  Each run writes ``DIR/<task>_p113_d256.pth`` and its record.

``--p 11 --d 32 --epochs 200 --device cpu`` runs the same script on a CPU in seconds (a test of the script).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

TASKS = ("miiii", "nanda", "basis", "masked")


def command(
    task: str, args, output: Path | None, *, epochs: int, minutes: float | None
) -> list[str]:
    """The ``tinymech miiii`` command line of one run."""
    line = [
        sys.executable,
        "-m",
        "tinymech.cli",
        "miiii",
        "--task",
        task,
        "--p",
        str(args.p),
        "--d",
        str(args.d),
        "--epochs",
        str(epochs),
        "--log-every",
        str(args.log_every),
        "--n-snapshots",
        str(args.n_snapshots),
        "--device",
        args.device,
        "--threads",
        "1",
    ]
    if minutes is not None:
        line += ["--max-minutes", str(minutes)]
    if output is not None:
        line += ["--output", str(output)]
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--minutes", type=float, default=7.0)
    parser.add_argument("--p", type=int, default=113)
    parser.add_argument("--d", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=65536)
    parser.add_argument("--log-every", type=int, default=64)
    parser.add_argument("--n-snapshots", type=int, default=17)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=TASKS)
    parser.add_argument(
        "--probe-epochs", type=int, default=300, help="epochs of the timing probe (0: none)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    env = dict(os.environ, PYTHONUNBUFFERED="1")

    smoke = subprocess.run(
        command(
            "miiii",
            argparse.Namespace(**{**vars(args), "p": 11, "d": 32}),
            None,
            epochs=20,
            minutes=None,
        ),
        env=env,
        capture_output=True,
        text=True,
    )
    print(
        "smoke test (p = 11, 20 epochs):",
        smoke.returncode,
        smoke.stdout.strip()[-300:],
        flush=True,
    )
    if smoke.returncode != 0:
        print(smoke.stderr[-4000:])
        return 1
    if args.probe_epochs:
        start = time.perf_counter()
        probe = subprocess.run(
            command("miiii", args, None, epochs=args.probe_epochs, minutes=None),
            env=env,
            capture_output=True,
            text=True,
        )
        print(
            f"probe: {args.probe_epochs} epochs of T_miiii alone (with start-up, logs and snapshots) in "
            f"{time.perf_counter() - start:.1f} s:",
            probe.stdout.strip()[-200:],
            flush=True,
        )
        if probe.returncode != 0:
            print(probe.stderr[-4000:])
            return 1

    running = {}
    for task in args.tasks:
        output = args.out / f"{task}_p{args.p}_d{args.d}.pth"
        log = open(logs / f"{task}.log", "w")
        running[task] = (
            subprocess.Popen(
                command(task, args, output, epochs=args.epochs, minutes=args.minutes),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            ),
            log,
        )
    failed = 0
    for task, (process, log) in running.items():
        process.wait()
        log.close()
        text = (logs / f"{task}.log").read_text()
        summary = [line for line in text.splitlines() if line.startswith("{")]
        print(
            f"{task}: exit {process.returncode}; {summary[-1] if summary else text[-1500:]}",
            flush=True,
        )
        if summary:
            reached = json.loads(summary[-1])
            print(
                f"  {task}: {reached['epochs']} epochs in {reached['seconds']} s, "
                f"{1000 * reached['seconds'] / reached['epochs']:.2f} ms per epoch",
                flush=True,
            )
        failed += process.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
