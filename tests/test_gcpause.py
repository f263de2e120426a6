"""The collector pause used while a workbook is read and audited restores the collector's state."""

from __future__ import annotations

import gc

import pytest

from ledgercheck.common.gcpause import paused_gc


def test_pauses_and_restores() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restores_after_an_error() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_start_up_pause_ends_with_the_first_pause_of_the_work() -> None:
    from ledgercheck.common import gcpause

    try:
        gcpause.pause_for_startup()
        assert not gc.isenabled()
        frozen = gc.get_freeze_count()
        with paused_gc():
            with paused_gc():  # nested: the inner block leaves the collector off
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()  # on after the work, as before the start-up
        assert gc.get_freeze_count() > frozen  # what the start-up made is out of later collections
        frozen = gc.get_freeze_count()
        with paused_gc():
            [object() for _ in range(10)]
        assert gc.get_freeze_count() == frozen  # another pause freezes nothing (a web worker's uploads)
        gcpause.end_startup()  # nothing left to end
        assert gc.isenabled()
        gcpause.pause_for_startup()
        gcpause.end_startup()  # a long-running command ends it itself
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
        gcpause._startup = False


# The collector's state when the command has finished, as `ledgercheck ARGS` leaves it (atexit runs in `leave`).
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("collector on:", gc.isenabled(), file=sys.stderr))
sys.argv = ["ledgercheck", *{args!r}]
from ledgercheck.__main__ import main
main()
"""


@pytest.mark.parametrize(("args", "on"), [
    (["audit", "VIOLATIONS", "--as-of", "2026-01-15", "--format", "json"], True),  # after the paused work
    (["scan", "SAMPLES", "--as-of", "2026-01-15", "--format", "json", "--jobs", "1"], True),  # at its start
    (["explain", "DUES-BRACKET-AMOUNT"], False),  # short: off from start to end
])
def test_a_command_leaves_the_collector_as_the_start_up_pause_says(args: list[str], on: bool) -> None:
    import subprocess
    import sys

    from tests.conftest import SAMPLES
    from tests.ledgers import VIOLATIONS

    args = [str(VIOLATIONS) if a == "VIOLATIONS" else str(SAMPLES) if a == "SAMPLES" else a for a in args]
    run = subprocess.run([sys.executable, "-c", _PROBE.format(args=args)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode in (0, 1), run.stderr
    assert run.stderr.strip().splitlines()[-1] == f"collector on: {on}"
