/* cvpdf - the written file made compact: every object that is not a
 * stream (the structure tree's elements above all: a tagged CV has
 * thousands) goes into compressed object streams, and a compressed
 * cross-reference stream replaces the table (PDF 32000-1, 7.5.7 and
 * 7.5.8).  The file also gets its /ID, an MD5 digest of its content, so
 * the same document gives the same bytes.
 *
 * libharu writes each object apart, "N 0 obj ... endobj" in the order of
 * their numbers, and a classic cross-reference table; that is all this
 * reads.  The objects the writer made as text (pdf_objs) are added after
 * libharu's, or stand in for one of its placeholders. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <nettle/md5.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects in one object stream (at most 256: an index is one byte of the
 * cross-reference stream): readers fetch a whole stream to reach one. */
#define PER_STREAM 200
/* libdeflate level for object streams, rows of dictionaries alike
 * (academic CV at 100x, the whole file: level 6 663.5 KB, 7 656.4 KB,
 * 9 651.2 KB); 6 as for page content (ZLEVEL in pdf.c), for time. */
#define OBJ_ZLEVEL 6

/* ---- objects made as text ------------------------------------------- */

static int objs_mark(pdf_objs *o, uint32_t num) {
  if (cv_grow((void **)&o->v, &o->cap, o->n + 1, sizeof *o->v) < 0)
    return -1;
  o->v[o->n++] = (pdf_obj_text){num, o->text.len, 0, 0};
  return 0;
}

int cv_pdf_objs_begin(pdf_objs *o, uint32_t num) {
  return objs_mark(o, num);
}

void cv_pdf_objs_end(pdf_objs *o) {
  pdf_obj_text *t = &o->v[o->n - 1];
  while (t->cols && (o->text.len - t->off) % t->cols)
    cv_buf_putc(&o->text, ' ');
  t->len = o->text.len - t->off;
}

void cv_pdf_objs_cells(pdf_objs *o, uint32_t cols) {
  o->v[o->n - 1].cols = cols;
}

void cv_pdf_put_cell(cv_buf *b, size_t start, uint32_t cols, const char *s,
                     size_t n) {
  while ((b->len - start) % cols)
    cv_buf_putc(b, ' ');
  /* A space before the token even where it does not fit (it then only
   * loses the alignment, never runs into the token before). */
  for (size_t i = n; i < cols || i == n; i++)
    cv_buf_putc(b, ' ');
  cv_buf_put(b, s, n);
}

void cv_pdf_objs_fini(pdf_objs *o) {
  cv_buf_fini(&o->text);
  free(o->v);
  memset(o, 0, sizeof *o);
}

void cv_pdf_put_uint(cv_buf *b, uint32_t v) {
  char s[12];
  int n = 0;
  do
    s[sizeof s - ++n] = (char)('0' + v % 10);
  while ((v /= 10) && n < (int)sizeof s);
  cv_buf_put(b, s + sizeof s - n, (size_t)n);
}

/* In one cv_buf_put: the structure tree writes a hundred thousand. */
void cv_pdf_put_ref(cv_buf *b, uint32_t num) {
  char s[20];
  size_t n = sizeof s - 4;
  memcpy(s + n, " 0 R", 4);
  do
    s[--n] = (char)('0' + num % 10);
  while ((num /= 10) && n > 1);
  s[--n] = ' ';
  cv_buf_put(b, s + n, sizeof s - n);
}

/* ---- reading libharu's file ----------------------------------------- */

typedef struct span {
  size_t off, len; /* the body: what is between "N 0 obj" and "endobj" */
  int stream;
} span;

typedef struct input {
  const char *pdf;
  size_t len;
  size_t head; /* bytes of the header, before the first object */
  uint32_t n;  /* objects, the free object 0 with them */
  span *obj;   /* by number */
  uint32_t root, info;
} input;

static const char *find(const char *s, size_t n, const char *what) {
  size_t k = strlen(what);
  for (size_t i = 0; i + k <= n; i++)
    if (s[i] == what[0] && !memcmp(s + i, what, k))
      return s + i;
  return NULL;
}

