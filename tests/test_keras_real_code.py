"""Keras code as people write it (tutorials, transfer learning, GANs, tf.keras scripts), run for real.

Each case is one source text: cnnlint lints it, and the same text runs in Keras 3 (standing in for
``tf.keras``); the parameter counts (total and trainable) and output shapes must agree exactly, and no
error-level diagnostic may be reported on code that runs.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from .conftest import keras_as_tensorflow, lint

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")


def run_in_keras(source: str) -> dict:
    namespace = {"__name__": "model"}
    with keras_as_tensorflow():
        exec(compile(textwrap.dedent(source), "model.py", "exec"), namespace)
    return namespace


def _trainable(model) -> int:
    return sum(int(w.numpy().size) for w in model.trainable_weights)


def _output_shape(model):
    shape = model.output_shape
    if isinstance(shape, list):
        return [list(s[1:]) for s in shape]
    return list(shape[1:])


def agrees(source: str, name: str = "model") -> object:
    """Lint ``source`` and run it in Keras: the report of model ``name`` must be Keras' numbers."""
    result = lint(source)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    report = next(r for r in result.models if r.name == name)
    model = run_in_keras(source)[name]
    subclassed = type(model).__name__ not in ("Sequential", "Functional")
    if subclassed:  # a subclass builds its layers when called: compare what the call returns
        out = model(keras.ops.zeros((1, *report.input_shape)))
        outs = [list(t.shape[1:]) for t in (out if isinstance(out, (list, tuple)) else [out])]
        assert report.output_shape == (outs[0] if len(outs) == 1 else outs)
    assert (report.total_params, report.trainable_params) == (model.count_params(), _trainable(model)), \
        [d.message for d in result.diagnostics]
    if not subclassed:
        assert report.output_shape == _output_shape(model)
    return report


# -- false errors --------------------------------------------------------------------------


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_wraps_the_recurrent_layer_written_inside_it(merge_mode, return_sequences):
    agrees(f"""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            keras.Input(shape=(20, 8)),
            layers.Bidirectional(layers.LSTM(16, return_sequences=True)),
            layers.Bidirectional(layers.GRU(6, return_sequences={return_sequences}), merge_mode={merge_mode!r}),
            layers.Dense(1),
        ])
    """)


def test_bidirectional_without_merging_and_with_a_backward_layer():
    agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(12, 5))
        forward, backward = layers.Bidirectional(layers.SimpleRNN(7), merge_mode=None)(inputs)
        both = layers.Bidirectional(layers.LSTM(4), backward_layer=layers.LSTM(4, go_backwards=True))(inputs)
        model = keras.Model(inputs, layers.Concatenate()([forward, backward, both]))
    """)


def test_bidirectional_of_a_layer_cnnlint_cannot_size_is_unknown_not_an_error():
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        units = int(open("units.txt").read())
        model = keras.Sequential([keras.Input(shape=(20, 8)), layers.Bidirectional(layers.LSTM(units))])
    """)
    assert [d.code for d in result.diagnostics] == ["CNN900"]
    assert result.models[0].total_params is None


def test_bidirectional_of_a_refused_layer_is_the_framework_error():
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input(shape=(20, 8)), layers.Bidirectional(layers.LSTM(0))])
    """)
    assert [d.code for d in result.diagnostics] == ["CNN104"]


def test_a_size_from_a_configuration_module_beside_the_script(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("NUM_CLASSES = 10\nHIDDEN = (32, 16)\n")
    source = textwrap.dedent("""
        import config
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(config.HIDDEN[0]),
                                  keras.layers.Dense(units=config.NUM_CLASSES)])
    """)
    from cnnlint.runner import Options, lint_path
    path = tmp_path / "train.py"
    path.write_text(source)
    report = lint_path(str(path), Options()).models[0]
    monkeypatch.syspath_prepend(str(tmp_path))
    model = run_in_keras(source)["model"]
    assert (report.total_params, report.output_shape) == (model.count_params(), [10])


def test_a_size_from_a_module_cnnlint_cannot_read_is_unknown_not_an_error():
    result = lint("""
        import settings
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(units=settings.NUM_CLASSES)])
    """)
    assert [(d.code, "settings.NUM_CLASSES" in d.message) for d in result.diagnostics] == [("CNN900", True)]
    assert result.models[0].total_params is None


# -- frozen weights --------------------------------------------------------------------------


def test_a_frozen_base_and_a_layer_built_frozen():
    agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        base = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16), layers.BatchNormalization(),
                                 layers.Dense(4)], name="base")
        base.trainable = False
        model = keras.Sequential([base, layers.Dense(3, trainable=False), layers.Dense(2)])
    """)


