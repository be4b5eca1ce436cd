/* cvpdf - UAX #14 line break opportunities of any Unicode text, through
 * libunibreak. */
#ifndef CV_UAX14_H
#define CV_UAX14_H

#include <stddef.h>
#include <stdint.h>

/* Working memory reused from one paragraph to the next; zero-initialise,
 * free with cv_uax14_fini. */
typedef struct cv_uax14 {
  uint32_t *cp;  /* the code points handed to libunibreak */
  char *brk;     /* its opportunity after each of them */
  uint8_t *clen; /* the length in bytes of each of them */
  size_t cap_cp, cap_brk, cap_clen;
} cv_uax14;

void cv_uax14_fini(cv_uax14 *u);

/* Sets brks[0..len) for the UTF-8 text[0..len) as libunibreak's
 * set_linebreaks_utf8 does: the last byte of each character holds the
 * opportunity after it (LINEBREAK_MUSTBREAK, _ALLOWBREAK, _NOBREAK), the
 * other bytes LINEBREAK_INSIDEACHAR; an invalid byte counts as U+FFFD.
 * Any text is accepted, whatever the libunibreak version.  lang is a
 * language subtag ("en") or NULL.  Returns 0, or -1 when out of memory
 * (brks is then untouched). */
int cv_uax14_breaks(cv_uax14 *u, const char *text, size_t len, const char *lang,
                    char *brks);

#endif
