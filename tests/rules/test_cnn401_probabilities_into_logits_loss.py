"""CNN401: the loss's floor with softmax applied twice, and where the rule links a model to its loss."""

import textwrap

import pytest
import torch

from .common import check_examples, examples, lines, marked, run

CODE = "CNN401"
BAD, GOOD = examples(CODE)


def _best_loss(source: str) -> float:
    """Cross-entropy of the example's model made as sure as it can be of the right class."""
    namespace = run(source)
    model, linear = namespace["model"], namespace["model"][1]
    with torch.no_grad():
        linear.weight.zero_()
        linear.bias.zero_()
        linear.bias[0] = 100.0
    images = torch.randn(8, 1, 28, 28)
    return namespace["criterion"](model(images), torch.zeros(8, dtype=torch.long)).item()


def test_softmax_into_cross_entropy_has_a_floor_at_run_time():
    assert _best_loss(BAD) == pytest.approx(1.4612, abs=1e-3)  # log(1 + 9/e): it can never learn below this
    assert _best_loss(GOOD) < 1e-6


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("head, loss, fires", [
    ("nn.Sigmoid()", "nn.BCEWithLogitsLoss()", True),
    ("nn.ReLU()", "nn.CrossEntropyLoss()", True),
    ("nn.LogSoftmax(dim=1)", "nn.CrossEntropyLoss()", False),  # idempotent: harmless
    ("nn.Softmax(dim=1)", "nn.MSELoss()", False),
    ("nn.Identity()", "nn.BCEWithLogitsLoss()", False),
])
def test_training_script_variants(head, loss, fires):
    source = f"""
        import torch
        from torch import nn

        model = nn.Sequential(nn.Linear(20, 1), {head})
        criterion = {loss}
        x, y = torch.randn(16, 20), torch.rand(16, 1)
        out = model(x)
        loss = criterion(out, y)
    """
    assert lines(source, CODE) == ([9] if fires else [])


def test_functional_loss_on_a_module_with_forward():
    source = """
        import torch
        import torch.nn.functional as F
        from torch import nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(32, 5)

            def forward(self, x):
                return F.softmax(self.fc(x), dim=-1)


        net = Net()
        loss = F.cross_entropy(net(torch.randn(4, 32)), torch.tensor([0, 1, 2, 3]))
    """
    assert lines(source, CODE) == [17]


def test_keras_from_logits_on_a_softmax_output():
    source = """
        import keras

        inputs = keras.Input(shape=(32,))
        outputs = keras.layers.Dense(5, activation="softmax")(inputs)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    """
    assert lines(source, CODE) == [7]


def test_no_link_no_finding():
    """The loss is applied to something else than the model's output: nothing is certain, nothing is said."""
    source = """
        import torch
        from torch import nn

        model = nn.Sequential(nn.Linear(20, 3), nn.Softmax(dim=1))
        criterion = nn.CrossEntropyLoss()
        scores = torch.randn(16, 3)
        loss = criterion(scores, torch.zeros(16, dtype=torch.long))
        probabilities = model(torch.randn(16, 20))
    """
    assert lines(source, CODE) == []


_SOFTMAX_NET = """
    import torch
    import torch.nn.functional as F
    from torch import nn

    model = nn.Sequential(nn.Linear(20, 10), {head})
    criterion = nn.CrossEntropyLoss()
"""
_LOOP = """
    for x, y in make_loader():
        out = model(x)
        loss = criterion(out, y)  # <- CNN401
"""
_TRAIN_STEP = """
    def train(net, loader, loss_fn, optimizer):
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(net(x), y)  # <- CNN401
            loss.backward()

    train(model, make_loader(), criterion, None)
"""
_GLOBALS_STEP = """
    def step(x, y):
        logits = model(x)
        return F.cross_entropy(logits, y)  # <- CNN401
"""


@pytest.mark.parametrize("code", [_LOOP, _TRAIN_STEP, _GLOBALS_STEP], ids=["loop", "train-function", "globals"])
@pytest.mark.parametrize("head, fires", [("nn.Softmax(dim=1)", True), ("nn.Identity()", False)])
def test_loss_in_loops_and_training_functions(code, head, fires):
    source = _SOFTMAX_NET.format(head=head) + code
    assert lines(source, CODE) == (marked(source, CODE) if fires else [])


_LIGHTNING = """
    import lightning as L
    import torch.nn.functional as F
    from torch import nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(20, 10)
            self.act = {head}

        def forward(self, x):
            return self.act(self.fc(x))


    class Classifier(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.model = Net()
            self.criterion = nn.CrossEntropyLoss()

        def training_step(self, batch, batch_idx):
            x, y = batch
            {step}


    classifier = Classifier()
"""


