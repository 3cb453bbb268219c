import os
import os.path as osp, sys
import google.cloud.bigquery as bq
from google.cloud import bigquery as bq2
from requests import get as fetch, post
from . import sibling
from ..pkg.mod import (a as b,
    c,
)
from .x import *
try:
    import ujson as json
except ImportError:
    import json
if TYPE_CHECKING:
    from typing import Any
def f():
    import time
    from datetime import datetime as dt
    return time.sleep(1), dt.now()
class C:
    import re
bq.Client(); bq2.Client(project="p"); fetch("u"); os.path.join("a", "b")
