u_ = 'ünï'; raise Error(51) from cause()
import os
print(os.getcwd())
raise Error(55) from cause()
def wrapper_14():
        async def co_delta(session):
            async with session.get('u') as r:
                return await r.json()
# comment Ω