static uint32_t ref_after(const char *s, size_t n, const char *key) {
  const char *p = find(s, n, key);
  return p ? (uint32_t)strtoul(p + strlen(key), NULL, 10) : 0;
}

static int is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The last "endobj" in s[0..n). */
static const char *last_endobj(const char *s, size_t n) {
  for (size_t i = n; i-- > 6;)
    if (!memcmp(s + i - 6, "endobj", 6))
      return s + i - 6;
  return NULL;
}

/* The body of object k at off, before end (the next object). */
static int read_object(input *in, uint32_t k, size_t off, size_t end) {
  const char *s = in->pdf + off;
  size_t n = end - off;
  char head[24];
  int h = snprintf(head, sizeof head, "%u 0 obj", k);
  const char *e = last_endobj(s, n);
  if (h <= 0 || n < (size_t)h || memcmp(s, head, (size_t)h) || !e)
    return -1;
  size_t a = (size_t)h, b = (size_t)(e - s);
  while (a < b && is_space(s[a]))
    a++;
  while (b > a && is_space(s[b - 1]))
    b--;
  in->obj[k] =
      (span){off + a, b - a, b - a >= 9 && !memcmp(s + b - 9, "endstream", 9)};
  return 0;
}

/* The cross-reference table and trailer libharu wrote, and where each
 * object's body is.  The file ends in a NUL byte past in->len, so that
 * numbers can be read with strtoul. */
static int read_input(input *in) {
  const char *end = in->pdf + in->len;
  size_t tail = in->len < 64 ? in->len : 64;
  const char *sx = find(end - tail, tail, "startxref");
  if (!sx)
    return -1;
  size_t xref = strtoul(sx + 9, NULL, 10);
  unsigned first = 0, count = 0;
  if (xref >= in->len ||
      sscanf(in->pdf + xref, "xref %u %u", &first, &count) != 2 || first != 0 ||
      count < 2)
    return -1;
  const char *rows = memchr(in->pdf + xref + 5, '\n', in->len - xref - 5);
  if (!rows || (size_t)(end - rows - 1) < (size_t)count * 20)
    return -1;
  rows++;
  in->n = count;
  in->obj = calloc(count, sizeof *in->obj);
  if (!in->obj)
    return -1;
  const char *tr = rows + (size_t)count * 20;
  in->root = ref_after(tr, (size_t)(end - tr), "/Root ");
  in->info = ref_after(tr, (size_t)(end - tr), "/Info ");
  size_t prev = 0;
  for (uint32_t k = 1; k < count; k++) {
    size_t off = strtoul(rows + (size_t)k * 20, NULL, 10);
    size_t next =
        k + 1 < count ? strtoul(rows + (size_t)(k + 1) * 20, NULL, 10) : xref;
    if (rows[(size_t)k * 20 + 17] != 'n' || off <= prev || next <= off ||
        next > xref || read_object(in, k, off, next) < 0)
      return -1;
    prev = off;
    if (k == 1)
      in->head = off;
  }
  return in->root ? 0 : -1;
}

/* ---- writing ---------------------------------------------------------- */

/* A cross-reference entry: 1 at offset, or 2 in object stream at index. */
typedef struct xent {
  uint8_t type;
  uint32_t f2;
  uint8_t f3;
} xent;

/* An object stream being filled: its objects' numbers, and their text
 * one after another in body (where each starts in off). */
typedef struct bin {
  uint32_t num[PER_STREAM];
  size_t off[PER_STREAM + 1];
  uint32_t n;
  cv_buf body;
} bin;

typedef struct packer {
  cv_buf *out;
  size_t base;   /* where the file starts in out */
  xent *x;       /* by object number */
  bin rows;      /* short objects: a stream of rows (below) */
  bin plain;     /* longer ones, one after another */
  cv_buf text;   /* a stream's decoded text, before deflate */
  uint32_t next; /* the next object number free */
  int fast;      /* a preview's file: stored, no rows */
  zbuf z;
} packer;

