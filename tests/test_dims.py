"""The small symbolic algebra behind dimensions."""

from __future__ import annotations

from cnnlint import dims
from cnnlint.dims import Expr

H = Expr.symbol("H")
W = Expr.symbol("W")


def test_int_arithmetic_stays_int():
    assert dims.add(3, 4) == 7
    assert dims.floordiv(7, 2) == 3
    assert dims.ceildiv(7, 2) == 4
    assert dims.product([2, 3, 4]) == 24


def test_unknown_propagates():
    assert dims.add(None, 3) is None
    assert dims.mul(H, None) is None
    assert dims.product([H, None]) is None


def test_different_routes_to_the_same_polynomial_compare_equal():
    assert dims.mul(dims.add(H, 1), 2) == dims.add(dims.mul(H, 2), 2)
    assert dims.sub(dims.add(H, W), W) == H
    assert dims.sub(H, H) == 0


def test_exact_division():
    assert dims.floordiv(dims.mul(H, 4), 2) == dims.mul(H, 2)
    assert dims.exact_div(dims.mul(H, W), W) == H
    assert dims.exact_div(dims.add(H, 1), 2) is None  # not exact for every H


def test_floor_division_atom_keeps_its_constant_inside():
    out = dims.add(dims.floordiv(dims.sub(H, 3), 2), 1)  # conv 3x3, stride 2
    assert str(out) == "(H - 1) // 2"
    for h in range(3, 20):
        assert dims.evaluate(out, {"H": h}) == (h - 3) // 2 + 1


def test_nested_floor_division_merges():
    assert dims.floordiv(dims.floordiv(H, 2), 3) == dims.floordiv(H, 6)


def test_ceildiv_matches_integers():
    out = dims.ceildiv(H, 3)
    for h in range(1, 20):
        assert dims.evaluate(out, {"H": h}) == -(-h // 3)


def test_definitely_different_only_decides_what_holds_for_all_values():
    assert dims.definitely_different(3, 4)
    assert dims.definitely_different(dims.add(H, 1), H)
    assert not dims.definitely_different(H, W)  # equal when H == W
    assert not dims.definitely_different(H, None)
    assert not dims.definitely_different(dims.mul(H, 2), dims.mul(H, 2))


def test_render_and_json():
    assert dims.render(None) == "?"
    assert dims.to_json(dims.mul(H, 16)) == "16*H"
    assert dims.to_json(5) == 5
    assert dims.symbols(dims.add(dims.floordiv(H, 2), W)) == {"H", "W"}
