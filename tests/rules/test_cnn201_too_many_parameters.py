"""CNN201 too-many-parameters: the --max-params budget."""


def test_max_params_budget(cnnlint):
    proc = cnnlint("--max-params", "40000", "fixtures/lenet5_keras.py")
    assert proc.returncode == 1
    assert "CNN201" in proc.stdout and "44,426" in proc.stdout
    assert cnnlint("--max-params", "44426", "fixtures/lenet5_keras.py").returncode == 0