static void begin_obj(packer *p, uint32_t num) {
  p->x[num] = (xent){1, (uint32_t)(p->out->len - p->base), 0};
  cv_pdf_put_uint(p->out, num);
  cv_buf_puts(p->out, " 0 obj\n");
}

/* Digits of v. */
static int digits(size_t v) {
  int n = 1;
  while (v /= 10)
    n++;
  return n;
}

/* The widest row: an object of ROW_MAX bytes, or a cell, with room. */
#define ROW_CAP 512

/* Rows of cols bytes, stored as PNG Up rows (PDF 32000-1, 7.4.4.4): a
 * filter byte, then each byte's difference from the one above it. */
typedef struct rows_out {
  unsigned char *at; /* the next stored row */
  size_t cols;
  unsigned char row[ROW_CAP], prev[ROW_CAP];
} rows_out;

/* Makes t n rows of cols bytes, to be filled by rows_put; -1 when out of
 * memory. */
static int rows_begin(rows_out *o, cv_buf *t, size_t n, size_t cols) {
  cv_buf_reset(t);
  if (cols > ROW_CAP || t->failed ||
      cv_grow((void **)&t->data, &t->cap, n * (cols + 1) + 1, 1) < 0)
    return -1;
  t->len = n * (cols + 1);
  t->data[t->len] = '\0';
  o->at = (unsigned char *)t->data;
  o->cols = cols;
  memset(o->prev, 0, cols);
  memset(o->row, ' ', cols);
  return 0;
}

/* Stores o->row and makes it the row above; o->row is blank again. */
static void rows_put(rows_out *o) {
  unsigned char *out = o->at;
  *out++ = 2; /* Up */
  for (size_t c = 0; c < o->cols; c++)
    out[c] = (unsigned char)(o->row[c] - o->prev[c]);
  memcpy(o->prev, o->row, o->cols);
  memset(o->row, ' ', o->cols);
  o->at += o->cols + 1;
}

/* v right-aligned in row[at - w, at). */
static void put_right(unsigned char *row, size_t at, size_t v) {
  do
    row[--at] = (unsigned char)('0' + v % 10);
  while ((v /= 10) && at > 0);
}

/* The decoded text of an object stream of b's objects: the index ("num
 * offset" pairs), then the objects; *first gets where they start.
 *
 * With cols > 0 every index pair and every object fills a row of cols
 * bytes, padded with spaces, and each row is stored as its difference
 * from the row before (rows_put): the structure tree's elements are
 * dictionaries alike, numbered a role at a time, so two rows differ in a
 * digit or two and the differences are mostly zeros.  Deflate finds no
 * repeats in rising numbers written out, and finds them in their
 * differences.  The numbers of the index are right-aligned so that
 * their digits stay in the same columns.  Academic CV at 100x, with the
 * parent tree's and long elements' cells (put_cells): object streams 325
 * -> 124 KB, the file 888 -> 672 KB. */
static int stream_text(packer *p, const bin *b, size_t cols, size_t *first) {
  cv_buf *t = &p->text;
  if (!cols) {
    cv_buf_reset(t);
    for (uint32_t i = 0; i < b->n; i++) {
      if (i)
        cv_buf_putc(t, ' ');
      cv_pdf_put_uint(t, b->num[i]);
      cv_buf_putc(t, ' ');
      cv_pdf_put_uint(t, (uint32_t)b->off[i]);
    }
    cv_buf_putc(t, '\n');
    *first = t->len;
    cv_buf_put(t, b->body.data, b->body.len);
    return t->failed ? -1 : 0;
  }
  /* As many index pairs a row as fit; the rows of the index, then a
   * row an object.  The offsets depend on how many rows the index
   * takes, and that on how wide an offset is: the widest offset of a
   * row an object is wide enough. */
  size_t nw = (size_t)digits(b->num[b->n - 1]);
  size_t ow = (size_t)digits(cols * 2 * b->n), pw = nw + 1 + ow + 1;
  size_t per = cols / pw, irows = (b->n + per - 1) / per;
  rows_out o;
  if (rows_begin(&o, t, irows + b->n, cols) < 0)
    return -1;
  *first = cols * irows;
  for (uint32_t i = 0; i < b->n; i++) {
    size_t at = (i % per) * pw;
    put_right(o.row, at + nw, b->num[i]);
    put_right(o.row, at + nw + 1 + ow, cols * i);
    if (i % per == per - 1 || i + 1 == b->n)
      rows_put(&o);
  }
  for (uint32_t i = 0; i < b->n; i++) {
    memcpy(o.row, b->body.data + b->off[i], b->off[i + 1] - b->off[i]);
    rows_put(&o);
  }
  return 0;
}