TRANSFER = """
    from tensorflow import keras
    from tensorflow.keras import layers

    def make_base():
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(8, 3, activation="relu")(inputs)
        x = layers.BatchNormalization()(x)
        x = layers.Conv2D(16, 3, strides=2)(x)
        return keras.Model(inputs, x, name="base")

    base_model = make_base()
    base_model.trainable = False
    {unfreeze}
    inputs = keras.Input(shape=(32, 32, 3))
    x = base_model(inputs, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""


@pytest.mark.parametrize("unfreeze", ["", "base_model.trainable = True\nfor layer in base_model.layers[:3]:\n"
                                          "    layer.trainable = False"])
def test_transfer_learning_with_the_base_model_frozen_then_partly_unfrozen(unfreeze):
    agrees(TRANSFER.replace("{unfreeze}", unfreeze.replace("\n", "\n    ")))


@pytest.mark.parametrize("after_the_freeze", ["base.layers[-1].trainable = True", "base.add(layers.Dense(3))"])
def test_a_layer_made_trainable_inside_a_frozen_container(after_the_freeze):
    """Keras 3 counts a layer unfrozen (or added) after its container was frozen as trainable, as cnnlint does."""
    agrees(f"""
        from tensorflow import keras
        from tensorflow.keras import layers
        base = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16), layers.Dense(4)], name="base")
        base.trainable = False
        {after_the_freeze}
        model = keras.Sequential([base, layers.Dense(2)])
    """)


def test_a_gan_discriminator_frozen_before_the_combined_model_is_built():
    source = """
        from tensorflow import keras
        from tensorflow.keras import layers

        def build_generator(latent_dim=16):
            return keras.Sequential([keras.Input(shape=(latent_dim,)), layers.Dense(7 * 7 * 8),
                                     layers.BatchNormalization(), layers.LeakyReLU(0.2), layers.Reshape((7, 7, 8)),
                                     layers.Conv2DTranspose(4, 4, strides=2, padding="same"),
                                     layers.Conv2D(1, 3, padding="same", activation="tanh")])

        def build_discriminator():
            image = keras.Input(shape=(14, 14, 1))
            x = layers.Conv2D(8, 3, strides=2, padding="same")(image)
            x = layers.LeakyReLU(0.2)(x)
            x = layers.Flatten()(x)
            return keras.Model(image, layers.Dense(1, activation="sigmoid")(x))

        discriminator = build_discriminator()
        discriminator.compile(loss="binary_crossentropy", optimizer="adam")
        generator = build_generator()
        discriminator.trainable = False
        z = keras.Input(shape=(16,))
        combined = keras.Model(z, discriminator(generator(z)))
        combined.compile(loss="binary_crossentropy", optimizer="adam")
    """
    report = agrees(source, "combined")
    assert report.non_trainable_params > 32  # the discriminator's weights and the statistics
    agrees(source, "discriminator")


def test_a_subclassed_model_and_a_custom_layer_frozen():
    agrees("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        class Scale(layers.Layer):
            def __init__(self):
                super().__init__()
                self.trainable = False

            def build(self, input_shape):
                self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

            def call(self, x):
                return x * self.scale

        class Head(keras.Model):
            def __init__(self):
                super().__init__()
                self.body = layers.Dense(6)
                self.scale = Scale()
                self.out = layers.Dense(2)

            def call(self, x):
                return self.out(self.scale(self.body(x)))

        model = Head()  # cnnlint: input-shape=5
        model.body.trainable = False
    """)


