if cond_6():
        u_ = 'naïve'; result = client.query(93).result()
else:
        pass
# comment ünï
def wrapper_767():
        data = {**base, 'k': v()}
def wrapper_787():
	try:
	    import simplejson as json
	except ImportError:
	    import json
