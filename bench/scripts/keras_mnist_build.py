"""A Keras Sequential CNN built without an Input layer, its shape given by model.build()."""
import keras
from keras import layers

num_classes = 10

model = keras.Sequential()
model.add(layers.Conv2D(32, kernel_size=(3, 3), use_bias=False))
model.add(layers.BatchNormalization())
model.add(layers.ReLU())
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D(pool_size=(2, 2)))
model.add(layers.Dropout(0.25))
model.add(layers.Flatten())
model.add(layers.Dense(128, activation="relu"))
model.add(layers.BatchNormalization())
model.add(layers.Dropout(0.5))
model.add(layers.Dense(num_classes, activation="softmax"))
model.build((None, 28, 28, 1))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
