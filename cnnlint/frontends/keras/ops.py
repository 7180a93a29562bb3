"""Operations on Keras tensors: ``keras.ops.*``, Keras activations called as functions, and the TensorFlow
ops tf.keras code applies to symbolic tensors (``tf.nn.relu``, ``tf.concat``, ``tf.reshape``...).

None has weights; each maps to the engine layer that computes its shape.  Signatures follow Keras 3's
``keras.ops`` and TensorFlow's (``tf.concat(values, axis)``, ``tf.transpose(a, perm)``), so that arguments
bind as the library binds them.  Reshapes take the full shape, batch included, as both libraries do.
"""

from __future__ import annotations

from typing import Optional

from ...engine.base import InvalidArgument, Unresolved
from ...engine.core import SameShape
from ...engine.merge import Concatenate, ElementWise, Stack
from ...engine.pooling import Reduce
from ...engine.reshaping import Permute, Squeeze, Unsqueeze, View
from ..signatures import LayerTable

OPS = LayerTable("keras")
FRAMEWORK = "keras"

#: where these names are found: keras.ops (and keras.ops.nn, keras.activations), tf, tf.nn, tf.math
_NAMESPACES = ("keras.ops.nn.", "keras.ops.numpy.", "keras.ops.", "keras.activations.", "keras.backend.",
               "tensorflow.nn.", "tensorflow.math.", "tensorflow.")


def op_name(qualname: str) -> Optional[str]:
    """The table name of an op written as ``tf.nn.relu``, ``keras.ops.concatenate``...; None for others."""
    for prefix in ("tensorflow.keras.", "tf_keras.", "keras.src."):
        if qualname.startswith(prefix):
            qualname = "keras." + qualname[len(prefix):]
    for namespace in _NAMESPACES:
        if qualname.startswith(namespace):
            name = qualname[len(namespace):]
            key = ("tf." if namespace.startswith("tensorflow") else "") + name
            return key if key in OPS or key in SHAPE_OPS else None
    return None


def _axis(value, what: str = "axis") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{what} must be an integer, got {value!r}")
    return value


def _axes(value, what: str = "axis"):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(_axis(v, what) for v in value)
    return (_axis(value, what),)


def _shape(value, what: str) -> tuple:
    if not isinstance(value, (list, tuple)):
        raise Unresolved(f"the shape given to {what} is not known")
    for d in value:
        if getattr(d, "is_unknown", False) or d is None:
            raise Unresolved(f"the shape given to {what} is not known")
    return tuple(value)


_ELEMENTWISE = ("relu", "relu6", "silu", "swish", "sigmoid", "hard_sigmoid", "hard_silu", "hard_swish", "tanh",
                "softplus", "softsign", "elu", "selu", "gelu", "mish", "leaky_relu", "log_sigmoid", "exp", "log",
                "abs", "sqrt", "square", "negative", "sign", "floor", "ceil", "round", "sin", "cos", "erf",
                "rsqrt", "clip", "softmax", "log_softmax", "linear")


@OPS.register(*_ELEMENTWISE)
def elementwise(type_name, x, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)


@OPS.register(*("tf." + name for name in _ELEMENTWISE + ("dropout", "l2_normalize")))
def tf_elementwise(type_name, x, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name[3:])


@OPS.register("add", "subtract", "multiply", "divide", "maximum", "minimum", "power", "tf.add", "tf.subtract",
              "tf.multiply", "tf.divide", "tf.maximum", "tf.minimum", "tf.pow")
def binary(type_name, x1, x2, *args, **kwargs):
    return ElementWise(FRAMEWORK, type_name.rsplit(".", 1)[-1])


@OPS.register("concatenate")
def concatenate(type_name, xs, axis=0):
    return Concatenate(FRAMEWORK, type_name, axis=_axis(axis))


@OPS.register("tf.concat")
def tf_concat(type_name, values, axis, name=None):
    return Concatenate(FRAMEWORK, "concat", axis=_axis(axis))


@OPS.register("stack", "tf.stack")
def stack(type_name, xs=None, axis=0, name=None, values=None):
    return Stack(FRAMEWORK, "stack", axis=_axis(axis))


@OPS.register("reshape", "tf.reshape")
def reshape(type_name, x, newshape=None, name=None, shape=None):
    target = _shape(newshape if newshape is not None else shape, type_name)
    return View(FRAMEWORK, "reshape", target=target)


@OPS.register("expand_dims", "tf.expand_dims")
def expand_dims(type_name, x, axis, name=None):
    return Unsqueeze(FRAMEWORK, "expand_dims", axis=_axis(axis))


@OPS.register("squeeze", "tf.squeeze")
def squeeze(type_name, x, axis=None, name=None):
    return Squeeze(FRAMEWORK, "squeeze", axes=_axes(axis))


@OPS.register("transpose", "tf.transpose")
def transpose(type_name, x, axes=None, perm=None, conjugate=False, name=None):
    order = perm if perm is not None else axes
    if order is None:
        raise Unresolved("transpose without axes (all axes reversed) is not modelled")
    return Permute(FRAMEWORK, "transpose", order=tuple(_axis(a) for a in order))


@OPS.register("mean", "sum", "max", "min", "prod", "std", "var")
def reduce(type_name, x, axis=None, keepdims=False, **kwargs):
    return Reduce(FRAMEWORK, type_name, axes=_axes(axis), keepdim=bool(keepdims))


@OPS.register("tf.reduce_mean", "tf.reduce_sum", "tf.reduce_max", "tf.reduce_min", "tf.reduce_prod")
def tf_reduce(type_name, input_tensor, axis=None, keepdims=False, name=None):
    return Reduce(FRAMEWORK, type_name[3:], axes=_axes(axis), keepdim=bool(keepdims))


#: ops that read a tensor's shape, a Python value rather than a node: Keras gives None for the batch,
#: ``tf.shape`` a tensor whose first entry is the batch size
SHAPE_OPS = ("shape", "int_shape", "tf.shape")

#: the tensor arguments of the ops' signatures
TENSOR_PARAMETERS = ("x", "x1", "x2", "xs", "values", "input_tensor")
