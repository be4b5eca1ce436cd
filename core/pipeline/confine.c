/* cvpdf - resource limits and the seccomp filter of a safe render's child.
 *
 * The filter is a list of what is allowed, not of what is forbidden: a
 * system call nobody thought of (a new one, or an old one put to a new
 * use) stops the render rather than slipping through.  The list was made
 * by watching renders of every example in every layout (strace), with the
 * sanitizer runtimes too, and is what reading files and computing need.
 * What a child can still do with it: read any file its user may read
 * (--safe keeps what the CV names beneath its directory, but a plugin's
 * own code is not bound by that), use memory and CPU up to the limits,
 * and write to the descriptors it inherits (the pipe to its parent and
 * standard error). */
#define _GNU_SOURCE
#include "pipeline/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define CV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CV_ASAN 1
#endif
#endif

/* A CV's render takes a few tens of megabytes (the largest example peaks
 * under 256 MiB of address space, shared libraries included); a gigabyte
 * leaves room for the largest CVs the input limits let through. */
#define MEMORY_LIMIT ((size_t)1 << 30)
/* The pipe to the parent, standard error, and the fonts, patterns and
 * plugins open at one time. */
#define FILES_LIMIT 64
/* Only standard error can be a file: what the C library and the plugins
 * write there must not fill a disk. */
#define FILE_SIZE_LIMIT ((size_t)64 << 20)

void cv_confine_default_limits(cv_confine_limits *l, size_t cpu_seconds) {
  l->cpu_seconds = cpu_seconds;
#ifdef CV_ASAN
  l->memory = 0;
#else
  l->memory = MEMORY_LIMIT;
#endif
  l->files = FILES_LIMIT;
  l->file_size = FILE_SIZE_LIMIT;
}

static int set(int resource, rlim_t soft, rlim_t hard) {
  struct rlimit r = {.rlim_cur = soft, .rlim_max = hard};
  return setrlimit(resource, &r);
}

int cv_confine_apply_limits(const cv_confine_limits *l) {
  if (set(RLIMIT_CPU, l->cpu_seconds, l->cpu_seconds + 1) < 0 ||
      set(RLIMIT_NOFILE, l->files, l->files) < 0 ||
      set(RLIMIT_FSIZE, l->file_size, l->file_size) < 0 ||
      set(RLIMIT_CORE, 0, 0) < 0)
    return -1;
  if (l->memory && set(RLIMIT_AS, l->memory, l->memory) < 0)
    return -1;
  return 0;
}

/* Allowed whatever their arguments.  Names a machine does not have are
 * skipped (open and stat exist on x86-64, not on arm64). */
static const char *const allowed[] = {
    /* reading, and writing to the descriptors already open */
    "read", "readv", "pread64", "preadv", "preadv2", "write", "writev",
    "pwrite64", "pwritev", "pwritev2", "lseek", "_llseek", "close",
    "close_range", "dup", "dup2", "dup3", "fcntl", "fcntl64", "flock",
    "fadvise64", "fadvise64_64", "fsync", "fdatasync", "poll", "ppoll",
    "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64",
    /* looking at files */
    "fstat", "fstat64", "stat", "stat64", "lstat", "lstat64", "newfstatat",
    "fstatat64", "statx", "fstatfs", "fstatfs64", "statfs", "statfs64",
    "access", "faccessat", "faccessat2", "readlink", "readlinkat", "getdents",
    "getdents64", "getcwd",
    /* memory */
    "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise",
    "mincore",
    /* threads' bookkeeping, signals, exit */
    "futex", "futex_time64", "set_robust_list", "rseq", "set_tid_address",
    "rt_sigaction", "rt_sigprocmask", "sigprocmask", "rt_sigreturn",
    "sigreturn", "sigaltstack", "rt_sigpending", "rt_sigsuspend",
    "rt_sigtimedwait", "rt_sigtimedwait_time64", "restart_syscall", "exit",
    "exit_group",
    /* who and when */
    "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid",
    "getuid32", "geteuid32", "getgid32", "getegid32", "getgroups", "getresuid",
    "getresgid", "getpgrp", "getpgid", "getsid", "clock_gettime",
    "clock_gettime64", "clock_getres", "clock_getres_time64", "gettimeofday",
    "time", "nanosleep", "clock_nanosleep", "clock_nanosleep_time64",
    "sched_yield", "sched_getaffinity", "getrandom", "uname", "sysinfo",
    "getrusage", "times", "getrlimit", "ugetrlimit", "umask", "getpriority",
    NULL};

static int allow(scmp_filter_ctx f, const char *name, unsigned n,
                 const struct scmp_arg_cmp *cmp) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr < 0)
    return 0; /* not a system call of this machine */
  return seccomp_rule_add_array(f, SCMP_ACT_ALLOW, nr, n, cmp);
}

/* Opening for reading only: no write access, no creating, truncating or
 * appending, no unnamed temporary file. */
static int allow_reading(scmp_filter_ctx f) {
  const scmp_datum_t writing =
      O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | (O_TMPFILE & ~O_DIRECTORY);
  struct scmp_arg_cmp open_flags = SCMP_A1(SCMP_CMP_MASKED_EQ, writing, 0);
  struct scmp_arg_cmp openat_flags = SCMP_A2(SCMP_CMP_MASKED_EQ, writing, 0);
  int rc = allow(f, "open", 1, &open_flags);
  if (rc == 0)
    rc = allow(f, "openat", 1, &openat_flags);
  /* openat2 passes its flags in memory the filter cannot read. */
  if (rc == 0)
    rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0);
  return rc;
}

/* Signals to itself only (raise, abort), never to its parent or others;
 * limits read, not set; terminal requests that only ask. */
static struct scmp_arg_cmp arg_is(unsigned arg, scmp_datum_t value) {
  return (struct scmp_arg_cmp){
      .arg = arg, .op = SCMP_CMP_EQ, .datum_a = value, .datum_b = 0};
}

static int allow_narrowly(scmp_filter_ctx f) {
  struct scmp_arg_cmp to_self = arg_is(0, (scmp_datum_t)getpid());
  struct scmp_arg_cmp no_new_limit = arg_is(2, 0);
  static const unsigned long asks[] = {TCGETS, TIOCGWINSZ, FIONREAD};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < 3; i++) {
    struct scmp_arg_cmp ask = arg_is(1, asks[i]);
    rc = allow(f, "ioctl", 1, &ask);
  }
  const char *const kills[] = {"kill", "tkill", "tgkill"};
  for (size_t i = 0; rc == 0 && i < 3; i++)
    rc = allow(f, kills[i], 1, &to_self);
  if (rc == 0)
    rc = allow(f, "prlimit64", 1, &no_new_limit);
  /* pthread_create tries clone3 first; clone itself stays forbidden. */
  if (rc == 0)
    rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  return rc;
}

int cv_confine_filter(void) {
  scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
  if (!f)
    return -ENOMEM;
  int rc = 0;
  for (size_t i = 0; rc == 0 && allowed[i]; i++)
    rc = allow(f, allowed[i], 0, NULL);
  if (rc == 0)
    rc = allow_reading(f);
  if (rc == 0)
    rc = allow_narrowly(f);
  if (rc == 0)
    rc = seccomp_load(f);
  seccomp_release(f);
  return rc;
}

const char *cv_confine_syscall_name(int nr, char *buf, size_t n) {
  char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
  if (name)
    snprintf(buf, n, "%s", name);
  else
    snprintf(buf, n, "system call %d", nr);
  free(name);
  return buf;
}
