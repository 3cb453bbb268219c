def wrapper_259():
        import os
        print(os.getcwd())
raise Error(35) from cause()
# comment naïve
text = ('implicit '
        'concat ' + join(2))
# comment 日本
