/* cvpdf - writing an output file atomically.  Every file cvpdf writes
 * (the PDF, a trace, converted YAML, a starter CV, the JSON Schema) goes
 * through here, so all of them follow one set of rules:
 *
 * - The target is a new name, or an existing regular file that is not an
 *   input of the run (compared by device and inode, so another name for
 *   the CV is refused too).  A directory, a device node, a FIFO or a
 *   socket is never written over or replaced; the null device alone is
 *   written to, so `-o /dev/null` discards the output.
 * - A symbolic link is written through: the regular file it names is
 *   replaced and the link stays.  A link to a missing file or to anything
 *   but a regular file is refused.
 * - The contents go to an unnamed temporary file (O_TMPFILE) in the
 *   target's directory, which is linked into place only once complete and
 *   synced, then renamed over the target; the directory is synced last.
 *   Whatever ends the process, even SIGKILL, the target holds the old
 *   file or the new one, and no temporary file is left.  Where the file
 *   system has no O_TMPFILE, a short hidden name in the same directory
 *   (".tmp-cvpdf-" and 8 characters, so any legal target name works) is
 *   used instead, removed on failure and on SIGINT, SIGTERM or SIGHUP.
 * - A new file gets the mode any new file gets (0666 less the umask,
 *   which is never read: reading it means setting it, which races with
 *   other threads); a replaced file keeps its permission bits and, where
 *   the process may set them, its owner and group. */
#ifndef CV_ATOMIC_H
#define CV_ATOMIC_H

#include <stddef.h>
#include <sys/stat.h>

#include "base/files.h"
#include "base/util.h"

enum {
  /* Fail when the target exists (checked again when the file is linked
   * into place, so a file created meanwhile is not replaced either). */
  CV_ATOMIC_NO_REPLACE = 1,
};

/* An output being written.  Fields other than fd are private. */
typedef struct cv_atomic {
  int fd; /* write the contents here (read-write, close-on-exec) */
  int dirfd;
  char *base; /* the target's name in its directory */
  const char *what;
  unsigned flags;
  int exists; /* replacing a file whose stat is old */
  struct stat old;
  int named;   /* the fallback: tmp is a name in the directory */
  int discard; /* the target is the null device, written to directly */
  int slot;    /* where tmp is registered for removal on a signal, or -1 */
  char tmp[24];
} cv_atomic;

/* Whether path may receive an output of this run, without writing
 * anything: see the rules above.  Returns 0, or -1 with st saying what was
 * expected and what was found. */
int cv_output_check(const char *path, const cv_inputs *inputs, cv_status *st);

/* What an output path names, after following a symbolic link in its last
 * component: the directory it lies in and its name there, and the file
 * when one exists.  Two paths that agree name the same output. */
typedef struct cv_output_id {
  struct stat dir;
  char *base; /* owned */
  int exists;
  struct stat sb; /* when exists */
} cv_output_id;

/* Fills id for path.  Returns 0, or -1 with st set (as cv_output_check,
 * without the check against inputs). */
int cv_output_identify(const char *path, cv_output_id *id, cv_status *st);
/* Whether a and b name the same output (the null device is never one:
 * it discards what it is given). */
int cv_output_same(const cv_output_id *a, const cv_output_id *b);
void cv_output_id_fini(cv_output_id *id);

/* Starts writing path: checks it as cv_output_check does and creates the
 * temporary file.  `what` names the contents in messages ("the PDF").
 * Returns 0 with a->fd ready, or -1 with st set (then nothing is left to
 * clean up). */
int cv_atomic_begin(cv_atomic *a, const char *path, unsigned flags,
                    const cv_inputs *inputs, const char *what, cv_status *st);
/* Syncs the contents and puts them in place.  Returns 0, or -1 with st
 * set and the target untouched.  Either way a is finished. */
int cv_atomic_commit(cv_atomic *a, cv_status *st);
/* Drops what was written; the target is untouched. */
void cv_atomic_abort(cv_atomic *a);

/* begin, write len bytes of data, commit. */
int cv_atomic_write(const char *path, unsigned flags, const cv_inputs *inputs,
                    const char *what, const void *data, size_t len,
                    cv_status *st);

/* Writes all of data to fd, going on after EINTR and short writes.
 * Returns 0, or -1 with errno set. */
int cv_write_all(int fd, const void *data, size_t len);

#endif
