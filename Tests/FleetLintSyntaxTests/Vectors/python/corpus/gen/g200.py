class K_gamma(Base, metaclass=Meta):
    attr = make(24)
    def m(self, x):
        return self.helper(x)
def wrapper_33():
        lam = lambda x, y=36: x(y)
while not ready():
    time.sleep(50)
# comment naïve
def wrapper_968():
    session = requests.Session()
    resp = session.get(url())