/* Rows no wider than this; a longer object goes to a plain stream. */
#define ROW_MAX 256

/* Whether most of b's objects begin as the one before them does (the
 * structure tree's elements, a role at a time), so that rows of them
 * differ in a few columns; libharu's dictionaries of a short document
 * are unlike each other, and rows of them come out longer than their
 * plain text. */
static int alike(const bin *b) {
  uint32_t same = 0;
  for (uint32_t i = 1; i < b->n; i++) {
    size_t a = b->off[i] - b->off[i - 1], c = b->off[i + 1] - b->off[i];
    same += a >= 8 && c >= 8 &&
            !memcmp(b->body.data + b->off[i - 1], b->body.data + b->off[i], 8);
  }
  return 4 * same >= 3 * (b->n - 1);
}

/* Writes b's objects as an object stream, and empties b. */
static int flush_bin(packer *p, bin *b) {
  if (!b->n)
    return 0;
  size_t cols = 0;
  if (b == &p->rows && !p->fast && b->n > 1) {
    for (uint32_t i = 0; i < b->n; i++)
      if (b->off[i + 1] - b->off[i] > cols)
        cols = b->off[i + 1] - b->off[i];
    cols = (cols + 9) / 10 * 10; /* offsets that end in 0 */
    /* An index row: the number, a space, the offset. */
    while ((size_t)digits(b->num[b->n - 1]) + (size_t)digits(cols * 2 * b->n) +
               2 >
           cols)
      cols += 10;
  }
  if (cols > ROW_CAP || (cols && !alike(b)))
    cols = 0;
  size_t first = 0, n = 0;
  if (stream_text(p, b, cols, &first) < 0 ||
      cv_pdf_deflate(&p->z, p->text.data, p->text.len, &n) < 0)
    return -1;
  uint32_t self = p->next++;
  for (uint32_t i = 0; i < b->n; i++)
    p->x[b->num[i]] = (xent){2, self, (uint8_t)i};
  begin_obj(p, self);
  cv_buf_printf(p->out, "<</Type/ObjStm/N %u/First %zu", b->n, first);
  if (cols)
    cv_buf_printf(p->out, "/DecodeParms<</Columns %zu/Predictor 12>>", cols);
  cv_buf_printf(p->out, "/Filter/FlateDecode/Length %zu>>stream\n", n);
  cv_buf_put(p->out, p->z.out, n);
  cv_buf_puts(p->out, "\nendstream\nendobj\n");
  cv_buf_reset(&b->body);
  b->n = 0;
  return 0;
}

/* Object num, written in cells of cols bytes (len a multiple of cols),
 * as an object stream of its own: its index is one row, its cells the
 * rows after it, each stored as its difference from the row before. */
