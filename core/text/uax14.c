/* cvpdf - UAX #14 break opportunities through libunibreak, for any text.
 *
 * libunibreak 1.1, the version Debian 12 ships, aborts the process on two
 * kinds of character a CV may well hold:
 *  - regional indicators (U+1F1E6..U+1F1FF, the halves of a flag such as
 *    U+1F1EC U+1F1E7): its data gives them the class RI of Unicode 6.2,
 *    but its pair table ends at the class before it, and an assertion
 *    ('lbcCur <= LBP_JT') guards the lookup;
 *  - U+FFFF: it is the library's end-of-text value (EOS), so the scan
 *    stops in the middle of the string and an assertion on the position
 *    fails.
 * Its data also predates the rules for emoji sequences.  So libunibreak
 * gets UTF-32 from cvpdf's own strict decoder, with a stand-in of the
 * same break behaviour for what it cannot take, and the rules it lacks
 * are applied to its result: no break inside a flag (LB30a), after a zero
 * width joiner (LB8a) or before an emoji modifier (LB30b).  Text without
 * those characters gets exactly what set_linebreaks_utf8 gives. */
#include "text/uax14.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Stand-ins: an ideograph (class ID), a combining mark (CM) and a
 * noncharacter (XX), of these classes in every libunibreak version and
 * language table. */
#define STAND_IN_ID 0x4E00u
#define STAND_IN_CM 0x0300u
#define STAND_IN_XX 0xFFFEu

static int is_regional(uint32_t c) {
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

static int is_emoji_modifier(uint32_t c) {
  return c >= 0x1F3FB && c <= 0x1F3FF;
}

/* What libunibreak is given for c. */
static uint32_t stand_in(uint32_t c) {
  if (is_regional(c))
    return STAND_IN_ID; /* a flag breaks like other emoji (ID) */
  if (is_emoji_modifier(c))
    return STAND_IN_CM; /* stays with the emoji it modifies */
  if (c == 0xFFFF)
    return STAND_IN_XX; /* a noncharacter, like U+FFFE */
  return c;
}

static uint32_t decode(const char *s, size_t n, size_t i, int *k) {
  if (i < n && (unsigned char)s[i] < 0x80) {
    *k = 1;
    return (unsigned char)s[i];
  }
  uint32_t c = 0xFFFD;
  *k = cv_utf8_decode(s + i, n - i, &c);
  if (*k <= 0) {
    *k = 1;
    c = 0xFFFD;
  }
  return c;
}

void cv_uax14_fini(cv_uax14 *u) {
  if (!u)
    return;
  free(u->cp);
  free(u->brk);
  free(u->clen);
  memset(u, 0, sizeof *u);
}

/* The opportunity after c, given the libunibreak one: the rules its data
 * lacks.  ri_run counts the regional indicators ending at c. */
static char amend(char b, uint32_t c, uint32_t next, size_t ri_run) {
  if (b != LINEBREAK_ALLOWBREAK)
    return b;
  if (c == 0x200D) /* LB8a: ZWJ x */
    return LINEBREAK_NOBREAK;
  if (is_regional(c) && is_regional(next) && ri_run % 2 == 1) /* LB30a */
    return LINEBREAK_NOBREAK;
  return b;
}

/* libunibreak 1.1 reads its character data through an index that
 * init_linebreak fills (a no-op in later versions); filled once, as
 * documents may be set in several threads at a time. */
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* brks from libunibreak's u->brk for text with regional indicators: the
 * rules its data lacks need the characters themselves, not their
 * stand-ins. */
static void amend_all(const cv_uax14 *u, const char *text, size_t len,
                      char *brks) {
  size_t ri_run = 0, j = 0;
  int k;
  uint32_t c = decode(text, len, 0, &k);
  for (size_t i = 0; i < len; j++) {
    size_t at = i + (size_t)k;
    int kn = 0;
    uint32_t next = at < len ? decode(text, len, at, &kn) : 0;
    ri_run = is_regional(c) ? ri_run + 1 : 0;
    memset(brks + i, LINEBREAK_INSIDEACHAR, (size_t)k - 1);
    brks[at - 1] = amend(u->brk[j], c, next, ri_run);
    i = at;
    c = next;
    k = kn;
  }
}

int cv_uax14_breaks(cv_uax14 *u, const char *text, size_t len, const char *lang,
                    char *brks) {
  if (len == 0)
    return 0;
  if (pthread_once(&index_once, init_linebreak) != 0)
    return -1;
  /* A character is at least one byte: len code points at most. */
  if (cv_grow((void **)&u->cp, &u->cap_cp, len, sizeof *u->cp) < 0 ||
      cv_grow((void **)&u->brk, &u->cap_brk, len, 1) < 0 ||
      cv_grow((void **)&u->clen, &u->cap_clen, len, 1) < 0)
    return -1;
  size_t n = 0;
  int regional = 0;
  for (size_t i = 0; i < len; n++) {
    int k;
    uint32_t c = decode(text, len, i, &k);
    regional |= is_regional(c);
    u->cp[n] = stand_in(c);
    u->clen[n] = (uint8_t)k;
    i += (size_t)k;
  }
  set_linebreaks_utf32((const utf32_t *)u->cp, n, lang, u->brk);
  if (regional) {
    amend_all(u, text, len, brks);
    return 0;
  }
  /* Without regional indicators, only LB8a is left to apply, and the
   * code points handed over are the text's own (a zero width joiner has
   * no stand-in). */
  for (size_t i = 0, j = 0; j < n; j++) {
    size_t k = u->clen[j];
    if (k > 1)
      memset(brks + i, LINEBREAK_INSIDEACHAR, k - 1);
    brks[i + k - 1] = amend(u->brk[j], u->cp[j], 0, 0);
    i += k;
  }
  return 0;
}
