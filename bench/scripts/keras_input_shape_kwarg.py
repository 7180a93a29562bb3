"""Keras tutorials' Sequential models sized by the first layer's input_shape argument."""
import keras
from keras import layers

model = keras.Sequential([
    layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(10),
])

mlp = keras.models.Sequential()
mlp.add(layers.Dense(512, activation="relu", input_shape=(784,)))
mlp.add(layers.Dropout(0.2))
mlp.add(layers.Dense(512, activation="relu"))
mlp.add(layers.Dropout(0.2))
mlp.add(layers.Dense(10, activation="softmax"))

text = keras.Sequential()
text.add(layers.Embedding(10000, 16, input_length=120))
text.add(layers.Flatten())
text.add(layers.Dense(6, activation="relu"))
text.add(layers.Dense(1, activation="sigmoid"))
text.build((None, 120))
