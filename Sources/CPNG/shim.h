// libpng 1.6 (Debian's libpng-dev). Only the simplified png_image API is used:
// it reports errors through png_image.message and a return code, so no
// longjmp ever crosses Swift frames.
#include <png.h>
