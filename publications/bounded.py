"""Heavy work on uploaded files, run apart from the process that asks for it and bounded: a
wall-clock limit (the child is killed when it is reached), a CPU-time limit and an address-space
limit (``resource.setrlimit`` in the child). A hostile file can then cost the child its life, never
the web or background worker that asked: their memory does not grow and they are never held longer
than the limit.

Two ways, one outcome (a result, or ``JobFailed`` saying why):

- ``run_python(target, payload)`` starts a fresh Python (``python -m publications.bounded``) that
  calls ``target`` ("module:function", code that needs no Django) with a JSON payload and prints its
  JSON result. Safe from any process, threads or not: used for PDFs, in the upload request (the
  check) and in the background worker (page count and text).
- ``run_forked(function, *args)`` forks the calling process, so the child has Django, the models
  and the file at hand; the child must not use the database (the parent's connection is not its
  own) and hands back a picklable result. Only for the background worker, which runs one task at a
  time in one thread: image renditions.

This module imports nothing of the project's.
"""

import importlib
import json
import multiprocessing
import os
import resource
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


class JobFailed(Exception):
    """The work did not finish: ``reason`` is "time" (a limit of time was reached), "memory" (it
    needed more memory than allowed) or "error" (it raised, or died)."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _virtual_size():
    """The address space this process already uses (bytes), or 0 where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_this_process(memory_mb, cpu_seconds):
    """Cap the address space at what the process uses now plus ``memory_mb``, and its CPU time at
    ``cpu_seconds`` (then the kernel stops it). For a child only: limits cannot be raised again."""
    memory = _virtual_size() + int(memory_mb) * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def run_python(target, payload, *, time_limit, memory_mb):
    """Call ``target`` ("package.module:function") with ``payload`` in a fresh, bounded Python and
    return its result. Both must be JSON."""
    command = [
        sys.executable,
        "-m",
        "publications.bounded",
        target,
        str(int(memory_mb)),
        str(time_limit),
    ]
    python_path = [str(PROJECT_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path)}
    try:
        completed = subprocess.run(
            command,
            input=json.dumps(payload).encode(),
            capture_output=True,
            timeout=time_limit,
            cwd=PROJECT_DIR,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise JobFailed("time", f"{target} took more than {time_limit} s") from exc
    return _outcome(target, completed.returncode, completed.stdout, completed.stderr)


def _outcome(target, returncode, stdout, stderr):
    try:
        answer = json.loads(stdout.decode() or "null")
    except ValueError:
        answer = None
    if returncode == 0 and isinstance(answer, dict) and "result" in answer:
        return answer["result"]
    if isinstance(answer, dict) and answer.get("failed"):
        raise JobFailed(answer["failed"], f"{target}: {answer.get('detail', '')}")
    if returncode in (-9, -24, 128 + 9, 128 + 24):  # SIGKILL / SIGXCPU: the CPU limit
        raise JobFailed("time", f"{target} used up its CPU time")
    tail = stderr.decode(errors="replace")[-500:] if stderr else ""
    raise JobFailed("error", f"{target} exited with {returncode}: {tail}")


def _call_and_classify(function, *args):
    """Run ``function`` in the child: ("ok", result) or ("failed", reason, detail)."""
    try:
        return ("ok", function(*args))
    except MemoryError:
        return ("failed", "memory", "MemoryError")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
        return ("failed", "error", f"{type(exc).__name__}: {exc}")


def _forked_child(connection, memory_mb, cpu_seconds, function, args):
    limit_this_process(memory_mb, cpu_seconds)
    connection.send(_call_and_classify(function, *args))
    connection.close()


def run_forked(function, *args, time_limit, memory_mb):
    """Call ``function(*args)`` in a bounded fork of this process and return its result."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_forked_child,
        args=(sending, memory_mb, time_limit, function, args),
        daemon=True,
    )
    child.start()
    sending.close()
    try:
        if not receiving.poll(time_limit):
            raise JobFailed("time", f"{function.__name__} took more than {time_limit} s")
        try:
            answer = receiving.recv()
        except EOFError as exc:  # the child died without answering (killed, CPU limit)
            child.join(1)
            if child.exitcode in (-9, -24):
                raise JobFailed("time", f"{function.__name__} used up its CPU time") from exc
            raise JobFailed("error", f"{function.__name__} died ({child.exitcode})") from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiving.close()
    if answer[0] == "ok":
        return answer[1]
    raise JobFailed(answer[1], f"{function.__name__}: {answer[2]}")


def _main(argv):
    target, memory_mb, cpu_seconds = argv[1], int(argv[2]), float(argv[3])
    limit_this_process(memory_mb, cpu_seconds)
    payload = json.loads(sys.stdin.buffer.read() or b"null")
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    outcome = _call_and_classify(function, payload)
    if outcome[0] == "ok":
        answer = {"result": outcome[1]}
    else:
        answer = {"failed": outcome[1], "detail": outcome[2]}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0 if outcome[0] == "ok" else 1


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
