"""Keras time series: a Normalization layer adapted to the data, stacked recurrent layers, 1-D convolutions."""
import numpy as np
import keras
from keras import layers

window, features = 24, 7

normalizer = layers.Normalization(axis=-1)
normalizer.adapt(np.random.rand(100, window, features).astype("float32"))

inputs = keras.Input(shape=(window, features))
x = normalizer(inputs)
x = layers.Conv1D(32, kernel_size=3, padding="causal", activation="relu")(x)
x = layers.MaxPooling1D(2)(x)
x = layers.LSTM(64, return_sequences=True)(x)
x = layers.Dropout(0.2)(x)
x = layers.Bidirectional(layers.GRU(32))(x)
x = layers.Dense(16, activation="relu")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

lstm_model = keras.Sequential([
    layers.Input((window, features)),
    layers.LSTM(32, return_sequences=True),
    layers.LSTM(16),
    layers.RepeatVector(4),
    layers.SimpleRNN(8, return_sequences=True),
    layers.TimeDistributed(layers.Dense(features)),
])
