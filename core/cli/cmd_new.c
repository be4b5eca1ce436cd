/* cvpdf - the new command: a starter CV that renders as it is. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/atomic.h"
#include "cli/cli.h"

/* Every section the built-in plugins know, with one entry each, so the
 * starter shows the shape of each and still fits on one page. */
static const char starter_body[] =
    "headline: Your Position, Your Organisation\n"
    "layout: classic          # a layout in the layouts directory\n"
    "contact:                 # printed in this order, each as a link\n"
    "  email: you@example.org\n"
    "  phone: \"+1 555 0100\"\n"
    "  website: www.example.org\n"
    "  github: your-user-name\n"
    "  location: City, Country\n"
    "\n"
    "# Each section has a type (the plugin that prints it) and a title.\n"
    "# Any section, entry or bullet may carry tags; `cvpdf render cv.yaml\n"
    "# --only industry` then prints the untagged items and those tagged\n"
    "# industry.  A tagged bullet is written {text: \"...\", tags: "
    "[industry]}.\n"
    "sections:\n"
    "  - type: summary\n"
    "    title: Summary\n"
    "    text: >-\n"
    "      Two or three sentences on what you do and what you want to do\n"
    "      next.  Text may use **bold**, *italic* and\n"
    "      [links](https://www.example.org).\n"
    "\n"
    "  - type: roles\n"
    "    title: Experience\n"
    "    entries:\n"
    "      - organisation: Example Company\n"
    "        title: Software Engineer\n"
    "        location: City, Country\n"
    "        start: Jan 2023\n"
    "        end: present\n"
    "        highlights:\n"
    "          - \"**Lead.** What you did, and what came of it, in numbers.\"\n"
    "          - Another achievement worth a line.\n"
    "\n"
    "  - type: education\n"
    "    title: Education\n"
    "    entries:\n"
    "      - institution: Example University\n"
    "        location: City, Country\n"
    "        degree: B.Sc.\n"
    "        field: Computer Science\n"
    "        start: 2018\n"
    "        end: 2022\n"
    "\n"
    "  - type: skills\n"
    "    title: Skills\n"
    "    items:\n"
    "      Languages: [C, Python, SQL]\n"
    "      Tools: [Git, Linux]\n";

/* The name goes into a double-quoted YAML scalar. */
static void put_name(cv_buf *b, const char *name) {
  cv_buf_puts(b, "name: \"");
  for (const char *p = name; *p; p++) {
    if (*p == '"' || *p == '\\')
      cv_buf_putc(b, '\\');
    cv_buf_putc(b, *p);
  }
  cv_buf_puts(b, "\"                # your full name, as printed\n");
}

static int name_ok(const char *name) {
  if (!*name)
    return 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return 0;
  return cv_utf8_check(name, strlen(name)) == (size_t)-1;
}

static void put_starter(cv_buf *b, const char *name) {
  cv_buf_puts(
      b, "# A CV for cvpdf: render it with `cvpdf render cv.yaml`, check it\n"
         "# with `cvpdf check cv.yaml`.  `cvpdf schema -o cvpdf.schema.json`\n"
         "# writes a JSON Schema that gives an editor completion and checking\n"
         "# (see cvpdf(1)).\n");
  put_name(b, name);
  cv_buf_puts(b, starter_body);
}

/* Writes the starter to out: standard output for "-", else through the
 * atomic-file module, which never replaces an existing file without
 * --force (checked again as the file is linked into place, so one created
 * meanwhile is kept too).  Returns the exit status. */
static int write_starter(const char *out, const char *name, int force) {
  cv_buf b;
  cv_buf_init(&b);
  put_starter(&b, name);
  if (b.failed) {
    cv_buf_fini(&b);
    fputs("cvpdf: out of memory\n", stderr);
    return 1;
  }
  int rc = 0;
  cv_status st = {0};
  if (!strcmp(out, "-")) {
    rc = fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0;
  } else if (cv_atomic_write(out, force ? 0 : CV_ATOMIC_NO_REPLACE, NULL,
                             "the CV", b.data, b.len, &st) < 0) {
    if (errno == EEXIST && !force)
      fprintf(stderr,
              "cvpdf: %s already exists; not overwritten (use --force to "
              "replace it, or -o to choose another name)\n",
              out);
    else
      fprintf(stderr, "%s: error: %s\n", out, st.msg);
    rc = 1;
  } else {
    fprintf(stderr, "cvpdf: wrote %s; render it with: cvpdf render %s\n", out,
            out);
  }
  cv_buf_fini(&b);
  return rc;
}

int cv_cmd_new(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"force", no_argument, NULL, 'f'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *out = "cv.yaml";
  int force = 0, c;
  cv_opts g = CV_OPTS(argc, argv, "o:fh", longopts, NULL, NULL);
  while ((c = cv_opts_next(&g)) >= 0) {
    switch (c) {
    case 'o':
      out = optarg;
      break;
    case 'f':
      force = 1;
      break;
    }
  }
  if (c == CV_OPTS_EXIT)
    return g.status;
  if (argc - optind != 1) {
    fputs("cvpdf: new needs your name, as in: cvpdf new \"Ada Lovelace\" "
          "[-o cv.yaml]\n",
          stderr);
    return 2;
  }
  const char *name = argv[optind];
  if (!name_ok(name)) {
    fputs("cvpdf: the name must be non-empty UTF-8 text on one line\n", stderr);
    return 2;
  }
  return write_starter(out, name, force);
}
