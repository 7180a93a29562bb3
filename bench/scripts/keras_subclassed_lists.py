"""Subclassed Keras models and layers holding their sublayers in lists, built by a first call on data."""
import numpy as np
import keras
from keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense_layers = [layers.Dense(units, activation="relu") for _ in range(2)]
        self.norm = layers.LayerNormalization()

    def call(self, inputs):
        x = inputs
        for layer in self.dense_layers:
            x = layer(x)
        return self.norm(inputs + x)


class ResidualMLP(keras.Model):
    def __init__(self, units=64, depth=3, num_classes=5):
        super().__init__()
        self.project = layers.Dense(units)
        self.blocks = [ResidualBlock(units) for _ in range(depth)]
        self.dropout = layers.Dropout(0.1)
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.project(inputs)
        for block in self.blocks:
            x = block(x)
        return self.head(self.dropout(x, training=training))


model = ResidualMLP()
_ = model(np.zeros((1, 20), dtype="float32"))
