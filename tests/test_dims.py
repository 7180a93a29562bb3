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


# -- divisions real models take: swin's windows folded back, strided slices of padded maps -------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _mod(a, b: int):
    return dims.sub(a, dims.mul(b, dims.floordiv(a, b)))  # Python's a % b, as the evaluator computes it


def _windows(window: int) -> Expr:
    """How many windows swin partitions an H×W map into after padding it to a multiple of ``window``:
    ``pad_b = (window - H % window) % window``."""
    pad_h = dims.add(H, _mod(dims.sub(window, _mod(H, window)), window))
    pad_w = dims.add(W, _mod(dims.sub(window, _mod(W, window)), window))
    return dims.mul(dims.floordiv(pad_h, window), dims.floordiv(pad_w, window))


@given(st.integers(1, 60), st.integers(1, 60), st.integers(2, 8), st.integers(1, 5))
def test_a_product_of_several_terms_divides_out_exactly(h, w, window, batch):
    windows = _windows(window)
    assert len(windows.terms) > 1  # a sum: no single term to cancel
    rows = dims.mul(dims.mul(Expr.symbol("batch"), windows), 3)
    env = {"H": h, "W": w, "batch": batch}
    assert dims.evaluate(windows, env) == -(-h // window) * -(-w // window)
    quotient = dims.exact_div(rows, windows)
    assert quotient == dims.mul(Expr.symbol("batch"), 3)
    assert dims.evaluate(dims.exact_div(dims.mul(windows, windows), windows), env) == dims.evaluate(windows, env)


def test_a_sum_that_is_not_a_multiple_does_not_divide():
    windows = _windows(7)
    assert dims.exact_div(dims.add(dims.mul(Expr.symbol("batch"), windows), 1), windows) is None
    assert dims.exact_div(dims.mul(H, windows), dims.add(windows, 1)) is None
    assert dims.exact_div(5, dims.add(H, 1)) is None


@given(st.integers(0, 200), st.integers(1, 4), st.integers(-9, 9), st.integers(1, 6))
def test_floor_division_takes_whole_multiples_out_as_python_does(h, k, c, d):
    half = dims.floordiv(H, 2)
    numerator = dims.add(dims.add(dims.mul(H, k * d), dims.mul(half, d)), dims.add(dims.mul(W, 1 if d > 1 else 0), c))
    env = {"H": h, "W": h + 1}
    assert dims.evaluate(dims.floordiv(numerator, d), env) == dims.evaluate(numerator, env) // d


def test_the_two_halves_of_a_map_padded_to_even_size_are_the_same_length():
    # swin's patch merging: F.pad(x, (0, 0, 0, W % 2, 0, H % 2)) then x[0::2] and x[1::2]
    padded = dims.add(H, dims.sub(H, dims.mul(2, dims.floordiv(H, 2))))
    assert dims.floordiv(dims.add(padded, 1), 2) == dims.floordiv(padded, 2)


def test_a_size_fed_back_into_itself_becomes_unknown_before_it_grows_without_bound():
    """``x = x // 2 + x // 3`` in a loop holds x twice per pass: its expression doubles each time
    (vit_pytorch's CrossFormer spent minutes of CPU comparing such sizes).  While it is small it
    stays exact; once it passes the bound it is unknown, and every later pass is free."""
    size, passes = H, []
    for _ in range(40):
        size = dims.add(dims.floordiv(size, 2), dims.floordiv(size, 3))
        passes.append(size)
    assert passes[0].evaluate({"H": 97}) == 97 // 2 + 97 // 3
    exact = [p for p in passes if p is not None]
    assert 2 <= len(exact) < 40 and passes[-1] is None
    assert all(p is None for p in passes[len(exact):])  # unknown stays unknown
    h = 10_000
    for expected in exact:
        h = h // 2 + h // 3
        assert expected.evaluate({"H": 10_000}) == h
    assert max(len(str(p)) for p in exact) < 20 * dims.MAX_ATOM_TEXT


def test_a_polynomial_of_too_many_terms_is_unknown():
    many = dims.product(dims.add(Expr.symbol(f"S{i}"), 1) for i in range(8))  # 2**8 monomials
    assert many is None
    assert dims.product(dims.add(Expr.symbol(f"S{i}"), 1) for i in range(5)).evaluate(
        {f"S{i}": 1 for i in range(5)}) == 2 ** 5
