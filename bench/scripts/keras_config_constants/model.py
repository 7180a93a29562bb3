"""A Keras classifier sized by a configuration module beside it."""
import keras
from keras import layers

import config

model = keras.Sequential(name="cnn")
model.add(keras.Input(shape=(config.IMG_SIZE, config.IMG_SIZE, config.CHANNELS)))
for filters in config.FILTERS:
    model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D())
model.add(layers.Flatten())
model.add(layers.Dropout(config.DROPOUT))
model.add(layers.Dense(config.NUM_CLASSES, activation="softmax"))
