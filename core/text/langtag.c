/* cvpdf - language tags a CV writes in its text (<span lang="de">): whether
 * ICU knows the language, and what a mistyped tag or a language's English
 * name most likely meant. */
#define _POSIX_C_SOURCE 200809L
#include "text/text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unicode/uloc.h>

/* The language subtag of tag, in lower case, into buf (cap >= 9). */
static const char *language_of(const char *tag, char *buf, size_t cap) {
  size_t n = strcspn(tag, "-_");
  if (n >= cap)
    n = cap - 1;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)(tag[i] >= 'A' && tag[i] <= 'Z' ? tag[i] + 32 : tag[i]);
  buf[n] = '\0';
  return buf;
}

int cv_language_known(const char *tag) {
  char lang[16];
  language_of(tag, lang, sizeof lang);
  for (const char *const *l = uloc_getISOLanguages(); l && *l; l++)
    if (!strcmp(*l, lang))
      return 1;
  return 0;
}

/* The languages CVs are most often written in, tried first, so that a
 * mistyped code comes back as a common language ("dx" as "de", not
 * "dz"). */
static const char *const common[] = {
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk",
    "sv", "da", "fi", "nb", "no", "ru", "uk", "zh", "ja", "ko",
    "tr", "el", "hu", "ro", "ar", "he", "hi", "la", "ca", "hr",
    "sl", "sr", "bg", "et", "lv", "lt", NULL};

const char *cv_language_suggest(const char *word, char *buf, size_t cap) {
  if (!word || !*word || cap < 9)
    return NULL;
  /* A language's English name: "German", "portuguese". */
  for (const char *const *l = uloc_getISOLanguages(); l && *l; l++) {
    UChar name[64];
    char utf8[128];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayLanguage(*l, "en", name, 64, &err);
    if (U_FAILURE(err) || n <= 0 || n >= 64)
      continue;
    int32_t k = 0;
    for (int32_t i = 0; i < n && k < 127; i++)
      utf8[k++] = name[i] < 0x80 ? (char)name[i] : '?';
    utf8[k] = '\0';
    if (!strcasecmp(utf8, word)) {
      snprintf(buf, cap, "%s", *l);
      return buf;
    }
  }
  char lang[16];
  if (strlen(word) > 8)
    return NULL;
  language_of(word, lang, sizeof lang);
  const char *near = cv_nearest(lang, common);
  if (!near && strlen(lang) <= 3)
    near = cv_nearest(lang, uloc_getISOLanguages());
  if (!near || !strcmp(near, lang))
    return NULL;
  snprintf(buf, cap, "%s", near);
  return buf;
}
