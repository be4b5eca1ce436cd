/* cvpdf - the CV's photo: its field read and its file checked with the PDF
 * writer's image loaders, so that a wrong shape, a missing or unreadable
 * file or one that is not a JPEG or PNG image is an error at its line and
 * column, in `check` as in `render`, before anything is typeset. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/photo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/pdf.h"
#include "pipeline/fetch.h"

/* The largest photo read: a print photo is well under a megabyte. */
#define MAX_PHOTO_BYTES (16u << 20)

/* The photo's path and alternate text nodes, or -1 after an error. */
static int photo_fields(const cvpdf_node *ph, const cvpdf_node **path,
                        const cvpdf_node **alt, cv_diags *d) {
  static const char *const keys[] = {"path", "alt", NULL};
  *alt = NULL;
  if (ph->kind == CVPDF_NODE_SCALAR) {
    *path = ph;
    return 0;
  }
  if (ph->kind != CVPDF_NODE_MAP) {
    cv_diag_at(d, CV_SEV_ERROR, ph,
               "photo: expected an image file name or a mapping with path: "
               "and alt:, found %s",
               cv_node_kind_name(ph));
    return -1;
  }
  int bad = 0;
  for (size_t i = 0; i < cv_node_len(ph); i++) {
    const cvpdf_node *k = cv_node_key_at(ph, i);
    const char *key = cv_node_str(k);
    if (key && (!strcmp(key, "path") || !strcmp(key, "alt")))
      continue;
    const char *near = key ? cv_nearest(key, keys) : NULL;
    cv_diag_at(d, CV_SEV_ERROR, k, "unknown field '%s' in photo%s%s%s",
               key ? key : "?",
               near ? "; did you mean '"
                    : " (expected path "
                      "or alt)",
               near ? near : "", near ? "'?" : "");
    bad = 1;
  }
  *path = cv_node_get(ph, "path");
  *alt = cv_node_get(ph, "alt");
  if (!*path) {
    cv_diag_at(d, CV_SEV_ERROR, ph, "photo is missing required field 'path'");
    bad = 1;
  }
  const cvpdf_node *scalars[2] = {*path, *alt};
  for (int i = 0; i < 2; i++)
    if (scalars[i] && scalars[i]->kind != CVPDF_NODE_SCALAR) {
      cv_diag_at(d, CV_SEV_ERROR, scalars[i],
                 "photo: expected %s as text, found %s",
                 i ? "the alternate text" : "the image file name",
                 cv_node_kind_name(scalars[i]));
      bad = 1;
    }
  return bad ? -1 : 0;
}

/* The CV's directory, from the file its node came from (NULL: the
 * working directory). */
static const char *dir_of(const cvpdf_node *at, cv_arena *a) {
  const char *file = at->file;
  const char *slash = file ? strrchr(file, '/') : NULL;
  if (!slash)
    return NULL;
  return cv_arena_strndup(a, file, slash == file ? 1 : (size_t)(slash - file));
}

/* bytes (malloc'd, freed here) copied into a; NULL after an error at
 * `at`. */
static unsigned char *into_arena(char *bytes, size_t len, const cvpdf_node *at,
                                 const char *what, cv_arena *a, cv_diags *d) {
  unsigned char *copy = cv_arena_alloc(a, len ? len : 1);
  if (copy)
    memcpy(copy, bytes, len);
  free(bytes);
  if (!copy)
    cv_diag_at(d, CV_SEV_ERROR, at, "out of memory reading %s '%s'", what,
               at->str);
  return copy;
}

/* The file's bytes, in arena; NULL after an error at `at`. */
static unsigned char *read_photo(const cvpdf_node *at, const char *what,
                                 int safe, cv_inputs *inputs, cv_arena *a,
                                 cv_diags *d, size_t *len) {
  const char *path = at->str;
  const char *dir = dir_of(at, a);
  char why[256];
  struct stat sb;
  int fd = cv_input_open(dir, path, safe ? CV_OPEN_BENEATH : 0, inputs, &sb,
                         why, sizeof why);
  if (fd < 0 && safe && errno == EXDEV) {
    cv_diag_at(
        d, CV_SEV_ERROR, at,
        "%s: expected an image in the CV's directory, found '%s'%s "
        "(files outside it are not read in safe mode)",
        what, path,
        path[0] == '/' || strstr(path, "..") ? "" : ", which links out of it");
    return NULL;
  }
  if (fd < 0) {
    cv_diag_at(d, CV_SEV_ERROR, at, "cannot read %s '%s%s%s': %s", what,
               dir && path[0] != '/' ? dir : "",
               dir && path[0] != '/' ? "/" : "", path, why);
    return NULL;
  }
  int err = 0;
  char *bytes =
      cv_input_read(fd, (size_t)sb.st_size, MAX_PHOTO_BYTES, len, &err);
  close(fd);
  if (!bytes) {
    cv_diag_at(d, CV_SEV_ERROR, at,
               err == EFBIG ? "%s '%s': expected an image of at most 16 "
                              "MiB, found a larger file"
                            : "cannot read %s '%s': %s",
               what, path, strerror(err));
    return NULL;
  }
  return into_arena(bytes, *len, at, what, a, d);
}