@pytest.mark.parametrize("step", ["return F.cross_entropy(self.model(x), y)  # <- CNN401",
                                  "logits = self.model(x); return self.criterion(logits, y)  # <- CNN401"])
@pytest.mark.parametrize("head, fires", [("nn.Softmax(dim=1)", True), ("nn.Identity()", False)])
def test_loss_in_a_lightning_training_step(step, head, fires):
    source = _LIGHTNING.format(head=head, step=step)
    assert lines(source, CODE) == (marked(source, CODE) if fires else [])


_LIGHTNING_WITH_FORWARD = """
    import lightning as L
    import torch
    import torch.nn.functional as F
    from torch import nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(20, 10)

        def forward(self, x):
            return F.softmax(self.fc(x), dim=1)


    class Classifier(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.save_hyperparameters()
            self.model = Net()

        def forward(self, x):
            return {forward}

        def training_step(self, batch, batch_idx):
            x, y = batch
            loss = {step}
            self.log("train_loss", loss)
            return loss


    classifier = Classifier()
"""


@pytest.mark.parametrize("forward, step, fires", [
    ("self.model(x)", "F.cross_entropy(self(x), y)  # <- CNN401", True),
    ("self.model(x)", "F.cross_entropy(self.forward(x), y)  # <- CNN401", True),
    ("self.model(x)", "F.cross_entropy(self.model(x), y)  # <- CNN401", True),
    ("torch.log(self.model(x))", "F.cross_entropy(self(x), y)", False),  # log-probabilities: no known ending
    ("torch.log(self.model(x))", "F.cross_entropy(self.forward(x), y)", False),
])
def test_lightning_module_with_a_forward(forward, step, fires):
    """self(x), self.forward(x) and self.model(x) in training_step: the loss gets the LightningModule's output,
    which is its part's where forward returns that part's output."""
    source = _LIGHTNING_WITH_FORWARD.format(forward=forward, step=step)
    assert lines(source, CODE) == (marked(source, CODE) if fires else [])


@pytest.mark.parametrize("code", [
    # the output is changed before the loss: not the model's output any more
    "for x, y in make_loader():\n    out = model(x)\n    out = out.log()\n    loss = criterion(out, y)",
    # the function is called with two different models: which one is not certain
    "def train(net, x, y):\n    return criterion(net(x), y)\n\ntrain(model, 1, 2)\ntrain(nn.Linear(2, 2), 1, 2)",
    # also called from a function the analysis does not run, with another model
    "def train(net, x, y):\n    return criterion(net(x), y)\n\ndef other():\n    train(nn.Linear(2, 2), 1, 2)\n\n"
    "train(model, 1, 2)",
    # the name is rebound at module level: which model is not certain
    "def step(x, y):\n    return criterion(model(x), y)\n\nmodel = nn.Linear(20, 10)",
    # a local name shadows the module-level model
    "def step(model, x, y):\n    return criterion(model(x), y)",
])
def test_uncertain_links_say_nothing(code):
    source = textwrap.dedent(_SOFTMAX_NET.format(head="nn.Softmax(dim=1)")) + code + "\n"
    assert lines(source, CODE) == []


@pytest.mark.parametrize("activation, fires", [("softmax", True), ("linear", False)])
def test_keras_subclassed_model_compiled_from_logits(activation, fires):
    source = f"""
        import keras


        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.scores = keras.layers.Dense(5, activation="{activation}")

            def call(self, x):
                return self.scores(x)


        model = Classifier()
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    """
    assert lines(source, CODE) == ([15] if fires else [])


def test_keras_subclassed_softmax_has_a_floor_at_run_time():
    """Keras' from_logits loss on the subclassed model's softmax output, the model as sure as it can be."""
    namespace = run("""
        import keras


        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.scores = keras.layers.Dense(10, activation="softmax")

            def call(self, x):
                return self.scores(x)


        model = Classifier()
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    """)
    import keras
    import numpy as np

    model = namespace["model"]
    model(np.ones((1, 4), dtype="float32"))  # builds its layers
    model.scores.kernel.assign(np.zeros((4, 10), dtype="float32"))
    model.scores.bias.assign(np.array([100.0] + [0.0] * 9, dtype="float32"))
    probabilities = model(np.ones((8, 4), dtype="float32"))
    loss = model.loss(np.zeros(8), probabilities)
    assert float(keras.ops.convert_to_numpy(loss)) == pytest.approx(1.4612, abs=1e-3)  # log(1 + 9/e)