def test_a_freeze_cnnlint_cannot_decide_leaves_the_counts_unknown():
    result = lint("""
        import sys
        from tensorflow import keras
        from tensorflow.keras import layers
        base = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16)])
        base.trainable = "--fine-tune" in sys.argv
        model = keras.Sequential([base, layers.Dense(2)])
    """)
    report = next(r for r in result.models if r.name == "model")
    assert (report.trainable_params, report.output_shape) == (None, [2])
    assert [d.code for d in result.diagnostics if "frozen" in d.message and d.model == "model"] == ["CNN900"]


# -- subclassed models made of Sequential parts ----------------------------------------------

DENOISE = """
    import tensorflow as tf
    from tensorflow.keras import layers
    from tensorflow.keras.models import Model

    class Denoise(Model):
      def __init__(self):
        super(Denoise, self).__init__()
        self.encoder = tf.keras.Sequential([
          layers.Input(shape=(28, 28, 1)),
          layers.Conv2D(16, (3, 3), activation='relu', padding='same', strides=2),
          layers.Conv2D(8, (3, 3), activation='relu', padding='same', strides=2)])
        self.decoder = tf.keras.Sequential([
          layers.Conv2DTranspose(8, kernel_size=3, strides=2, activation='relu', padding='same'),
          layers.Conv2DTranspose(16, kernel_size=3, strides=2, activation='relu', padding='same'),
          layers.Conv2D(1, kernel_size=(3, 3), activation='sigmoid', padding='same')])

      def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded

    autoencoder = Denoise()
    autoencoder.compile(optimizer='adam', loss='mse')
"""

AUTOENCODER = """
    import tensorflow as tf
    from tensorflow.keras import layers, losses
    from tensorflow.keras.models import Model

    class Autoencoder(Model):
      def __init__(self, latent_dim, shape):
        super(Autoencoder, self).__init__()
        self.latent_dim = latent_dim
        self.shape = shape
        self.encoder = tf.keras.Sequential([
          layers.Flatten(),
          layers.Dense(latent_dim, activation='relu'),
        ])
        self.decoder = tf.keras.Sequential([
          layers.Dense(tf.math.reduce_prod(shape).numpy(), activation='sigmoid'),
          layers.Reshape(shape)
        ])

      def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded

    autoencoder = Autoencoder(64, {shape})
    autoencoder.compile(optimizer='adam', loss=losses.MeanSquaredError())
    autoencoder.build((None, 28, 28))
"""


def test_a_subclassed_autoencoder_takes_the_input_its_encoder_declares():
    report = agrees(DENOISE, "autoencoder")
    assert (report.input_source, report.total_params) == ("declared", 3217)


def test_a_subclassed_model_built_for_an_input_shape():
    source = AUTOENCODER.replace("tf.math.reduce_prod(shape).numpy()", "784").replace("{shape}", "(28, 28)")
    assert agrees(source, "autoencoder").total_params == 101200


def test_a_subclassed_autoencoder_sized_from_data_is_unknown_not_an_error():
    result = lint(AUTOENCODER.replace("{shape}", "x_test.shape[1:]"))
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert result.models[0].total_params is None


# -- several outputs ------------------------------------------------------------------------