/* A photo given as a web address, from the photo cache or fetched into
 * it, into *data (in a).  When it cannot be had, *data is NULL after a
 * warning at `at` naming the address and the reason: a CV is never refused
 * for a photo the network does not give.  Returns 0, or -1 when out of
 * memory. */
static int read_web(const cvpdf_node *at, const char *what, unsigned flags,
                    cv_arena *a, cv_diags *d, unsigned char **data,
                    size_t *len) {
  char why[512];
  *data = NULL;
  if (flags & CV_IMAGE_NO_NETWORK) {
    /* The cache lies outside the CV's directory, which is all --safe
     * reads; and the sandbox's filter refuses sockets anyway. */
    cv_diag_at(d, CV_SEV_WARNING, at,
               "%s '%s' is not printed: --safe fetches nothing from the "
               "network (and does not read the photo cache)",
               what, at->str);
    return 0;
  }
  char *bytes = (char *)cv_fetch_image(
      at->str, flags & CV_IMAGE_OFFLINE ? CV_FETCH_OFFLINE : 0, len, why,
      sizeof why);
  if (!bytes) {
    cv_diag_at(d, CV_SEV_WARNING, at, "%s '%s' is not printed: %s", what,
               at->str, why);
    return 0;
  }
  if (*why) /* printed, but not kept in the cache */
    cv_diag_at(d, CV_SEV_WARNING, at, "%s '%s': %s", what, at->str, why);
  *data = into_arena(bytes, *len, at, what, a, d);
  return *data ? 0 : -1;
}

int cv_image_load(const cvpdf_node *path, const char *alt, const char *what,
                  unsigned flags, cv_inputs *inputs, cv_arena *arena,
                  cv_diags *d, const cv_image **out) {
  *out = NULL;
  if (!*path->str) {
    cv_diag_at(d, CV_SEV_ERROR, path,
               "%s: expected an image file name, found an empty string", what);
    return -1;
  }
  size_t len = 0;
  int web = cv_is_web_address(path->str);
  unsigned char *data = NULL;
  if (web && read_web(path, what, flags, arena, d, &data, &len) < 0)
    return -1;
  if (web && !data)
    return 0; /* not printed, as the warning said */
  if (!web)
    data =
        read_photo(path, what, flags & CV_IMAGE_SAFE, inputs, arena, d, &len);
  if (!data)
    return -1;
  cv_image *img = cv_arena_alloc(arena, sizeof *img);
  char why[160];
  if (!img || cv_image_probe(data, len, img, why, sizeof why) < 0) {
    /* A web image that looked like one but does not decode is no reason
     * to refuse the CV either. */
    cv_diag_at(d, web && img ? CV_SEV_WARNING : CV_SEV_ERROR, path,
               "%s '%s': expected a JPEG or PNG image, found %s%s", what,
               path->str, img ? why : "no memory to read it",
               web && img ? "; it is not printed" : "");
    return web && img ? 0 : -1;
  }
  /* PDF/A-2 6.2.4.3: with an sRGB output intent, no CMYK colour. */
  if ((flags & CV_IMAGE_PDFA) && img->cmyk) {
    cv_diag_at(d, CV_SEV_ERROR, path,
               "%s '%s': expected an RGB or grey image for PDF/A (whose "
               "colours are sRGB), found a CMYK JPEG; convert it to RGB",
               what, path->str);
    return -1;
  }
  img->path = path->str;
  img->alt = alt ? alt : "";
  *out = img;
  return 0;
}

int cv_photo_load(const cvpdf_node *root, unsigned flags, cv_inputs *inputs,
                  cv_arena *arena, cv_diags *d, const cv_image **out) {
  *out = NULL;
  const cvpdf_node *ph = cv_node_get(root, "photo"), *path, *alt;
  if (!ph)
    return 0;
  if (photo_fields(ph, &path, &alt, d) < 0)
    return -1;
  const char *name = cv_node_get_str(root, "name");
  const char *text = alt    ? alt->str
                     : name ? cv_arena_printf(arena, "Photo of %s", name)
                            : "Photo";
  return cv_image_load(path, text, "photo", flags, inputs, arena, d, out);
}