static int put_cells(packer *p, uint32_t num, const char *s, size_t len,
                     uint32_t cols) {
  cv_buf *t = &p->text;
  rows_out o;
  if (len % cols || (size_t)digits(num) + 2 > cols ||
      rows_begin(&o, t, 1 + len / cols, cols) < 0)
    return -1;
  put_right(o.row, (size_t)digits(num), num);
  o.row[digits(num) + 1] = '0';
  rows_put(&o);
  for (size_t r = 0; r < len / cols; r++) {
    memcpy(o.row, s + r * cols, cols);
    rows_put(&o);
  }
  size_t n = 0;
  if (t->failed || cv_pdf_deflate(&p->z, t->data, t->len, &n) < 0)
    return -1;
  uint32_t self = p->next++;
  p->x[num] = (xent){2, self, 0};
  begin_obj(p, self);
  cv_buf_printf(p->out,
                "<</Type/ObjStm/N 1/First %u/DecodeParms<</Columns "
                "%u/Predictor 12>>/Filter/FlateDecode/Length %zu>>stream\n",
                cols, cols, n);
  cv_buf_put(p->out, p->z.out, n);
  cv_buf_puts(p->out, "\nendstream\nendobj\n");
  return 0;
}

/* Object num, of len bytes at s, into an object stream: a short one
 * into the stream of rows, a longer one into the plain stream. */
static int pack(packer *p, uint32_t num, const char *s, size_t len,
                uint32_t cols) {
  if (cols && !p->fast)
    return put_cells(p, num, s, len, cols);
  bin *b = len <= ROW_MAX ? &p->rows : &p->plain;
  if (b->n == PER_STREAM && flush_bin(p, b) < 0)
    return -1;
  b->num[b->n] = num;
  b->off[b->n] = b->body.len;
  cv_buf_put(&b->body, s, len);
  /* The next object's offset ends this one; a space only where a number
   * or a name would run on into it. */
  if (len && !strchr(">])", s[len - 1]))
    cv_buf_putc(&b->body, ' ');
  b->off[++b->n] = b->body.len;
  return 0;
}

/* Bytes that hold v. */
static int width(uint32_t v) {
  int n = 1;
  while (v >>= 8)
    n++;
  return n;
}

/* The cross-reference stream, with the trailer's entries and the /ID.
 * Its rows go through the PNG Up predictor: each the difference from the
 * row before, mostly zeros, which compress to a tenth. */
static int put_xref(packer *p, const input *in) {
  uint32_t num = p->next++;
  p->x[num] = (xent){1, (uint32_t)(p->out->len - p->base), 0};
  unsigned char id[MD5_DIGEST_SIZE];
  struct md5_ctx md5;
  md5_init(&md5);
  md5_update(&md5, p->out->len - p->base,
             (const uint8_t *)p->out->data + p->base);
  md5_digest(&md5, sizeof id, id);
  int w2 = width(p->x[num].f2), cols = 1 + w2 + 1;
  cv_buf rows;
  cv_buf_init(&rows);
  unsigned char prev[8] = {0}, row[8];
  for (uint32_t k = 0; k < p->next; k++) {
    xent e = k ? p->x[k] : (xent){0, 0, 0};
    row[0] = e.type;
    for (int i = 0; i < w2; i++)
      row[1 + i] = (unsigned char)(e.f2 >> (8 * (w2 - 1 - i)));
    row[cols - 1] = (unsigned char)e.f3;
    cv_buf_putc(&rows, 2); /* Up */
    for (int i = 0; i < cols; i++)
      cv_buf_putc(&rows, (char)(row[i] - prev[i]));
    memcpy(prev, row, sizeof row);
  }
  size_t n = 0;
  int rc = rows.failed || cv_pdf_deflate(&p->z, rows.data, rows.len, &n) < 0
               ? -1
               : 0;
  cv_buf_fini(&rows);
  if (rc < 0)
    return -1;
  cv_pdf_put_uint(p->out, num);
  cv_buf_puts(p->out, " 0 obj\n<</Type/XRef/Size ");
  cv_pdf_put_uint(p->out, p->next);
  cv_buf_printf(p->out,
                "/W[1 %d 1]/DecodeParms<</Columns %d/Predictor 12>>/Root", w2,
                cols);
  cv_pdf_put_ref(p->out, in->root);
  if (in->info) {
    cv_buf_puts(p->out, "/Info");
    cv_pdf_put_ref(p->out, in->info);
  }
  cv_buf_puts(p->out, "/ID[<");
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < sizeof id; i++)
      cv_buf_printf(p->out, "%02x", id[i]);
    cv_buf_puts(p->out, k ? ">]" : "><");
  }
  cv_buf_printf(p->out, "/Filter/FlateDecode/Length %zu>>stream\n", n);
  cv_buf_put(p->out, p->z.out, n);
  cv_buf_printf(p->out, "\nendstream\nendobj\nstartxref\n%u\n%%%%EOF\n",
                p->x[num].f2);
  return 0;
}

