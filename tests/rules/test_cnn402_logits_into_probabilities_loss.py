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


_SUBCLASSED = """
import keras


class Classifier(keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.hidden = keras.layers.Dense(64, activation="relu")
        self.scores = keras.layers.Dense(classes{activation})

    def call(self, x):
        return self.scores(self.hidden(x))


model = Classifier()
model.build((None, 32))
model.compile(optimizer="adam", loss={loss})
"""


@pytest.mark.parametrize("activation, loss, fires", [
    ("", '"sparse_categorical_crossentropy"', True),
    ("", "keras.losses.CategoricalCrossentropy()", True),
    ("", "keras.losses.SparseCategoricalCrossentropy(from_logits=True)", False),
    (', activation="softmax"', '"sparse_categorical_crossentropy"', False),
    ("", '"mse"', False),
])
def test_subclassed_model_variants(activation, loss, fires):
    """compile() on an instance of a keras.Model subclass links its call()'s output to the loss."""
    assert lines(_SUBCLASSED.format(activation=activation, loss=loss), CODE) == ([17] if fires else [])


def test_compile_inside_the_subclass_and_in_a_factory():
    source = """
        import keras


        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.scores = keras.layers.Dense(10)
                self.compile(loss="sparse_categorical_crossentropy")

            def call(self, x):
                return self.scores(x)


        def make_model():
            model = Classifier()
            model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            return model


        model = Classifier()
        fixed = make_model()
    """
    assert lines(source, CODE) == [9]  # `model`; make_model()'s compile() replaced the loss


def test_subclassed_model_rewards_the_wrong_class_at_run_time():
    """The subclassed model built and compiled in Keras: its raw scores into its own compiled loss."""
    for loss, right in (('"sparse_categorical_crossentropy"', False),
                        ("keras.losses.SparseCategoricalCrossentropy(from_logits=True)", True)):
        model = run(_SUBCLASSED.format(activation="", loss=loss))["model"]
        model(np.zeros((1, 32), dtype="float32"))  # builds its layers
        model.scores.kernel.assign(np.zeros(model.scores.kernel.shape, dtype="float32"))
        model.scores.bias.assign(np.array([-1.0, -3.0, -2.0] + [-9.0] * 7, dtype="float32"))  # class 0 highest
        scores = keras.ops.convert_to_numpy(model(np.random.rand(1, 32).astype("float32")))
        compiled = keras.losses.get(model.loss)
        assert (float(compiled(np.array([0]), scores)) < float(compiled(np.array([1]), scores))) is right
