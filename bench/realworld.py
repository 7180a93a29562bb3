"""cnnlint on real model code: torchvision's and keras.applications' classifiers.

cnnlint reads the installed packages' source files as text; the expected
numbers come from the frameworks themselves, each in its own process.

    python bench/realworld.py [--only torchvision|keras] [--markdown]

A model counts as exact when cnnlint's total parameter count and output
shape equal the framework's.  A null count with a CNN900 note is honest; a
different number is wrong, and the script exits 1 if any model is wrong.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

TORCHVISION = {  # factory -> module file under torchvision/models
    "alexnet": "alexnet", "vgg11": "vgg", "vgg16": "vgg", "vgg19": "vgg", "vgg11_bn": "vgg", "vgg16_bn": "vgg",
    "vgg19_bn": "vgg", "resnet18": "resnet", "resnet34": "resnet", "resnet50": "resnet", "resnet101": "resnet",
    "resnext50_32x4d": "resnet", "wide_resnet50_2": "resnet", "squeezenet1_0": "squeezenet",
    "squeezenet1_1": "squeezenet", "densenet121": "densenet", "mobilenet_v2": "mobilenetv2",
    "mobilenet_v3_small": "mobilenetv3", "mobilenet_v3_large": "mobilenetv3", "shufflenet_v2_x1_0": "shufflenetv2",
    "mnasnet1_0": "mnasnet", "googlenet": "googlenet", "inception_v3": "inception", "efficientnet_b0": "efficientnet",
    "regnet_y_400mf": "regnet", "convnext_tiny": "convnext", "efficientnet_v2_s": "efficientnet",
    "vit_b_16": "vision_transformer", "swin_t": "swin_transformer", "maxvit_t": "maxvit",
}
TORCHVISION_INPUT = {"inception_v3": (3, 299, 299)}

KERAS = {  # application -> module file under keras/src/applications
    "VGG16": "vgg16", "VGG19": "vgg19", "ResNet50": "resnet", "MobileNet": "mobilenet", "MobileNetV2": "mobilenet_v2",
    "DenseNet121": "densenet", "Xception": "xception", "InceptionV3": "inception_v3",
    "EfficientNetB0": "efficientnet", "NASNetMobile": "nasnet", "ConvNeXtTiny": "convnext",
    "ResNet50V2": "resnet_v2", "EfficientNetV2B0": "efficientnet_v2", "MobileNetV3Small": "mobilenet_v3",
}

TORCHVISION_ORACLE = """
import json, sys, types, warnings
warnings.simplefilter("ignore")
# torchvision's compiled ops are built for another torch; the model code needs none of them
sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
import torch
from torchvision import models
out = {}
for name, shape in json.loads(sys.argv[1]).items():
    model = getattr(models, name)().eval()
    with torch.no_grad():
        y = model(torch.zeros(1, *shape))
    out[name] = [sum(p.numel() for p in model.parameters()), list(y.shape[1:])]
print(json.dumps(out))
"""

KERAS_ORACLE = """
import json, os, sys
os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
from keras.src.applications import nasnet

class NotTorch:
    # Keras refuses NASNet on torch for a bug in running it; building it to count weights is unaffected
    def __getattr__(self, name):
        return getattr(keras.src.backend, name)

    def backend(self):
        return "tensorflow"

nasnet.backend = NotTorch()
out = {}
for name in json.loads(sys.argv[1]):
    model = getattr(keras.applications, name)(weights=None)
    out[name] = [model.count_params(), list(model.output_shape[1:])]
print(json.dumps(out))
"""


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed (pip install -e '.[test]')")
    return Path(list(spec.submodule_search_locations)[0])


def oracle(code: str, argument) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(argument)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the framework failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(framework: str, files: dict, inputs: dict) -> list:
    from cnnlint.runner import Options, lint_path

    rows = []
    for name, path in files.items():
        start = time.perf_counter()
        result = lint_path(str(path), Options(model=name, input_shape=inputs.get(name)))
        seconds = time.perf_counter() - start
        report = next(iter(result.models), None)
        notes = [d.message for d in result.diagnostics if d.code == "CNN900" and d.model == name]
        rows.append({"framework": framework, "model": name, "file": f"{path.parent.name}/{path.name}",
                     "found": report.total_params if report else None,
                     "output": report.output_shape if report else None,
                     "errors": [f"{d.code} {d.message}" for d in result.diagnostics if d.severity == "error"],
                     "note": notes[0] if notes else ("" if report else "no model found"), "seconds": seconds})
    return rows


def compare(framework: str, names) -> list:
    """cnnlint's rows for these models of one framework, each with the framework's own numbers."""
    if framework == "torchvision":
        root = package_dir("torchvision") / "models"
        shapes = {name: TORCHVISION_INPUT.get(name, (3, 224, 224)) for name in names}
        expected = oracle(TORCHVISION_ORACLE, shapes)
        files = {name: root / f"{TORCHVISION[name]}.py" for name in names}
        rows = measure(framework, files, {n: s for n, s in TORCHVISION_INPUT.items() if n in names})
    else:
        root = package_dir("keras") / "src" / "applications"
        expected = oracle(KERAS_ORACLE, list(names))
        rows = measure(framework, {name: root / f"{KERAS[name]}.py" for name in names}, {})
    for row in rows:
        row["expected"], row["expected_output"] = expected[row["model"]]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["torchvision", "keras"])
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    args = parser.parse_args()
    rows = []
    for framework, names in (("torchvision", TORCHVISION), ("keras", KERAS)):
        if args.only in (None, framework):
            rows += compare(framework, list(names))
    wrong = 0
    for framework in ("torchvision", "keras"):
        group = [r for r in rows if r["framework"] == framework]
        if not group:
            continue
        exact = sum(r["found"] == r["expected"] and r["output"] == r["expected_output"] for r in group)
        wrong += sum(r["found"] is not None and (r["found"] != r["expected"] or r["output"] != r["expected_output"])
                     for r in group)
        print(f"{framework}: {exact}/{len(group)} exact ({100 * exact / len(group):.0f}%)")
    print(f"wrong numbers presented as exact: {wrong}; false errors: {sum(bool(r['errors']) for r in rows)}")
    if args.markdown:
        print("\n| framework | model | expected | found | time | |\n|---|---|---:|---:|---:|---|")
        for r in rows:
            found = "null" if r["found"] is None else f"{r['found']:,}"
            ok = "exact" if r["found"] == r["expected"] and r["output"] == r["expected_output"] else (
                "wrong" if r["found"] is not None else f"null: {r['note'][:80]}")
            print(f"| {r['framework']} | {r['model']} | {r['expected']:,} | {found} | {r['seconds']:.2f} s | {ok} |")
    else:
        for r in rows:
            print(json.dumps(r))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
