/* cvpdf - an image given as a web address: fetched once with libcurl into
 * cvpdf's photo cache, then read from there, so later renders need no
 * network and print the same bytes. */
#ifndef CV_FETCH_H
#define CV_FETCH_H

#include <stddef.h>

enum {
  /* Read only the cache: never open a connection. */
  CV_FETCH_OFFLINE = 1,
};

/* The largest image fetched or read from the cache. */
#define CV_FETCH_MAX_BYTES (10u << 20)
/* Seconds a fetch may take in all, connecting included. */
#define CV_FETCH_TIMEOUT 15

/* The photo cache's directory: $XDG_CACHE_HOME/cvpdf when XDG_CACHE_HOME
 * is an absolute path, else $HOME/.cache/cvpdf.  Returns 0 with the path
 * in buf (cap bytes), or -1 when neither variable gives one. */
int cv_fetch_cache_dir(char *buf, size_t cap);

/* The image at url (http or https): the cache's copy when it has one,
 * else (unless CV_FETCH_OFFLINE) fetched -- http and https only, at most
 * 5 redirects, CV_FETCH_TIMEOUT seconds, CV_FETCH_MAX_BYTES -- checked to
 * be a JPEG or PNG by its first bytes and stored in the cache (written
 * atomically, named by the SHA-256 of url).  Returns the bytes (malloc'd,
 * the caller frees them) with *len; or NULL with why (cap bytes) saying
 * what went wrong: the server's HTTP status, the network's error, the
 * size, what came instead of an image, or that the cache has no copy.
 * A copy that could not be stored is returned all the same, with why
 * saying so (*why is "" otherwise).  Safe to call from several threads:
 * libcurl is initialised once per process (curl_global_init, the one
 * process-wide set-up cvpdf does outside the sandbox's signal handling). */
unsigned char *cv_fetch_image(const char *url, unsigned flags, size_t *len,
                              char *why, size_t cap);

#endif
