"""A Keras siamese network: one embedding model applied to both inputs, their distance through a Lambda layer."""
import keras
from keras import layers, ops


def euclidean_distance(vects):
    x, y = vects
    sum_square = ops.sum(ops.square(x - y), axis=1, keepdims=True)
    return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))


input_shape = (28, 28, 1)

embedding_network = keras.Sequential([
    keras.Input(input_shape),
    layers.BatchNormalization(),
    layers.Conv2D(4, (5, 5), activation="tanh"),
    layers.AveragePooling2D(pool_size=(2, 2)),
    layers.Conv2D(16, (5, 5), activation="tanh"),
    layers.AveragePooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.BatchNormalization(),
    layers.Dense(10, activation="tanh"),
])

input_1 = keras.Input(input_shape)
input_2 = keras.Input(input_shape)
tower_1 = embedding_network(input_1)
tower_2 = embedding_network(input_2)

merge_layer = layers.Lambda(euclidean_distance, output_shape=(1,))([tower_1, tower_2])
normal_layer = layers.BatchNormalization()(merge_layer)
output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)
