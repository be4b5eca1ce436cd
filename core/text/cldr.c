/* cvpdf - month names and month-and-year dates from CLDR through ICU.
 *
 * The pattern for a month and year is CLDR's for the skeleton yMMM or
 * yMMMM, so each language gets its own order and words ("Sep 2017",
 * "sept. 2017", "2017年9月", "2017년 9월").  It is read from the locale's
 * calendar/gregorian/availableFormats table, following CLDR's parent
 * chain; only where no locale in the chain has the skeleton does ICU's
 * pattern generator (udatpg), whose set-up costs tens of millions of
 * instructions, answer.  Both give the same pattern for every locale ICU
 * has (test_cldr checks them all).
 * ICU's objects are opened per call and closed before returning: nothing
 * is shared, so two documents may format dates in parallel threads.  What
 * they wrote may be kept in a cv_datecache, which has its own lock. */
#define _POSIX_C_SOURCE 200809L
#include "text/cldr.h"

#include "base/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

/* The ICU locale id for a BCP 47 tag ("pt-BR" -> "pt_BR"), with the
 * Gregorian calendar: a CV's dates are written in it, also where the
 * language's default calendar is another (fa: the Persian one). */
void cv_cldr_locale(const char *lang, char *loc, size_t cap) {
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = uloc_forLanguageTag(lang && *lang ? lang : "en", loc,
                                  (int32_t)cap, NULL, &err);
  if (U_FAILURE(err) || n <= 0 || (size_t)n >= cap)
    snprintf(loc, cap, "en");
  err = U_ZERO_ERROR;
  uloc_setKeywordValue("calendar", "gregorian", loc, (int32_t)cap, &err);
}

long cv_days_from_civil(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Formats day of month in year with pattern (UTF-16; NULL: CLDR's long
 * date format), as UTF-8 into buf.  Returns 0, or -1 when ICU fails. */
static int format_day(char *buf, size_t cap, const char *loc,
                      const UChar *pattern, int32_t plen, int year, int month,
                      int day) {
  UErrorCode err = U_ZERO_ERROR;
  static const UChar utc[] = {'U', 'T', 'C', 0};
  UDateFormat *f =
      pattern ? udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, utc, -1, pattern,
                          plen, &err)
              : udat_open(UDAT_NONE, UDAT_LONG, loc, utc, -1, NULL, 0, &err);
  if (U_FAILURE(err))
    return -1;
  UDate when = (UDate)cv_days_from_civil(year, month, day) * 86400000.0;
  UChar out[128];
  int32_t n = udat_format(f, when, out, 128, NULL, &err);
  udat_close(f);
  if (U_FAILURE(err) || n >= 128)
    return -1;
  err = U_ZERO_ERROR;
  u_strToUTF8(buf, (int32_t)cap, NULL, out, n, &err);
  return U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING ? -1 : 0;
}

/* The 15th of month: a day no time zone moves to another month. */
static int format_with(char *buf, size_t cap, const char *loc,
                       const UChar *pattern, int32_t plen, int year,
                       int month) {
  return format_day(buf, cap, loc, pattern, plen, year, month, 15);
}

/* A full stop after the abbreviated month name in buf, when CLDR cut the
 * name and wrote none (the dotted form). */
static void add_stop(char *buf, size_t cap, const char *loc, int year,
                     int month) {
  static const UChar short_p[] = {'M', 'M', 'M'};
  static const UChar long_p[] = {'M', 'M', 'M', 'M'};
  char ab[64], full[64];
  if (format_with(ab, sizeof ab, loc, short_p, 3, year, month) < 0 ||
      format_with(full, sizeof full, loc, long_p, 4, year, month) < 0)
    return;
  size_t an = strlen(ab), bn = strlen(buf);
  char *at = strstr(buf, ab);
  if (!strcmp(ab, full) || an == 0 || ab[an - 1] == '.' || !at || bn + 2 > cap)
    return;
  at += an;
  memmove(at + 1, at, strlen(at) + 1);
  *at = '.';
}

/* The bundle of loc's own data, after ICU's aliases ("iw" -> "he") and
 * fallbacks ("de_XX" -> "de"), opened without fallback; NULL when ICU
 * knows nothing of loc and would use the default locale. */
