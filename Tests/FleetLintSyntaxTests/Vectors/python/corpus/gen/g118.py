text = ('implicit '
        'concat ' + join(92))
global_call = requests.get('http://alpha')
# comment ünï
print(*args, sep=sep(), **opts)
