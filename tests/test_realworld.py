"""A CI-sized part of bench/realworld.py: real torchvision and keras.applications source.

The framework oracles take about two minutes for the whole list, so the
exact numbers are checked on a few fast models; every model of the list is
still read by cnnlint, which must raise no error on any and stay fast.
"""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT

if not all(importlib.util.find_spec(name) for name in ("torch", "torchvision", "keras")):
    pytest.skip("the frameworks are the oracles", allow_module_level=True)  # found, never imported here

spec = importlib.util.spec_from_file_location("realworld", ROOT / "bench" / "realworld.py")
realworld = importlib.util.module_from_spec(spec)
spec.loader.exec_module(realworld)

EXACT = {"torchvision": ["alexnet", "resnet18", "squeezenet1_1", "shufflenet_v2_x1_0", "densenet121"],
         "keras": ["MobileNet", "MobileNetV2", "DenseNet121"]}


@pytest.mark.parametrize("framework", sorted(EXACT))
def test_models_are_counted_exactly(framework):
    rows = realworld.compare(framework, EXACT[framework])
    for row in rows:
        assert (row["found"], row["output"]) == (row["expected"], row["expected_output"]), row
        assert not row["errors"], row


@pytest.mark.parametrize("framework", ["torchvision", "keras"])
def test_every_model_reads_without_a_false_error_and_quickly(framework):
    if framework == "torchvision":
        root = realworld.package_dir("torchvision") / "models"
        files = {name: root / f"{module}.py" for name, module in realworld.TORCHVISION.items()}
        inputs = realworld.TORCHVISION_INPUT
    else:
        root = realworld.package_dir("keras") / "src" / "applications"
        files = {name: root / f"{module}.py" for name, module in realworld.KERAS.items()}
        inputs = {}
    for row in realworld.measure(framework, files, inputs):
        assert not row["errors"], row
        assert row["found"] is not None or row["note"], row  # null is always explained
        assert row["seconds"] < 3, row
