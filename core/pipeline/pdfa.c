/* cvpdf - the sRGB profile a PDF/A output intent embeds (ISO 19005-2,
 * 6.2.3): read from the file a Debian package installs, and checked to be
 * an RGB display profile whose version PDF 1.7 knows. */
#define _POSIX_C_SOURCE 200809L

#include "pipeline/pdfa.h"

#include "base/files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* icc-profiles-free's is an ICC version 2 profile, which every PDF/A
 * reader knows; colord-data's is version 4. */
static const char *const profiles[] = {
    "/usr/share/color/icc/sRGB.icc",
    "/usr/share/color/icc/colord/sRGB.icc",
};

#define MAX_PROFILE (4u << 20)

/* What is wrong with the profile of len bytes, or NULL: an ICC header
 * ('acsp' at 36) for the RGB colour space, major version 2 to 4. */
static const char *bad_profile(const unsigned char *p, size_t len) {
  if (len < 128 || memcmp(p + 36, "acsp", 4))
    return "a file that is not an ICC profile";
  if (memcmp(p + 16, "RGB ", 4))
    return "an ICC profile for another colour space than RGB";
  if (p[8] < 2 || p[8] > 4)
    return "an ICC profile of a version PDF 1.7 does not know";
  return NULL;
}

static char *read_profile(const char *path, size_t *len, int *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) < 0) {
    *err = errno;
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  char *bytes = cv_input_read(fd, (size_t)sb.st_size, MAX_PROFILE, len, err);
  close(fd);
  return bytes;
}

int cv_pdfa_profile(const char *input, cv_arena *arena, cv_diags *d,
                    const unsigned char **icc, size_t *len) {
  const char *env = getenv("CVPDF_SRGB_PROFILE");
  size_t n = env && *env ? 1 : sizeof profiles / sizeof *profiles;
  for (size_t i = 0; i < n; i++) {
    const char *path = env && *env ? env : profiles[i];
    int err = 0;
    char *bytes = read_profile(path, len, &err);
    if (!bytes && err == ENOENT && !(env && *env))
      continue;
    if (!bytes) {
      cv_diags_add(d, CV_SEV_ERROR, input, 0, 0,
                   "PDF/A: cannot read the sRGB profile %s: %s", path,
                   strerror(err));
      return -1;
    }
    const char *why = bad_profile((unsigned char *)bytes, *len);
    unsigned char *copy = why ? NULL : cv_arena_alloc(arena, *len);
    if (copy)
      memcpy(copy, bytes, *len);
    free(bytes);
    if (why || !copy) {
      cv_diags_add(d, CV_SEV_ERROR, input, 0, 0,
                   "PDF/A: expected an sRGB ICC profile in %s, found %s", path,
                   why ? why : "more than memory holds");
      return -1;
    }
    *icc = copy;
    return 0;
  }
  cv_diags_add(d, CV_SEV_ERROR, input, 0, 0,
               "PDF/A: expected the sRGB ICC profile %s (Debian package "
               "icc-profiles-free) or %s (colord-data), found neither; "
               "install one, or name a profile in $CVPDF_SRGB_PROFILE",
               profiles[0], profiles[1]);
  return -1;
}
