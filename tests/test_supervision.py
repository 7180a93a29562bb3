"""Every file is analysed in a supervised worker: a crash, an abort or a hang costs only that file."""

import json
import os
import signal
import time

import pytest

from cnnlint.parallel import supervise
from cnnlint.results import FileResult

from .conftest import run_cnnlint

K = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
MODEL = "model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n"
#: CPython compiles it; LibCST's native parser overflows its stack on it
SEGFAULT = K + "flag = " + " and ".join(["True"] * 10_000) + "\n" + MODEL


def _task(index):
    if index == 1:
        time.sleep(600)  # a native call that never returns
    if index == 2:
        os.kill(os.getpid(), signal.SIGSEGV)
    if index == 3:
        os.abort()
    return FileResult(f"file{index}.py")


def _stopped(index, why):
    return FileResult(f"stopped{index}:{why}")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_dead_or_stuck_worker_costs_only_its_task(workers):
    start = time.monotonic()
    results = supervise([0, 1, 2, 3, 4, 5], _task, _stopped, workers, deadline=1.0)
    assert time.monotonic() - start < 30
    assert [r.path for r in results] == ["file0.py", "stopped1:timeout", "stopped2:SIGSEGV", "stopped3:SIGABRT",
                                         "file4.py", "file5.py"]


def test_results_come_back_in_the_order_given():
    results = supervise([3, 0, 2, 1], lambda i: FileResult(f"f{i}"), _stopped, 2, deadline=30)
    assert [r.path for r in results] == ["f0", "f1", "f2", "f3"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parser_segfault_is_cnn900_and_the_other_files_are_linted(tmp_path, jobs):
    (tmp_path / "a_crash.py").write_text(SEGFAULT)
    for name in ("b.py", "c.py", "d.py", "e.py"):
        (tmp_path / name).write_text(K + MODEL)
    proc = run_cnnlint("--format", "json", "--no-cache", "--jobs", jobs, str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert not proc.stderr
    doc = json.loads(proc.stdout)
    (crash,) = doc["diagnostics"]
    assert crash["code"] == "CNN900" and crash["path"].endswith("a_crash.py") and "SIGSEGV" in crash["message"]
    assert [m["total_params"] for m in doc["models"]] == [10, 10, 10, 10]


def test_a_single_file_is_supervised_too(tmp_path):
    (tmp_path / "crash.py").write_text(SEGFAULT)
    proc = run_cnnlint("--no-cache", str(tmp_path / "crash.py"))
    assert proc.returncode == 0 and "CNN900" in proc.stdout


def test_standard_input_is_supervised_too():
    proc = run_cnnlint("--no-cache", "--stdin-filename", "crash.py", input=SEGFAULT)
    assert proc.returncode == 0 and "crash.py:1:1: CNN900" in proc.stdout
