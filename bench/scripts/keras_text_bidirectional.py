"""Bidirectional LSTM on IMDB, as in the Keras examples."""
import keras
from keras import layers

max_features = 20000
maxlen = 200

inputs = keras.Input(shape=(maxlen,), dtype="int32")
x = layers.Embedding(max_features, 128)(inputs)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(64))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
