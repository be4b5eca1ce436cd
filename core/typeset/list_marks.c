/* cvpdf - list marks: a numbered list's mark in the layout's format
 * ("%d.", "%a)", "%I."), and the /ListNumbering a tagged PDF gives a list
 * for the mark the layout draws (PDF 32000-1, 14.8.5.5, table 347). */
#include "typeset/builder_int.h"

#include <stdio.h>
#include <string.h>

/* The conversion of fmt (the character after its one '%'), or 0 when fmt
 * is not a format with exactly one of %d %a %A %i %I. */
static char conversion(const char *fmt) {
  const char *p = fmt ? strchr(fmt, '%') : NULL;
  if (!p || !p[1] || !strchr("daAiI", p[1]) || strchr(p + 2, '%'))
    return 0;
  return p[1];
}

int cv_number_format_ok(const char *fmt) {
  return conversion(fmt) != 0;
}

/* n (>= 1) as letters: a..z, aa..zz, ... (as LaTeX's \alph and HTML
 * go on past z), in out of cap bytes. */
static void alpha(char *out, size_t cap, unsigned n, char a) {
  char tmp[16];
  size_t k = 0;
  while (n && k < sizeof tmp) {
    n--;
    tmp[k++] = (char)(a + n % 26);
    n /= 26;
  }
  size_t i = 0;
  while (k && i + 1 < cap)
    out[i++] = tmp[--k];
  out[i] = '\0';
}

/* n (1 to 3999) in Roman numerals, lower or upper case. */
static void roman(char *out, size_t cap, unsigned n, int upper) {
  static const unsigned val[] = {1000, 900, 500, 400, 100, 90, 50,
                                 40,   10,  9,   5,   4,   1};
  static const char *const sym[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
                                    "xl", "x",  "ix", "v",  "iv", "i"};
  size_t i = 0;
  for (int k = 0; k < 13; k++)
    for (; n >= val[k]; n -= val[k])
      for (const char *s = sym[k]; *s && i + 1 < cap; s++)
        out[i++] = (char)(upper ? *s - 'a' + 'A' : *s);
  out[i] = '\0';
}

void cv_number_mark(char *out, size_t cap, const char *fmt, int n) {
  char c = conversion(fmt), num[32];
  if (!c || n < 1 || ((c == 'i' || c == 'I') && n > 3999))
    c = 'd'; /* past what letters or numerals write: a number */
  if (c == 'a' || c == 'A')
    alpha(num, sizeof num, (unsigned)n, c == 'a' ? 'a' : 'A');
  else if (c == 'i' || c == 'I')
    roman(num, sizeof num, (unsigned)n, c == 'I');
  else
    snprintf(num, sizeof num, "%d", n);
  const char *p = fmt ? strchr(fmt, '%') : NULL;
  if (!p) {
    snprintf(out, cap, "%s", num);
    return;
  }
  snprintf(out, cap, "%.*s%s%s", (int)(p - fmt), fmt, num, p + 2);
}

cv_numbering cv_list_numbering(const char *mark, const char *fmt) {
  switch (fmt ? conversion(fmt) : 0) {
  case 'd':
    return CV_NUM_DECIMAL;
  case 'a':
    return CV_NUM_LOWER_ALPHA;
  case 'A':
    return CV_NUM_UPPER_ALPHA;
  case 'i':
    return CV_NUM_LOWER_ROMAN;
  case 'I':
    return CV_NUM_UPPER_ROMAN;
  default:
    break;
  }
  if (fmt)
    return CV_NUM_DECIMAL;
  /* A bullet: the mark itself, spaces around it aside. */
  static const struct {
    const char *mark;
    cv_numbering num;
  } marks[] = {
      {"\u2022", CV_NUM_DISC},   /* • */
      {"\u25CF", CV_NUM_DISC},   /* ● */
      {"\u25E6", CV_NUM_CIRCLE}, /* ◦ */
      {"\u25CB", CV_NUM_CIRCLE}, /* ○ */
      {"\u25A0", CV_NUM_SQUARE}, /* ■ */
      {"\u25AA", CV_NUM_SQUARE}, /* ▪ */
  };
  if (!mark)
    return CV_NUM_NONE;
  while (*mark == ' ')
    mark++;
  size_t n = strlen(mark);
  while (n && mark[n - 1] == ' ')
    n--;
  for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
    if (strlen(marks[i].mark) == n && !memcmp(marks[i].mark, mark, n))
      return marks[i].num;
  return CV_NUM_NONE;
}
