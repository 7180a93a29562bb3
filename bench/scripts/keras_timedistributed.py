"""A video classifier: a CNN applied to every frame, then an LSTM, as Keras users write it."""
import keras
from keras import layers

frames, height, width = 8, 32, 32

inputs = keras.Input(shape=(frames, height, width, 3))
x = layers.Lambda(lambda t: t / 255.0)(inputs)
x = layers.TimeDistributed(layers.Conv2D(16, 3, activation="relu"))(x)
x = layers.TimeDistributed(layers.MaxPooling2D())(x)
x = layers.TimeDistributed(layers.Conv2D(32, 3, activation="relu"))(x)
x = layers.TimeDistributed(layers.GlobalAveragePooling2D())(x)
x = layers.LSTM(32)(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs)