def test_every_output_of_a_functional_model_is_reported():
    report = agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(8, 3)(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, [layers.Dense(10, name="cls")(x), layers.Dense(4, name="box")(x)])
    """)
    assert report.output_shape == [[10], [4]]


DICT_OUTPUTS = """
    import keras
    from keras import layers
    title = keras.Input(shape=(None,), name="title")
    tags = keras.Input(shape=(12,), name="tags")
    x = layers.concatenate([layers.LSTM(8)(layers.Embedding(100, 4)(title)), tags])
    model = keras.Model(inputs={"title": title, "tags": tags},
                        outputs={"priority": layers.Dense(1)(x), "department": layers.Dense(4)(x),
                                 "extra": [layers.Dense(2)(x), {"b": layers.Dense(5)(x), "a": layers.Dense(6)(x)}]})
    listed = keras.Model([title, tags], [layers.Dense(2)(x), {"b": layers.Dense(5)(x), "a": layers.Dense(6)(x)}])
"""


def test_outputs_and_inputs_given_as_dicts_are_in_the_order_of_their_keys():
    """Keras flattens a dict of outputs by its sorted keys, as the functional API guide's model shows; a dict
    within a dict keeps its order."""
    report = agrees(DICT_OUTPUTS)
    assert report.output_shape == [[4], [2], [5], [6], [1]]
    assert report.input_shape == [[12], [None]]
    assert agrees(DICT_OUTPUTS, "listed").output_shape == [[2], [6], [5]]


@pytest.mark.parametrize("layer", ["layers.MultiHeadAttention(num_heads=2, key_dim=4)(q, v, {})",
                                   "layers.Attention(use_scale=True)([q, v], {})",
                                   "layers.AdditiveAttention()([q, v, v], {})"])
def test_attention_scores_returned_beside_the_output(layer):
    """``out, scores = attention(..., return_attention_scores=True)``: both tensors, as Keras shapes them when it
    runs the model (its symbolic shape of MultiHeadAttention's scores takes the query's length for the key's)."""
    import numpy as np

    source = f"""
        import keras
        from keras import layers
        q = keras.Input((20, 16))
        v = keras.Input((7, 16))
        out, scores = {layer.format("return_attention_scores=True")}
        model = keras.Model([q, v], [layers.Dense(3)(out), scores])
    """
    (report,) = lint(source).models
    model = run_in_keras(source)["model"]
    outputs = model([np.zeros((1, 20, 16), "float32"), np.zeros((1, 7, 16), "float32")])
    assert report.output_shape == [list(t.shape[1:]) for t in outputs]
    assert report.output_shape[1][-2:] == [20, 7]
    assert (report.total_params, report.trainable_params) == (model.count_params(), _trainable(model))


@pytest.mark.parametrize("setting", ["", "keras.backend.set_epsilon(1e-5)\n"])
def test_a_siamese_distance_guarded_by_the_backend_epsilon(setting):
    """The Keras siamese example: one embedding model on both inputs, their distance kept off zero by
    ``keras.backend.epsilon()``."""
    agrees(f"""
        import keras
        from keras import layers, ops
        {setting}
        def euclidean_distance(vects):
            x, y = vects
            sum_square = ops.sum(ops.square(x - y), axis=1, keepdims=True)
            return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))

        embedding = keras.Sequential([keras.Input((12,)), layers.BatchNormalization(), layers.Dense(4)])
        a, b = keras.Input((12,)), keras.Input((12,))
        distance = layers.Lambda(euclidean_distance, output_shape=(1,))([embedding(a), embedding(b)])
        model = keras.Model([a, b], layers.Dense(1)(layers.BatchNormalization()(distance)))
    """.replace("\n        \n", "\n"))


def test_a_vae_encoder_and_recurrent_states_as_outputs():
    agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        latent_dim = 2
        encoder_inputs = keras.Input(shape=(28, 28, 1))
        x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
        x = layers.Flatten()(x)
        z_mean = layers.Dense(latent_dim, name="z_mean")(x)
        z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
        sequence, state_h, state_c = layers.LSTM(5, return_sequences=True, return_state=True)(
            layers.Reshape((14 * 14, 32))(x))
        model = keras.Model(encoder_inputs, [z_mean, z_log_var, sequence, state_h, state_c], name="encoder")
    """)


def test_a_subclassed_model_returning_several_tensors():
    report = agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers

        class TwoHeads(keras.Model):
            def __init__(self):
                super().__init__()
                self.body = layers.Dense(8, activation="relu")
                self.policy = layers.Dense(4)
                self.value = layers.Dense(1)

            def call(self, x):
                h = self.body(x)
                return self.policy(h), self.value(h)

        model = TwoHeads()  # cnnlint: input-shape=6
    """)
    assert report.output_shape == [[4], [1]]


