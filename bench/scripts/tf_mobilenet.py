"""A small MobileNet-style classifier in tf.keras, with TensorFlow ops between the layers."""
import tensorflow as tf
from tensorflow.keras import layers


def conv_bn(x, filters, stride):
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return tf.nn.relu6(x)


def inverted_residual(x, expansion, filters, stride):
    channels = x.shape[-1]
    y = layers.Conv2D(channels * expansion, 1, use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = tf.nn.relu6(y)
    y = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    y = tf.nn.swish(y)
    y = layers.Conv2D(filters, 1, use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    if stride == 1 and channels == filters:
        y = layers.Add()([x, y])
    return y


inputs = tf.keras.Input(shape=(96, 96, 3))
x = conv_bn(inputs, 32, 2)
x = inverted_residual(x, 1, 16, 1)
x = inverted_residual(x, 6, 24, 2)
x = inverted_residual(x, 6, 24, 1)
a = layers.Conv2D(32, 1)(x)
b = layers.Conv2D(32, 3, padding="same")(x)
x = tf.concat([a, b], axis=-1)
x = tf.nn.leaky_relu(x, alpha=0.1)
x = layers.GlobalAveragePooling2D()(x)
x = tf.expand_dims(x, 1)
x = layers.Conv1D(64, 1)(x)
x = tf.squeeze(x, axis=1)
outputs = layers.Dense(10, activation="softmax")(x)
model = tf.keras.Model(inputs, outputs, name="tiny_mobilenet")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
