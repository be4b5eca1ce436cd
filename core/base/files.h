/* cvpdf - opening the files a run reads.  Every reader opens its input
 * here: only regular files, opened without blocking (a FIFO or a device
 * named as a CV or a BibTeX file never hangs the run), optionally resolved
 * beneath a directory (safe mode), and each file recorded by identity so
 * that no output of the run replaces one of its inputs (atomic.h). */
#ifndef CV_FILES_H
#define CV_FILES_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The files a run has read, by device and inode: a second name for one of
 * them (a hard link, a symbolic link, "./cv.yaml") is the same file. */
typedef struct cv_input_rec {
  dev_t dev;
  ino_t ino;
  char *path; /* owned: the name it was read under, for messages */
} cv_input_rec;

typedef struct cv_inputs {
  cv_input_rec *v;
  size_t n, cap;
} cv_inputs;

void cv_inputs_init(cv_inputs *in);
void cv_inputs_fini(cv_inputs *in);
/* Records the file sb describes under path.  Returns 0, or -1 when out of
 * memory. */
int cv_inputs_add(cv_inputs *in, const struct stat *sb, const char *path);
/* The name under which the file sb describes was read, or NULL when it is
 * not an input (also when in is NULL). */
const char *cv_inputs_find(const cv_inputs *in, const struct stat *sb);

enum {
  /* The path must resolve beneath dir: an absolute path, a ".." or a
   * symbolic link that leads out of dir is refused (errno EXDEV), and
   * /proc's "magic" links are not followed.  Links that stay inside dir
   * are followed.  Uses openat2(RESOLVE_BENEATH) where the kernel has it,
   * else resolves the path one component at a time. */
  CV_OPEN_BENEATH = 1,
  /* With CV_OPEN_BENEATH: always the component walk (tests compare it
   * with openat2). */
  CV_OPEN_WALK = 2,
};

/* Opens path for reading; a relative path is taken from dir (NULL: the
 * working directory).  Only a regular file is accepted, and the open
 * never blocks.  Returns a descriptor (close-on-exec, blocking reads) with
 * *sb filled and the file recorded in seen (may be NULL); or -1 with errno
 * set and why (cap bytes) saying what was expected and what was found:
 * the system's words for a missing file or a directory ("Is a directory"),
 * "expected a regular file, found a FIFO", and for CV_OPEN_BENEATH,
 * errno EXDEV. */
int cv_input_open(const char *dir, const char *path, unsigned flags,
                  cv_inputs *seen, struct stat *sb, char *why, size_t cap);

/* Reads fd to its end, refusing more than max bytes; hint is the expected
 * size.  Returns the bytes (malloc'd, NUL-terminated, *len without the
 * NUL), or NULL with *err set (EFBIG past max). */
char *cv_input_read(int fd, size_t hint, size_t max, size_t *len, int *err);

/* Whether name is a web address (http:// or https://, in any case) rather
 * than a file's path: a photo given so is fetched (pipeline/fetch.h). */
int cv_is_web_address(const char *name);

/* "a regular file", "a directory", "a FIFO", "a character device", ...:
 * what a file of this mode is, for messages. */
const char *cv_file_kind(mode_t mode);

#endif