def test_the_summary_shows_every_output():
    from cnnlint.reporters.summary import render_model
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(6,))
        model = keras.Model(inputs, [layers.Dense(3)(inputs), layers.Dense(2)(inputs)])
    """)
    assert "Outputs: (None, 3), (None, 2)" in render_model(result.models[0]).splitlines()


# -- TensorFlow ops and keras.ops on Keras tensors --------------------------------------------


def test_tensorflow_ops_inside_a_tf_keras_model():
    report = agrees("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(16, 16, 3))
        x = layers.Conv2D(8, 3, padding="same")(inputs)
        x = tf.nn.relu(x)
        y = tf.nn.leaky_relu(tf.nn.relu6(x), alpha=0.1)
        x = tf.concat([x, tf.nn.swish(y)], axis=-1)
        x = tf.reshape(x, (-1, 16 * 16, 16))
        x = tf.expand_dims(x, 1)
        x = tf.squeeze(x, axis=1)
        x = tf.transpose(x, perm=[0, 2, 1])
        x = tf.reduce_mean(x, axis=-1, keepdims=True)
        x = layers.Dense(4)(tf.math.sigmoid(x))
        model = keras.Model(inputs, tf.nn.softmax(x, axis=1))
    """)
    assert report.output_shape == [16, 4]


KERAS_OPS = """
    import keras
    from keras import layers, ops
    inputs = keras.Input(shape=(8, 8, 6))
    channels = inputs.shape[-1]
    x = layers.Conv2D(channels * 2, 1)(inputs)
    x = ops.concatenate([x, ops.relu(inputs)], axis=-1)
    x = ops.reshape(x, (-1, 64, x.shape[-1]))
    x = ops.mean(ops.transpose(x, (0, 2, 1)), axis=1)
    model = keras.Model(inputs, layers.Dense(ops.shape(x)[-1] // 2)(ops.expand_dims(x, -1)))
"""


def test_keras_ops_and_shapes_read_from_tensors():
    expected = agrees(KERAS_OPS)
    # tf.keras' backend.int_shape reads the same shape (Keras 3 has no int_shape to run)
    source = KERAS_OPS.replace("x.shape[-1]))", "keras.backend.int_shape(x)[-1]))")
    assert "int_shape" in source
    got = lint(source).models[0]
    assert (got.total_params, got.output_shape) == (expected.total_params, expected.output_shape)


def test_tf_shape_gives_the_batch_size():
    result = lint("""
        import tensorflow as tf
        from tensorflow import keras
        inputs = keras.Input(shape=(4, 4, 2))
        x = tf.reshape(inputs, [tf.shape(inputs)[0], 16, 2])
        model = keras.Model(inputs, keras.layers.Dense(3)(x))
    """)
    assert (result.models[0].output_shape, result.models[0].total_params) == ([16, 3], 9)


def test_an_op_on_values_that_are_not_tensors_is_left_alone():
    result = lint("""
        import tensorflow as tf
        from tensorflow import keras
        sizes = tf.concat([[1, 2], [3]], axis=0)
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
    """)
    assert result.models[0].total_params == 15


# -- wrappers and layers cnnlint did not model ---------------------------------------------------


