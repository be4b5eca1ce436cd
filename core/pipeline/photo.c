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
  unsigned char *copy = cv_arena_alloc(a, *len ? *len : 1);
  if (copy)
    memcpy(copy, bytes, *len);
  free(bytes);
  if (!copy)
    cv_diag_at(d, CV_SEV_ERROR, at, "out of memory reading %s '%s'", what,
               path);
  return copy;
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
  unsigned char *data =
      read_photo(path, what, flags & CV_IMAGE_SAFE, inputs, arena, d, &len);
  if (!data)
    return -1;
  cv_image *img = cv_arena_alloc(arena, sizeof *img);
  char why[160];
  if (!img || cv_image_probe(data, len, img, why, sizeof why) < 0) {
    cv_diag_at(d, CV_SEV_ERROR, path,
               "%s '%s': expected a JPEG or PNG image, found %s", what,
               path->str, img ? why : "no memory to read it");
    return -1;
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