static UResourceBundle *open_own(const char *loc, char *name, size_t cap) {
  UErrorCode err = U_ZERO_ERROR;
  uloc_getBaseName(loc, name, (int32_t)cap, &err);
  UResourceBundle *b = U_SUCCESS(err) ? ures_open(NULL, name, &err) : NULL;
  const char *actual = ures_getLocaleByType(b, ULOC_ACTUAL_LOCALE, &err);
  int known = U_SUCCESS(err) && err != U_USING_DEFAULT_WARNING && actual &&
              strlen(actual) < cap;
  if (known)
    memmove(name, actual, strlen(actual) + 1);
  ures_close(b);
  err = U_ZERO_ERROR;
  b = known ? ures_openDirect(NULL, name, &err) : NULL;
  if (U_FAILURE(err)) {
    ures_close(b);
    return NULL;
  }
  return b;
}

/* The pattern of skel in b's own gregorian availableFormats into out;
 * its length, or -1 when b has none. */
static int32_t own_pattern(const UResourceBundle *b, const char *skel,
                           UChar *out, int32_t cap) {
  UErrorCode err = U_ZERO_ERROR;
  UResourceBundle *c = ures_getByKey(b, "calendar", NULL, &err);
  UResourceBundle *g = ures_getByKey(c, "gregorian", NULL, &err);
  UResourceBundle *a = ures_getByKey(g, "availableFormats", NULL, &err);
  int32_t n = 0;
  const UChar *s = ures_getStringByKey(a, skel, &n, &err);
  int ok = U_SUCCESS(err) && n < cap;
  if (ok)
    u_strncpy(out, s, n);
  ures_close(a);
  ures_close(g);
  ures_close(c);
  return ok ? n : -1;
}

/* CLDR's pattern for skel in loc, looked up along the parent chain (a
 * %%Parent of the bundle's own, else the tag cut at its last '_', down to
 * root), as the pattern generator does for a skeleton it has; -1 when no
 * bundle has it. */
static int32_t cldr_pattern(const char *loc, const char *skel, UChar *out,
                            int32_t cap) {
  char name[ULOC_FULLNAME_CAPACITY];
  UResourceBundle *b = open_own(loc, name, sizeof name);
  int32_t n = -1;
  for (int depth = 0; b && depth < 16; depth++) {
    if ((n = own_pattern(b, skel, out, cap)) >= 0 || !strcmp(name, "root"))
      break;
    UErrorCode err = U_ZERO_ERROR;
    int32_t pn = 0;
    const UChar *parent = ures_getStringByKey(b, "%%Parent", &pn, &err);
    if (U_SUCCESS(err) && pn < (int32_t)sizeof name) {
      u_UCharsToChars(parent, name, pn);
      name[pn] = 0;
    } else {
      char cur[ULOC_FULLNAME_CAPACITY];
      memcpy(cur, name, sizeof cur);
      err = U_ZERO_ERROR;
      uloc_getParent(cur, name, (int32_t)sizeof name, &err);
    }
    if (!*name)
      snprintf(name, sizeof name, "root");
    ures_close(b);
    err = U_ZERO_ERROR;
    b = ures_openDirect(NULL, name, &err);
    if (U_FAILURE(err)) {
      ures_close(b);
      b = NULL;
    }
  }
  ures_close(b);
  return n;
}

/* The pattern ICU's generator gives for skel in loc, or -1. */
static int32_t generated_pattern(const char *loc, const char *skel, UChar *out,
                                 int32_t cap) {
  UErrorCode err = U_ZERO_ERROR;
  UChar uskel[16];
  u_uastrncpy(uskel, skel, 16);
  UDateTimePatternGenerator *g = udatpg_open(loc, &err);
  int32_t n = udatpg_getBestPattern(g, uskel, -1, out, cap, &err);
  udatpg_close(g);
  return U_FAILURE(err) || n >= cap ? -1 : n;
}

/* The pattern for skel in loc: CLDR's where a bundle has it, else the
 * generator's; -1 when ICU fails. */
static int32_t skeleton_pattern(const char *loc, const char *skel, UChar *out,
                                int32_t cap) {
  int32_t n = cldr_pattern(loc, skel, out, cap);
  return n >= 0 ? n : generated_pattern(loc, skel, out, cap);
}

int cv_cldr_skeleton_pattern(char *buf, size_t cap, const char *loc,
                             const char *skel, int generator) {
  UChar p[64];
  int32_t n = generator ? generated_pattern(loc, skel, p, 64)
                        : cldr_pattern(loc, skel, p, 64);
  UErrorCode err = U_ZERO_ERROR;
  if (n >= 0)
    u_strToUTF8(buf, (int32_t)cap, NULL, p, n, &err);
  return n < 0 || U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING ? -1
                                                                           : 0;
}