static int write_all(packer *p, const input *in, const pdf_objs *extra) {
  cv_buf_put(p->out, in->pdf, in->head);
  /* Streams first, as they are; then everything else packed. */
  for (uint32_t k = 1; k < in->n; k++) {
    const span *o = &in->obj[k];
    if (!o->stream)
      continue;
    begin_obj(p, k);
    cv_buf_put(p->out, in->pdf + o->off, o->len);
    cv_buf_puts(p->out, "\nendobj\n");
  }
  size_t e = 0;
  for (uint32_t k = 1; k < in->n; k++) {
    const span *o = &in->obj[k];
    if (o->stream)
      continue;
    while (e < extra->n && extra->v[e].num < k)
      e++;
    const char *s = in->pdf + o->off;
    size_t len = o->len;
    uint32_t cols = 0;
    if (e < extra->n && extra->v[e].num == k) { /* a placeholder */
      s = extra->text.data + extra->v[e].off;
      len = extra->v[e].len;
      cols = extra->v[e].cols;
    }
    if (pack(p, k, s, len, cols) < 0)
      return -1;
  }
  for (size_t i = 0; i < extra->n; i++)
    if (extra->v[i].num >= in->n &&
        pack(p, extra->v[i].num, extra->text.data + extra->v[i].off,
             extra->v[i].len, extra->v[i].cols) < 0)
      return -1;
  return flush_bin(p, &p->rows) < 0 || flush_bin(p, &p->plain) < 0 ||
                 put_xref(p, in) < 0
             ? -1
             : 0;
}

/* Whether the objects made as text follow libharu's in order, numbered
 * on from them, or stand in for one of them that is not a stream. */
static int extra_fits(const input *in, const pdf_objs *extra) {
  uint32_t next = in->n, prev = 0;
  for (size_t i = 0; i < extra->n; i++) {
    uint32_t num = extra->v[i].num;
    if (i && num <= prev)
      return 0;
    if (num < in->n ? in->obj[num].stream || !num : num != next++)
      return 0;
    prev = num;
  }
  return 1;
}

int cv_pdf_compact(const void *pdf, size_t len, const pdf_objs *extra, int fast,
                   cv_buf *out, cv_status *st) {
  input in = {.pdf = pdf, .len = len};
  if (read_input(&in) < 0 || extra->text.failed || !extra_fits(&in, extra)) {
    free(in.obj);
    cv_status_set(st, "pdf: cannot read back the document libharu wrote");
    return -1;
  }
  uint32_t nobj = in.n, ncells = 0;
  for (size_t i = 0; i < extra->n; i++) {
    nobj += extra->v[i].num >= in.n;
    ncells += extra->v[i].cols > 0;
  }
  packer p = {.out = out, .base = out->len, .next = nobj, .fast = fast};
  /* object streams (one per object in cells), one more for the
   * cross-reference stream */
  p.x = calloc((size_t)nobj + nobj / PER_STREAM + ncells + 3, sizeof *p.x);
  cv_buf_init(&p.rows.body);
  cv_buf_init(&p.plain.body);
  cv_buf_init(&p.text);
  p.z.level = OBJ_ZLEVEL;
  p.z.store = fast;
  int rc = p.x ? write_all(&p, &in, extra) : -1;
  cv_buf_fini(&p.rows.body);
  cv_buf_fini(&p.plain.body);
  cv_buf_fini(&p.text);
  cv_pdf_zbuf_fini(&p.z);
  free(p.x);
  free(in.obj);
  if (rc == 0 && out->failed)
    rc = -1;
  if (rc < 0)
    cv_status_set(st, "pdf: out of memory writing object streams");
  return rc;
}