def test_time_distributed_layers_over_a_video():
    agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            keras.Input(shape=(5, 32, 32, 3)),
            layers.TimeDistributed(layers.Conv2D(8, 3, activation="relu")),
            layers.TimeDistributed(layers.MaxPooling2D()),
            layers.TimeDistributed(layers.Flatten()),
            layers.LSTM(16),
            layers.Dense(2),
        ])
    """)


def test_time_distributed_of_a_layer_that_does_not_fit_is_the_error():
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input(shape=(5, 4, 4, 3)), layers.TimeDistributed(layers.Conv2D(8, 7))])
    """)
    assert [d.code for d in result.diagnostics] == ["CNN103"]


@pytest.mark.parametrize("body", [
    "lambda x: x * 2.0 + 1",
    "lambda t: tf.concat([t, tf.nn.relu(t)], axis=-1)",
    "lambda x: x[:, 0, :]",
    "lambda x: K.mean(x, axis=1)",
    "lambda x: tf.expand_dims(x, -1)",
    "halve",
])
def test_lambda_layers_whose_function_cnnlint_can_follow(body):
    source = f"""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras import backend as K

        def halve(x):
            return x[:, ::2]

        model = keras.Sequential([
            keras.Input(shape=(6, 4)),
            layers.Dense(8),
            layers.Lambda({body}),
            layers.Flatten(),
            layers.Dense(3),
        ])
    """
    if "K.mean" in body:  # Keras 3's backend module has no mean(): the same op through keras.ops
        expected = run_in_keras(source.replace("K.mean", "keras.ops.mean"))["model"]
        report = lint(source).models[0]
        assert (report.total_params, report.output_shape) == (expected.count_params(), [3])
    else:
        agrees(source)


@pytest.mark.parametrize("body", ["lambda t: t / 255.0", "lambda t: tf.nn.relu(t) * 2.0"])
def test_a_lambda_in_a_functional_model_is_followed_where_the_model_is_traced(body):
    """The functional graph is replayed on the traced input: the Lambda's function runs again there."""
    agrees(f"""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(8, 16, 16, 3))
        x = layers.Lambda({body})(inputs)
        x = layers.TimeDistributed(layers.Conv2D(4, 3, activation="relu"))(x)
        x = layers.TimeDistributed(layers.GlobalAveragePooling2D())(x)
        x = layers.LSTM(6)(x)
        model = keras.Model(inputs, layers.Dense(5)(x))
    """)


def test_a_lambda_cnnlint_cannot_follow_is_unknown():
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        import preprocessing
        model = keras.Sequential([keras.Input(shape=(6, 4)), layers.Lambda(preprocessing.scale), layers.Dense(3)])
    """)
    assert result.models[0].total_params is None
    assert [d.code for d in result.diagnostics] == ["CNN900"]


def test_conv_lstm_over_frames():
    agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(None, 16, 16, 1))
        x = layers.ConvLSTM2D(8, (3, 3), padding="same", return_sequences=True)(inputs)
        x = layers.BatchNormalization()(x)
        x = layers.ConvLSTM2D(4, (5, 5), strides=2, return_sequences=False)(x)
        model = keras.Model(inputs, layers.Conv2D(1, 3, padding="same")(x))
    """)


# -- sizes from data stay unknown -------------------------------------------------------------------


def test_notebook_sizes_from_data_are_unknown_never_errors():
    result = lint("""
        import tensorflow as tf
        from tensorflow import keras
        (x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
        class_names = sorted(set(open("labels.txt").read().split()))
        model = keras.Sequential([
            keras.Input(shape=x_train.shape[1:]),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation=tf.nn.relu),
            keras.layers.Dense(len(class_names)),
        ])
    """)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert result.models[0].total_params is None


def test_tf_keras_backend_functions_keep_their_own_defaults():
    # K.concatenate joins the last axis and K.expand_dims adds one at the end, unlike keras.ops
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import backend as K
        inputs = keras.Input(shape=(4, 3))
        x = K.expand_dims(K.concatenate([inputs, inputs]))
        model = keras.Model(inputs, x)
    """)
    assert result.models[0].output_shape == [4, 6, 1]
