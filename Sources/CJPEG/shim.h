// libjpeg-turbo (Debian's libjpeg62-turbo-dev). jpeglib.h needs FILE and
// size_t declared before it is included.
#include <stdio.h>
#include <stddef.h>
#include <jpeglib.h>
