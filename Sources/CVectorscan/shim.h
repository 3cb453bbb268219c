// Vectorscan (the portable fork of Intel's Hyperscan; Debian's libvectorscan-dev): the secret scanner's
// keyword search. Its headers live in /usr/include/hs (pkg-config libhs).
#include <hs/hs.h>
