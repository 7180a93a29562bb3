"""A GAN in Keras: the discriminator is frozen before the combined model is built."""
import numpy as np
from keras.layers import BatchNormalization, Dense, Flatten, Input, LeakyReLU, Reshape
from keras.models import Model, Sequential
from keras.optimizers import Adam

img_rows, img_cols, channels = 28, 28, 1
img_shape = (img_rows, img_cols, channels)
latent_dim = 100


def build_generator():
    model = Sequential()
    model.add(Dense(256, input_dim=latent_dim))
    model.add(LeakyReLU(negative_slope=0.2))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Dense(512))
    model.add(LeakyReLU(negative_slope=0.2))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Dense(1024))
    model.add(LeakyReLU(negative_slope=0.2))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Dense(int(np.prod(img_shape)), activation="tanh"))
    model.add(Reshape(img_shape))
    noise = Input(shape=(latent_dim,))
    img = model(noise)
    return Model(noise, img)


def build_discriminator():
    model = Sequential()
    model.add(Flatten(input_shape=img_shape))
    model.add(Dense(512))
    model.add(LeakyReLU(negative_slope=0.2))
    model.add(Dense(256))
    model.add(LeakyReLU(negative_slope=0.2))
    model.add(Dense(1, activation="sigmoid"))
    img = Input(shape=img_shape)
    validity = model(img)
    return Model(img, validity)


optimizer = Adam(0.0002, 0.5)
discriminator = build_discriminator()
discriminator.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])
generator = build_generator()

z = Input(shape=(latent_dim,))
img = generator(z)
# only the generator is trained through the combined model
discriminator.trainable = False
validity = discriminator(img)
combined = Model(z, validity)
combined.compile(loss="binary_crossentropy", optimizer=optimizer)
