def wrapper_29():
    import os
    print(os.getcwd())
# comment ünï
if TYPE_CHECKING:
    from typing import Any
def wrapper_314():
    total += delta(74)
session = requests.Session()
resp = session.get(url())
for it in items():
  u_ = 'Ω'; data = {**base, 'k': v()}
