"""CNN402: a probability loss on raw scores rewards the wrong class; where the rule links model and loss."""

import keras
import numpy as np
import pytest

from .common import check_examples, examples, lines, run

CODE = "CNN402"
BAD, GOOD = examples(CODE)


def test_default_loss_on_raw_scores_rewards_the_wrong_class():
    """Keras' default loss reads negative scores as probabilities: the class scored highest costs the most."""
    scores = np.array([[-1.0, -3.0, -2.0] + [-9.0] * 7], dtype="float32")  # class 0 scored highest
    for source, right in ((BAD, False), (GOOD, True)):
        loss = keras.losses.get(run(source)["model"].loss)
        assert (float(loss(np.array([0]), scores)) < float(loss(np.array([1]), scores))) is right


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("last, loss, fires", [
    ('keras.layers.Dense(10)', '"categorical_crossentropy"', True),
    ('keras.layers.Dense(1)', 'keras.losses.BinaryCrossentropy()', True),
    ('keras.layers.Dense(10)', 'keras.losses.CategoricalCrossentropy(from_logits=True)', False),
    ('keras.layers.Dense(10, activation="softmax")', '"categorical_crossentropy"', False),
    ('keras.layers.Dense(10)', '"mse"', False),
])
def test_keras_functional_variants(last, loss, fires):
    source = f"""
        import keras

        inputs = keras.Input(shape=(32,))
        hidden = keras.layers.Dense(64, activation="relu")(inputs)
        outputs = {last}(hidden)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss={loss})
    """
    assert lines(source, CODE) == ([8] if fires else [])


@pytest.mark.parametrize("ending, loss, fires", [
    ("x", "F.nll_loss", True),
    ("F.softmax(x, dim=1)", "F.nll_loss", True),
    ("F.log_softmax(x, dim=1)", "F.nll_loss", False),
    ("x", "F.cross_entropy", False),
])
def test_nll_loss_in_a_training_script(ending, loss, fires):
    source = f"""
        import torch
        import torch.nn.functional as F
        from torch import nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(32, 5)

            def forward(self, x):
                x = self.fc(x)
                return {ending}


        net = Net()
        target = torch.tensor([0, 1, 2, 3])
        loss = {loss}(net(torch.randn(4, 32)), target)
    """
    assert lines(source, CODE) == ([19] if fires else [])
