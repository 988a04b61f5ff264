"""Importing in several processes (``--jobs``, PostgreSQL): the rows, read and checked, are
shared among processes forked from the command, each with its own database connection, which
import their share batch after batch as the command would (``Importer.import_share``) and say how
far they got. The rows that depend on each other (a translation and its original, rows naming
the same PDF or cover, which is stored once) go to the same process."""

import multiprocessing
import queue
import traceback

from django.db import connections
from django.utils.translation import gettext as _


class ImportStopped(Exception):
    """A process of the import stopped: ``failures`` say why; ``outcomes`` are the rows the
    others reported (what they committed stays: the import can be run again)."""

    def __init__(self, failures, outcomes):
        super().__init__("\n".join(failures))
        self.failures, self.outcomes = failures, outcomes


def run_in_processes(importer, plans):
    """Share ``plans`` among ``importer.jobs`` forked processes and gather what they did, in
    the order of the file. Raises ImportStopped if one of them failed."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue()
    connections.close_all()  # each process opens its own
    workers = [
        context.Process(target=_work, args=(importer, share, channel))
        for share in shares(plans, importer.jobs)
        if share
    ]
    for worker in workers:
        worker.start()
    outcomes, failures, finished = [], [], 0
    while finished < len(workers):
        try:
            kind, value = channel.get(timeout=1)
        except queue.Empty:
            if not any(worker.is_alive() for worker in workers):
                failures.append(_("A process of the import stopped without a word."))
                break
            continue
        if kind == "rows":
            importer.progress("rows", advance=value)
            continue
        finished += 1
        if kind == "done":
            outcomes += value
        else:
            failures.append(value)
    for worker in workers:
        worker.join()
    if failures:
        raise ImportStopped(failures, outcomes)
    return sorted(outcomes, key=lambda outcome: outcome.number)


def _work(importer, plans, channel):
    """In a forked process: import ``plans``, saying how far it got."""
    importer.progress = lambda stage, advance=0, total=None: (
        channel.put(("rows", advance)) if advance else None
    )
    try:
        channel.put(("done", importer.import_share(plans)))
    except BaseException:  # noqa: BLE001 - told to the parent, which stops the import
        channel.put(("failed", traceback.format_exc()))
    finally:
        connections.close_all()


def shares(plans, count):
    """``plans`` in ``count`` shares of about the same size, each in the order of the file,
    keeping together the rows that depend on each other."""
    parent = list(range(len(plans)))

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_with = {}
    for index, plan in enumerate(plans):
        keys = [("id", plan.external_id), ("id", plan.translation_of)]
        keys += [("file", path) for path in (plan.pdf, plan.cover) if path]
        for key in keys:
            if not key[1]:
                continue
            if key in first_with:
                parent[root(index)] = root(first_with[key])
            else:
                first_with[key] = index
    families = {}
    for index, plan in enumerate(plans):
        families.setdefault(root(index), []).append(plan)
    parts = [[] for _ in range(count)]
    for family in sorted(families.values(), key=len, reverse=True):
        min(parts, key=len).extend(family)
    return [sorted(part, key=lambda plan: plan.number) for part in parts]
