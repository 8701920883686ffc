#include "CGitShims.h"
#include <stdlib.h>
#include <zlib.h>

void *rectrack_inflater_new(void) {
  z_stream *z = calloc(1, sizeof(z_stream));
  if (z == NULL) return NULL;
  if (inflateInit(z) != Z_OK) {
    free(z);
    return NULL;
  }
  return z;
}

void rectrack_inflater_free(void *inflater) {
  if (inflater == NULL) return;
  inflateEnd((z_stream *)inflater);
  free(inflater);
}

int rectrack_inflate_exact(void *inflater, const unsigned char *src, size_t src_size, unsigned char *dst,
                           size_t dst_size) {
  z_stream *z = inflater;
  if (z == NULL || inflateReset(z) != Z_OK) return -1;
  /* zlib counts in uInt: an object or a stream of 4 GiB or more is left to libgit2. */
  if (src_size > 0xFFFFFFFFu) src_size = 0xFFFFFFFFu;
  if (dst_size >= 0xFFFFFFFFu) return -1;
  z->next_in = (unsigned char *)src;
  z->avail_in = (uInt)src_size;
  /* One byte more than expected, so that a stream longer than the object is seen. */
  unsigned char spare;
  z->next_out = dst_size > 0 ? dst : &spare;
  z->avail_out = dst_size > 0 ? (uInt)dst_size : 1;
  int rc = inflate(z, Z_FINISH);
  if (dst_size == 0) return rc == Z_STREAM_END && z->total_out == 0 ? 0 : -1;
  if (rc == Z_STREAM_END) return z->total_out == dst_size ? 0 : -1;
  if (rc == Z_BUF_ERROR || rc == Z_OK) {
    /* The output is full: the stream must end without another byte. */
    if (z->total_out != dst_size) return -1;
    z->next_out = &spare;
    z->avail_out = 1;
    rc = inflate(z, Z_FINISH);
    return rc == Z_STREAM_END && z->total_out == dst_size ? 0 : -1;
  }
  return -1;
}
