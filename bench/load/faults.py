"""The fault cases, one after another during the load: a worker process SIGKILLed mid-recompute,
Redis stopped and started, PostgreSQL restarted; and whether each was survived."""

import json
import os
import signal
import time
from dataclasses import dataclass, field

from bench.common.servers import wait_until
from bench.load.stack import Stack, broker_call


@dataclass
class Fault:
    name: str
    started: float = 0.0
    ended: float = 0.0
    survived: bool | None = None
    detail: dict = field(default_factory=dict)


def worker_kill(stack: Stack) -> Fault:
    """SIGKILL the pool process of worker1 while it runs a recompute; acks-late redelivers it."""
    from milestones.tasks import recompute_all

    fault = Fault("SIGKILL a worker process mid-recompute", started=time.monotonic())
    recompute_all.delay()
    enqueued = time.monotonic()
    victim = None

    def running() -> bool:
        nonlocal victim, enqueued
        inspect = lambda app: app.control.inspect(destination=["worker1@load"], timeout=0.5).active()  # noqa: E731
        active = broker_call(inspect) or {}
        for task in active.get("worker1@load", []):
            # The tasks that compute statuses (recompute_all only fans out batches of them).
            if task["name"].endswith(("recompute_trust", "recompute_trusts", "recompute_target")):
                victim = task
                return True
        # worker2 (or a quick worker1) may have run the whole fan-out between two looks: ask again.
        if time.monotonic() - enqueued > 2:
            recompute_all.delay()
            enqueued = time.monotonic()
        return False

    if wait_until(running, 30, interval=0.1):
        os.kill(victim["worker_pid"], signal.SIGKILL)
        fault.detail = {"task": victim["name"], "task_id": victim["id"], "killed_pid": victim["worker_pid"]}
        # The worker replaces its lost process; it must answer again.
        answered = wait_until(
            lambda: bool(broker_call(lambda app: app.control.ping(destination=["worker1@load"], timeout=0.5))),
            30,
            interval=0.5,
        )
        fault.detail["worker_answers_after"] = answered
        # The next fault waits for the redelivered task to finish, so each is judged alone.
        wait_until(lambda: stack.task_log_counts(victim["id"])[1] > 0, 30, interval=0.5)
        fault.detail["finished_after_seconds"] = round(time.monotonic() - fault.started, 1)
        # And, once the queue drains, the killed task finished once (killed_task_check) and
        # the statuses are correct (checks.verify).
        fault.survived = answered
    else:
        fault.detail = {"error": "no recompute was running on worker1 within 30 s"}
        fault.survived = False
    fault.ended = time.monotonic()
    return fault


def redis_outage(stack: Stack, seconds: float) -> Fault:
    fault = Fault("Redis stopped and started", started=time.monotonic())
    stack.redis.stop()
    time.sleep(min(1.0, seconds / 2))
    status, text = stack.http_status("/readyz")
    fault.detail["readyz_during"] = status
    fault.detail["readyz_redis_check"] = json.loads(text)["checks"]["redis"] if status == 503 else None
    time.sleep(max(0.0, seconds - (time.monotonic() - fault.started)))
    stack.redis.start()
    fault.ended = time.monotonic()
    fault.detail["outage_seconds"] = round(fault.ended - fault.started, 1)
    fault.detail["readyz_after"] = wait_until(lambda: stack.http_status("/readyz")[0] == 200, 30)
    return fault


def postgres_restart(stack: Stack) -> Fault:
    from digitrack.health import pooled_connections_check

    fault = Fault("PostgreSQL restarted", started=time.monotonic())
    stack.postgres.restart()
    fault.ended = time.monotonic()
    fault.detail["restart_seconds"] = round(fault.ended - fault.started, 1)
    web_pid = stack.processes["web"].pid
    recovered = wait_until(lambda: stack.http_status("/readyz")[0] == 200, 30)
    # This process's own pooled connections died too: replaced as a web worker's first 503 has its replaced.
    pooled_connections_check()
    fault.detail["ready_again_after_seconds"] = round(time.monotonic() - fault.started, 1)
    web = stack.processes["web"]
    fault.detail["web_not_restarted"] = web.poll() is None and web.pid == web_pid
    fault.survived = recovered and fault.detail["web_not_restarted"]
    return fault


def faults_run(stack: Stack, faults: list[Fault], started: float, duration: float) -> None:
    """Each fault at its share of the run, appended to `faults` as it ends."""

    def at(share: float) -> None:
        """At this share of the run, and no sooner than a second after the last fault ended."""
        not_before = faults[-1].ended + 1.0 if faults else 0.0
        time.sleep(max(0.0, started + duration * share - time.monotonic(), not_before - time.monotonic()))

    at(0.15)
    faults.append(worker_kill(stack))
    at(0.4)
    faults.append(redis_outage(stack, max(2.0, duration * 0.1)))
    at(0.7)
    faults.append(postgres_restart(stack))


def killed_task_check(stack: Stack, faults: list[Fault]) -> None:
    """Was the task whose worker process was SIGKILLed delivered again and did it succeed?
    Read from the workers' logs, so a lost task cannot pass unnoticed because the outbox
    drain recomputed the same trusts."""
    fault = next((f for f in faults if f.name.startswith("SIGKILL")), None)
    if fault is None or "task_id" not in fault.detail:
        return
    deliveries, successes = stack.task_log_counts(fault.detail["task_id"])
    fault.detail["killed_task_deliveries"] = deliveries
    fault.detail["killed_task_successes"] = successes
    # Lost would be no success. One delivery and one success means the task finished just
    # before the kill landed: nothing was lost, and the detail says it was not redelivered. Two
    # successes mean it finished but was killed before its late acknowledgement went out, so it
    # was delivered and run again: at least once, as acks-late promises, and a recompute run twice
    # gives the same statuses (the statuses check after the run says whether they are right).
    fault.detail["redelivered"] = deliveries >= 2
    fault.survived = bool(fault.survived and successes >= 1)


def faults_judged(faults: list[Fault], responses: dict, checks: dict) -> list[dict]:
    """Each fault as reported: survived only if nothing was lost and the statuses are right."""
    judged = []
    for fault in faults:
        if fault.name.startswith("Redis"):
            fault.survived = bool(
                fault.detail.get("readyz_during") == 503
                and fault.detail.get("readyz_after")
                and responses["unexpected_5xx_or_no_answer"] == 0
            )
        survived = bool(fault.survived and checks["statuses"]["ok"] and checks["uploads"]["ok"])
        judged.append({"name": fault.name, "survived": survived, **fault.detail})
    return judged
