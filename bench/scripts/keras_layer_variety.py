"""Keras layers whose weights depend on their options: GRU's reset_after, depth multipliers, attention scales."""
import keras
from keras import layers

inputs = keras.Input(shape=(33, 33, 3))
x = layers.ZeroPadding2D(((1, 0), (1, 0)))(inputs)
x = layers.Conv2D(16, 3, strides=2, padding="same")(x)
x = layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", use_bias=False)(x)
x = layers.SeparableConv2D(24, 3, depth_multiplier=3, padding="valid")(x)
x = layers.Conv2DTranspose(12, 3, strides=2, padding="same", output_padding=1)(x)
x = layers.UpSampling2D(size=(2, 2), interpolation="bilinear")(x)
x = layers.Cropping2D(cropping=((2, 1), (0, 3)))(x)
x = layers.LayerNormalization(center=False)(x)
x = layers.GlobalAveragePooling2D(keepdims=True)(x)
x = layers.Flatten()(x)
image_model = keras.Model(inputs, layers.Dense(4)(x))

seq = keras.Input(shape=(20, 8))
a = layers.GRU(16, return_sequences=True, reset_after=False)(seq)
b = layers.GRU(16, return_sequences=True)(seq)
c = layers.LSTM(16, return_sequences=True, use_bias=False)(seq)
att = layers.Attention(use_scale=True)([a, b])
add_att = layers.AdditiveAttention()([b, c])
mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=6, output_shape=10)(a, c)
y = layers.Concatenate()([att, add_att, mha])
y = layers.Conv1D(8, 3, dilation_rate=2, padding="causal")(y)
y = layers.GlobalMaxPooling1D()(y)
sequence_model = keras.Model(seq, layers.Dense(2, activation="softmax")(y))
