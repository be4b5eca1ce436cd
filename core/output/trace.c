/* cvpdf - plain-text trace backend: every placed item on one line, so
 * layout tests compare text rather than PDF bytes. */
#include "output/trace.h"
#include "text/font.h"

#include <stdio.h>
#include <string.h>

/* Fixed two decimals ("72.00"), so columns in golden files line up and a
 * change from 72 to 72.5 shows as one changed number.  cv_buf_num drops
 * trailing zeros; its output is padded here. */
static void put_num(cv_buf *b, double v) {
  size_t start = b->len;
  cv_buf_num(b, v, 2);
  if (b->failed)
    return;
  const char *dot = memchr(b->data + start, '.', b->len - start);
  if (!dot) {
    cv_buf_puts(b, ".00");
    return;
  }
  size_t decimals = (size_t)(b->data + b->len - dot) - 1;
  for (; decimals < 2; decimals++)
    cv_buf_putc(b, '0');
}

static int channel(float c) {
  if (!(c > 0))
    return 0;
  if (c >= 1)
    return 255;
  return (int)(c * 255.0f + 0.5f);
}

static void put_color(cv_buf *b, cv_color c) {
  cv_buf_printf(b, "#%02X%02X%02X", channel(c.r), channel(c.g), channel(c.b));
}

/* Quoted, with quote, backslash and control characters escaped so one item
 * always stays on one line. */
static void put_quoted(cv_buf *b, const char *s, size_t n) {
  cv_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      cv_buf_putc(b, '\\');
      cv_buf_putc(b, (char)c);
    } else if (c == '\n') {
      cv_buf_puts(b, "\\n");
    } else if (c < 0x20 || c == 0x7F) {
      cv_buf_printf(b, "\\x%02X", c);
    } else {
      cv_buf_putc(b, (char)c);
    }
  }
  cv_buf_putc(b, '"');
}

static void put_text(cv_buf *b, const cv_dl_item *it) {
  const cv_run *r = it->run;
  cv_buf_puts(b, "text ");
  put_num(b, it->x);
  cv_buf_putc(b, ' ');
  put_num(b, it->y);
  if (!r) {
    cv_buf_puts(b, " (no run)\n");
    return;
  }
  const char *name = r->font && r->font->ps_name ? r->font->ps_name : "?";
  cv_buf_printf(b, " %s ", name);
  put_num(b, r->size);
  cv_buf_putc(b, ' ');
  put_color(b, r->color);
  cv_buf_putc(b, ' ');
  cv_buf s;
  cv_buf_init(&s);
  for (uint32_t i = 0; i < r->n; i++)
    if (r->g[i].text && r->g[i].text_len)
      cv_buf_put(&s, r->g[i].text, r->g[i].text_len);
  if (s.failed)
    b->failed = 1;
  put_quoted(b, s.data ? s.data : "", s.len);
  cv_buf_fini(&s);
  cv_buf_puts(b, " gids=");
  for (uint32_t i = 0; i < r->n; i++)
    cv_buf_printf(b, i ? ",%u" : "%u", (unsigned)r->g[i].gid);
  /* Advances show kerning and tracking; offsets only where there are any. */
  cv_buf_puts(b, " adv=");
  for (uint32_t i = 0; i < r->n; i++) {
    if (i)
      cv_buf_putc(b, ',');
    put_num(b, r->g[i].adv);
    if (r->g[i].dx != 0 || r->g[i].dy != 0) {
      cv_buf_putc(b, '@');
      put_num(b, r->g[i].dx);
      cv_buf_putc(b, '/');
      put_num(b, r->g[i].dy);
    }
  }
  if (r->link)
    cv_buf_printf(b, " link=%s", r->link);
  if (r->actual_text) {
    cv_buf_puts(b, " actual=");
    put_quoted(b, r->actual_text, strlen(r->actual_text));
  }
  cv_buf_putc(b, '\n');
}

/* "what x y w h ", the start of a line about an area. */
static void put_box(cv_buf *b, const char *what, const cv_dl_item *it) {
  const double v[4] = {it->x, it->y, it->w, it->h};
  cv_buf_puts(b, what);
  for (int i = 0; i < 4; i++) {
    cv_buf_putc(b, ' ');
    put_num(b, v[i]);
  }
  cv_buf_putc(b, ' ');
}

static void put_item(cv_buf *b, const cv_dl_item *it) {
  switch (it->kind) {
  case CV_DL_TEXT:
    put_text(b, it);
    return;
  case CV_DL_RECT:
  case CV_DL_LINK:
    put_box(b, it->kind == CV_DL_RECT ? "rect" : "link", it);
    if (it->kind == CV_DL_RECT)
      put_color(b, it->color);
    else
      cv_buf_puts(b, it->uri ? it->uri : "");
    cv_buf_putc(b, '\n');
    return;
  case CV_DL_IMAGE:
    put_box(b, "image", it);
    cv_buf_printf(b, "%s %ux%u%s alt=", it->image ? it->image->path : "",
                  it->image ? it->image->px_w : 0,
                  it->image ? it->image->px_h : 0, it->round ? " round" : "");
    put_quoted(b, it->image && it->image->alt ? it->image->alt : "",
               it->image && it->image->alt ? strlen(it->image->alt) : 0);
    cv_buf_putc(b, '\n');
    return;
  case CV_DL_MARK:
    cv_buf_printf(b, "mark %d ", it->level);
    put_num(b, it->y);
    cv_buf_putc(b, ' ');
    put_quoted(b, it->title ? it->title : "",
               it->title ? strlen(it->title) : 0);
    cv_buf_putc(b, '\n');
    return;
  default:
    cv_buf_printf(b, "unknown %d\n", it->kind);
    return;
  }
}

int cv_trace_write(const cv_docout *d, cv_buf *out, cv_status *st) {
  for (size_t p = 0; p < d->npages; p++) {
    const cv_page *pg = &d->pages[p];
    cv_buf_printf(out, "page %zu ", p + 1);
    put_num(out, pg->width);
    cv_buf_putc(out, 'x');
    put_num(out, pg->height);
    cv_buf_putc(out, '\n');
    for (size_t i = 0; i < pg->n; i++)
      put_item(out, &pg->items[i]);
    if (pg->foot_need >= 0) { /* what could have started in the hole */
      cv_buf_puts(out, "foot ");
      put_num(out, pg->foot_hole);
      cv_buf_putc(out, ' ');
      put_num(out, pg->foot_need);
      cv_buf_putc(out, '\n');
    }
  }
  if (out->failed) {
    cv_status_set(st, "trace: out of memory");
    return -1;
  }
  return 0;
}
