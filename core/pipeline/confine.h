/* cvpdf - what the child process of a safe render may do: resource limits
 * and a seccomp filter (libseccomp).  Used by sandbox.c only. */
#ifndef CV_CONFINE_H
#define CV_CONFINE_H

#include <stddef.h>

typedef struct cv_confine_limits {
  size_t cpu_seconds; /* RLIMIT_CPU: SIGXCPU then, a second later, SIGKILL */
  size_t memory;      /* RLIMIT_AS in bytes; 0 leaves it (sanitizer builds) */
  size_t files;       /* RLIMIT_NOFILE */
  size_t file_size;   /* RLIMIT_FSIZE in bytes */
} cv_confine_limits;

/* The limits a safe render runs under (memory 0 in sanitizer builds, whose
 * shadow memory reserves terabytes of address space). */
void cv_confine_default_limits(cv_confine_limits *l, size_t cpu_seconds);

/* Applies l, and no core dumps.  Returns 0, or -1 with errno set. */
int cv_confine_apply_limits(const cv_confine_limits *l);

/* Installs the seccomp filter: system calls outside a list of what the C
 * library, fontconfig, FreeType, HarfBuzz and libharu need to read files
 * and compute stop the process with SIGSYS (no network, no program, no
 * process, no file opened for writing, created, renamed or removed, no
 * signal to another process, no tracing).  Opening for reading is allowed;
 * openat2 and clone3 fail with ENOSYS, so that callers fall back to
 * openat and clone, which the filter can see into.  Returns 0, or a
 * negative errno. */
int cv_confine_filter(void);

/* The name of system call nr on this machine ("connect"), in buf.  Returns
 * buf. */
const char *cv_confine_syscall_name(int nr, char *buf, size_t n);

#endif