const char *cv_cldr_month_year(char *buf, size_t cap, const char *lang,
                               int year, int month, cv_month_form form) {
  if (!buf || cap < 16)
    return NULL;
  snprintf(buf, cap, "%04d-%02d", year, month);
  if (month < 1 || month > 12)
    return NULL;
  char loc[64];
  cv_cldr_locale(lang, loc, sizeof loc);
  UChar pattern[64];
  int32_t plen = skeleton_pattern(loc, form == CV_MONTH_LONG ? "yMMMM" : "yMMM",
                                  pattern, 64);
  if (plen < 0 || format_with(buf, cap, loc, pattern, plen, year, month) < 0) {
    snprintf(buf, cap, "%04d-%02d", year, month);
    return NULL;
  }
  if (form == CV_MONTH_DOTTED)
    add_stop(buf, cap, loc, year, month);
  return buf;
}

const char *cv_cldr_month_name(char *buf, size_t cap, const char *lang,
                               int month, int abbreviated) {
  if (!buf || cap < 16)
    return NULL;
  snprintf(buf, cap, "%02d", month);
  if (month < 1 || month > 12)
    return NULL;
  char loc[64];
  cv_cldr_locale(lang, loc, sizeof loc);
  static const UChar alone[] = {'L', 'L', 'L', 'L'};
  return format_with(buf, cap, loc, alone, abbreviated ? 3 : 4, 2000, month)
             ? NULL
             : buf;
}

/* ---- the cache -------------------------------------------------------- */

/* A CV has tens of dates; a cache that is full keeps what it has. */
#define DATECACHE_MAX 4096

typedef struct date_entry {
  char *lang; /* "" for NULL */
  int year, month;
  cv_month_form form;
  char *text;
} date_entry;

struct cv_datecache {
  pthread_mutex_t mu; /* guards the entries */
  date_entry *e;
  size_t n;
};

cv_datecache *cv_datecache_create(void) {
  cv_datecache *c = calloc(1, sizeof *c);
  if (c && !(c->e = calloc(DATECACHE_MAX, sizeof *c->e))) {
    free(c);
    return NULL;
  }
  if (c && pthread_mutex_init(&c->mu, NULL) != 0) {
    free(c->e);
    free(c);
    c = NULL;
  }
  return c;
}

void cv_datecache_destroy(cv_datecache *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    free(c->e[i].lang);
    free(c->e[i].text);
  }
  free(c->e);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

static date_entry *date_find(cv_datecache *c, const char *lang, int year,
                             int month, cv_month_form form) {
  for (size_t i = 0; i < c->n; i++) {
    date_entry *e = &c->e[i];
    if (e->year == year && e->month == month && e->form == form &&
        !strcmp(e->lang, lang))
      return e;
  }
  return NULL;
}

const char *cv_cldr_month_year_cached(cv_datecache *c, char *buf, size_t cap,
                                      const char *lang, int year, int month,
                                      cv_month_form form) {
  const char *key = lang ? lang : "";
  if (c && buf && cap >= 16 && pthread_mutex_lock(&c->mu) == 0) {
    const date_entry *e = date_find(c, key, year, month, form);
    int fits = e && strlen(e->text) < cap;
    if (fits)
      memcpy(buf, e->text, strlen(e->text) + 1);
    pthread_mutex_unlock(&c->mu);
    if (fits)
      return buf;
  }
  const char *r = cv_cldr_month_year(buf, cap, lang, year, month, form);
  if (!c || !r || pthread_mutex_lock(&c->mu) != 0)
    return r;
  if (c->n < DATECACHE_MAX && !date_find(c, key, year, month, form)) {
    date_entry e = {cv_strdup(key), year, month, form, cv_strdup(buf)};
    if (e.lang && e.text)
      c->e[c->n++] = e;
    else {
      free(e.lang);
      free(e.text);
    }
  }
  pthread_mutex_unlock(&c->mu);
  return r;
}

const char *cv_cldr_day_date(char *buf, size_t cap, const char *lang, int year,
                             int month, int day) {
  if (!buf || cap < 16)
    return NULL;
  snprintf(buf, cap, "%04d-%02d-%02d", year, month, day);
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return NULL;
  char loc[64];
  cv_cldr_locale(lang, loc, sizeof loc);
  if (format_day(buf, cap, loc, NULL, 0, year, month, day) < 0) {
    snprintf(buf, cap, "%04d-%02d-%02d", year, month, day);
    return NULL;
  }
  return buf;
}
