"""Recurrent layers: simple RNN, LSTM and GRU, uni- or bidirectional, stacked.

One formula for both frameworks: a cell with ``gates`` gates has per
direction and layer ``gates·units·(inputs + units)`` weights plus its biases.
Keras has one bias vector per gate (GRU's default ``reset_after`` adds a
second for the recurrent kernel); PyTorch always has two (b_ih and b_hh).
"""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Tensor, Weights
from .base import (InvalidArgument, Layer, Stop, TakesAnyInput, Unresolved, apply, check_features, declared_feature,
                   require_rank, symbols)

GATES = {"rnn": 1, "gru": 3, "lstm": 4}
MERGE_MODES = ("concat", "sum", "mul", "ave", None)


class Recurrent(Layer):
    """A recurrent layer over (batch, time, features) — or (time, batch, features).

    Options: ``cell`` "rnn" | "lstm" | "gru"; ``bias_vectors`` per gate (Keras
    1, or 2 for GRU reset_after; PyTorch 2); ``directions`` 1 or 2 with
    ``merge_mode`` joining them (PyTorch: always "concat");
    ``num_layers`` stacked layers (PyTorch); ``input_size`` when declared;
    ``proj_size`` (PyTorch LSTM); ``batch_first`` (PyTorch default False).

    Output, Keras style (``torch_outputs=False``): the output, then with
    ``return_state`` each direction's states (h, plus c for an LSTM), each
    (batch, units); ``merge_mode=None`` gives the two directions' outputs.
    PyTorch style: ``(output, h_n)`` or ``(output, (h_n, c_n))`` with
    h_n of shape (directions·num_layers, batch, units).
    """

    def __init__(self, framework: str, type_name: str, *, cell: str, units: int, bias: bool = True,
                 bias_vectors: int = 1, return_sequences: bool = False, return_state: bool = False,
                 directions: int = 1, merge_mode: Optional[str] = "concat", num_layers: int = 1,
                 input_size: Optional[int] = None, proj_size: int = 0, batch_first: bool = True,
                 torch_outputs: bool = False, label: str = ""):
        super().__init__(framework, type_name)
        if cell not in GATES:
            raise InvalidArgument(f"unknown recurrent cell {cell!r}")
        if merge_mode not in MERGE_MODES:
            raise InvalidArgument(f"merge_mode must be one of {MERGE_MODES}, got {merge_mode!r}")
        if proj_size and (cell != "lstm" or proj_size >= units):
            raise InvalidArgument(f"proj_size ({proj_size}) needs an LSTM and must be smaller than hidden_size")
        self.cell = cell
        self.units = units
        self.bias = bias
        self.bias_vectors = bias_vectors
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.directions = directions
        self.merge_mode = merge_mode
        self.num_layers = num_layers
        self.input_size = input_size
        self.proj_size = proj_size
        self.batch_first = batch_first
        self.torch_outputs = torch_outputs
        self.label = label
        if input_size is not None:
            self.declared = self._weights(input_size)

    @property
    def out_units(self) -> int:
        return self.proj_size or self.units

    def bidirectional(self, merge_mode: Optional[str]) -> "Recurrent":
        """This layer run in both directions (Keras' Bidirectional wrapper)."""
        return Recurrent(self.framework, "Bidirectional", cell=self.cell, units=self.units, bias=self.bias,
                         bias_vectors=self.bias_vectors, return_sequences=self.return_sequences,
                         return_state=self.return_state, directions=2, merge_mode=merge_mode,
                         input_size=self.input_size, label=self.label)

    def _layer_inputs(self, features) -> list:
        """The input size of each stacked layer."""
        return [features] + [self.directions * self.out_units] * (self.num_layers - 1)

    def _weights(self, features) -> Weights:
        gated = GATES[self.cell] * self.units
        total = 0
        for fin in self._layer_inputs(features):
            kernels = dims.mul(gated, dims.add(fin, self.out_units))
            biases = gated * self.bias_vectors if self.bias else 0
            projection = self.units * self.proj_size
            total = dims.add(total, dims.add(kernels, biases + projection))
        return Weights(dims.mul(total, self.directions), 0)

    def _merged(self) -> int:
        return self.out_units * (2 if self.directions == 2 and self.merge_mode == "concat" else 1)

    def declared_sizes(self, inputs):
        return declared_feature(inputs[0], -1, self.input_size) if self.input_size else []

    def implied_input(self):
        return None if self.input_size is None else symbols(("T",)) + (self.input_size,)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x = inputs[0]
        require_rank(self, x, (2, 3) if self.framework == "torch" else 3)
        features = x.shape[-1]
        if self.input_size is not None:
            check_features(self, x, self.input_size, "input features", label=self.label)
        elif features is None:
            raise Stop()
        else:
            node.weights = self._weights(features)
        if x.rank == 2:  # unbatched PyTorch input: (time, features)
            time, batch = x.shape[0], ()
        elif self.batch_first:
            time, batch = x.shape[1], (x.shape[0],)
        else:
            time, batch = x.shape[0], (x.shape[1],)
        if self.torch_outputs:
            return self._torch_outputs(node, x, time, batch)
        width = self._merged()
        shape = batch + (time, width) if self.return_sequences else batch + (width,)
        outputs = [Tensor(shape, node) for _ in range(2 if self.directions == 2 and self.merge_mode is None else 1)]
        if self.return_state:
            states = 2 if self.cell == "lstm" else 1
            outputs += [Tensor(batch + (self.units,), node) for _ in range(states * self.directions)]
        return tuple(outputs) if len(outputs) > 1 else outputs[0]

    def _torch_outputs(self, node: Node, x: Tensor, time, batch: tuple):
        sequence = (time,) + batch if not self.batch_first or not batch else batch + (time,)
        output = Tensor(sequence + (self.directions * self.out_units,), node)
        stacked = self.directions * self.num_layers
        h_n = Tensor((stacked,) + batch + (self.out_units,), node)
        if self.cell == "lstm":
            return output, (h_n, Tensor((stacked,) + batch + (self.units,), node))
        return output, h_n

    def macs(self, node: Node):
        x = node.inputs[0]
        if x.rank == 2:
            time, features = x.shape
        else:
            time, features = (x.shape[1] if self.batch_first else x.shape[0]), x.shape[-1]
        gated = GATES[self.cell] * self.units
        per_step = 0
        for fin in self._layer_inputs(features):
            per_step = dims.add(per_step, dims.add(dims.mul(gated, dims.add(fin, self.out_units)),
                                                   self.units * self.proj_size))
        return dims.mul(time, dims.mul(per_step, self.directions))


