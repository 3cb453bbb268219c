import sys
print(sys.argv)
x = "bom file"; y = z()
