from .densenet import *
from .mobilenetv2 import *
from .shufflenetv2 import *
from .wideresnet import *