class RecurrentCell(Layer):
    """One step of a recurrent cell (PyTorch's RNNCell, LSTMCell, GRUCell) on (batch, features) or (features,),
    the code looping over time itself: the next hidden state, and for an LSTM the next cell state too, each
    (batch, units).  Its weights are one layer of :class:`Recurrent`'s, with PyTorch's two bias vectors."""

    def __init__(self, framework: str, type_name: str, *, cell: str, units: int, input_size: int,
                 bias: bool = True):
        super().__init__(framework, type_name)
        self.cell = cell
        self.units = units
        self.input_size = input_size
        gated = GATES[cell] * units
        self.declared = Weights(gated * (input_size + units) + (2 * gated if bias else 0), 0)

    def declared_sizes(self, inputs):
        return declared_feature(inputs[0], -1, self.input_size)

    def implied_input(self):
        return (self.input_size,)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x = inputs[0]
        require_rank(self, x, (1, 2))
        check_features(self, x, self.input_size, "input features")
        state = x.shape[:-1] + (self.units,)
        return (Tensor(state, node), Tensor(state, node)) if self.cell == "lstm" else Tensor(state, node)

    def macs(self, node: Node):
        return GATES[self.cell] * self.units * (self.input_size + self.units)


def bidirectional(layer, merge_mode: Optional[str], backward=None) -> Recurrent:
    """Keras' Bidirectional(layer, merge_mode, backward_layer) as one engine layer."""
    if not isinstance(layer, Recurrent) or layer.directions != 1:
        raise InvalidArgument("Bidirectional needs a recurrent layer")
    if merge_mode not in MERGE_MODES:
        raise InvalidArgument(f"merge_mode must be one of {MERGE_MODES}, got {merge_mode!r}")
    if backward is not None:
        if not isinstance(backward, Recurrent) or any(
                getattr(backward, a) != getattr(layer, a) for a in ("return_sequences", "return_state")):
            raise InvalidArgument("Bidirectional: backward_layer must be a recurrent layer with the forward "
                                  "layer's return_sequences and return_state")
        if any(getattr(backward, a) != getattr(layer, a) for a in ("cell", "units", "bias", "bias_vectors")):
            raise Unresolved("Bidirectional with a backward_layer unlike the forward layer is not modelled")
    return layer.bidirectional(merge_mode)


class ConvRecurrent(TakesAnyInput, Layer):
    """Keras' ConvLSTM1D/2D/3D over (batch, time, *spatial, channels): an LSTM whose four gates are
    convolutions. ``conv`` is the input convolution (one gate, no bias); the recurrent one keeps the state's
    size ('same', stride 1). Per gate: a kernel over the input channels and one over the state's."""

    def __init__(self, framework: str, type_name: str, *, conv, bias: bool, return_sequences: bool,
                 return_state: bool):
        super().__init__(framework, type_name)
        self.conv = conv
        self.bias = bias
        self.return_sequences = return_sequences
        self.return_state = return_state

    def _step(self, x: Tensor) -> Node:
        return apply(self.conv, [Tensor((x.shape[0],) + tuple(x.shape[2:]))])

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, self.conv.rank + 3)
        step = self._step(x)
        node.facts.extend(step.facts)
        out = step.output
        if not isinstance(out, Tensor) or out.shape is None:
            raise Stop()
        channels = x.shape[-1] if self.conv.channels_last else x.shape[2]
        gates, filters = GATES["lstm"], self.conv.filters
        kernels = dims.mul(dims.product(self.conv.kernel), dims.add(channels, filters))
        node.weights = Weights(dims.add(dims.mul(gates * filters, kernels), gates * filters if self.bias else 0), 0)
        state = Tensor(out.shape)
        output = Tensor((x.shape[0], x.shape[1]) + tuple(out.shape[1:])) if self.return_sequences else Tensor(out.shape)
        return (output, state, Tensor(out.shape)) if self.return_state else output

    def macs(self, node: Node):
        x = node.inputs[0]
        step = self._step(x)
        out = step.output
        channels = x.shape[-1] if self.conv.channels_last else x.shape[2]
        per_position = dims.mul(GATES["lstm"] * self.conv.filters,
                                dims.mul(dims.product(self.conv.kernel), dims.add(channels, self.conv.filters)))
        positions = dims.product(out.shape[1:-1] if self.conv.channels_last else out.shape[2:])
        return dims.mul(x.shape[1], dims.mul(per_position, positions))
