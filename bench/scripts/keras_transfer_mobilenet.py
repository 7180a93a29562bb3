"""The TensorFlow transfer-learning tutorial: a frozen MobileNetV2 base under a new classification head."""
import keras
from keras import layers

IMG_SIZE = (160, 160)
IMG_SHAPE = IMG_SIZE + (3,)

base_model = keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights=None)
base_model.trainable = False

preprocess_input = keras.applications.mobilenet_v2.preprocess_input
global_average_layer = layers.GlobalAveragePooling2D()
prediction_layer = layers.Dense(1)

inputs = keras.Input(shape=IMG_SHAPE)
x = layers.RandomFlip("horizontal")(inputs)
x = layers.Rescaling(1.0 / 127.5, offset=-1)(x)
x = base_model(x, training=False)
x = global_average_layer(x)
x = layers.Dropout(0.2)(x)
outputs = prediction_layer(x)
model = keras.Model(inputs, outputs)
