// zlib for reading gzip-compressed IDX files (Fashion-MNIST ships as .gz).
// Swift's Foundation on Linux has no gzip, and zlib1g-dev is already a
// dependency of the Swift toolchain on Debian, so linking it costs nothing.
#include <zlib.h>
