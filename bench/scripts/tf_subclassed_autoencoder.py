"""The TensorFlow tutorial's autoencoder: a subclassed model whose parts are Sequential attributes."""
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

latent_dim = 64


class Autoencoder(Model):
    def __init__(self, latent_dim):
        super(Autoencoder, self).__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential([
            layers.Flatten(),
            layers.Dense(latent_dim, activation="relu"),
        ])
        self.decoder = tf.keras.Sequential([
            layers.Dense(784, activation="sigmoid"),
            layers.Reshape((28, 28)),
        ])

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


autoencoder = Autoencoder(latent_dim)
autoencoder.compile(optimizer="adam", loss=losses.MeanSquaredError())
autoencoder.build((None, 28, 28))
