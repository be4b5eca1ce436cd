/* cvpdf - a length of time ("2 years, 3 months", "2 Jahre, 3 Monate",
 * "2年3か月") in a CV's language: each unit in CLDR's words through ICU's
 * number formatter, the units joined by ICU's list formatter for units.
 * Nothing is typed by hand, and ICU's objects live for one call. */
#define _POSIX_C_SOURCE 200809L
#include "text/cldr.h"

#include <stdio.h>

#include <unicode/ulistformatter.h>
#include <unicode/uloc.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>

#define UNIT_CAP 64

/* n of unit ("year", "month") in full words into out; its length, or -1
 * when ICU fails. */
static int32_t unit(const char *loc, const char *u, int n, UChar *out) {
  char s[80];
  UChar skel[80];
  snprintf(s, sizeof s, "measure-unit/duration-%s unit-width-full-name", u);
  u_uastrcpy(skel, s);
  UErrorCode err = U_ZERO_ERROR;
  UNumberFormatter *f = unumf_openForSkeletonAndLocale(skel, -1, loc, &err);
  UFormattedNumber *r = unumf_openResult(&err);
  unumf_formatInt(f, n, r, &err);
  int32_t len = unumf_resultToString(r, out, UNIT_CAP, &err);
  unumf_closeResult(r);
  unumf_close(f);
  return U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING ? -1 : len;
}

const char *cv_cldr_duration(char *buf, size_t cap, const char *lang, int years,
                             int months) {
  char loc[ULOC_FULLNAME_CAPACITY];
  cv_cldr_locale(lang, loc, sizeof loc);
  UChar parts[2][UNIT_CAP];
  const UChar *items[2] = {parts[0], parts[1]};
  int32_t lens[2];
  int n = 0, bad = 0;
  if (years > 0)
    bad |= (lens[n++] = unit(loc, "year", years, parts[0])) < 0;
  if (months > 0 || n == 0)
    bad |= (lens[n] = unit(loc, "month", months, parts[n])) < 0, n++;
  UErrorCode err = U_ZERO_ERROR;
  UChar out[2 * UNIT_CAP + 16];
  int32_t len = 0;
  if (!bad) {
    UListFormatter *lf = ulistfmt_openForType(loc, ULISTFMT_TYPE_UNITS,
                                              ULISTFMT_WIDTH_WIDE, &err);
    len = ulistfmt_format(lf, items, lens, n, out,
                          (int32_t)(sizeof out / sizeof *out), &err);
    ulistfmt_close(lf);
  }
  if (!bad && U_SUCCESS(err))
    u_strToUTF8(buf, (int32_t)cap, NULL, out, len, &err);
  if (bad || U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING) {
    snprintf(buf, cap, "%dy %dm", years, months);
    return NULL;
  }
  return buf;
}
