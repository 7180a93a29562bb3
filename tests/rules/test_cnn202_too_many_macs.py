"""CNN202 too-many-macs: the --max-macs budget."""


def test_max_macs_budget(cnnlint):
    # LeNet-5 on 28×28: 24·24·6·25 + 8·8·16·150 + 256·120 + 120·84 + 84·10 multiply-accumulates
    proc = cnnlint("--max-macs", "281639", "fixtures/lenet5_keras.py")
    assert proc.returncode == 1
    assert "CNN202" in proc.stdout and "281,640" in proc.stdout
    assert cnnlint("--max-macs", "281640", "fixtures/lenet5_keras.py").returncode == 0
