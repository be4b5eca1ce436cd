/* cvpdf - the new command: a starter CV that renders as it is. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

extern const char cv_usage[];

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
    "# industry.  A tagged bullet is written {text: \"...\", tags: [industry]}.\n"
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
static int write_name(FILE *f, const char *name) {
  fputs("name: \"", f);
  for (const char *p = name; *p; p++) {
    if (*p == '"' || *p == '\\')
      fputc('\\', f);
    fputc(*p, f);
  }
  return fputs("\"                # your full name, as printed\n", f) < 0 ? -1
                                                                          : 0;
}

static int name_ok(const char *name) {
  if (!*name)
    return 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return 0;
  return cv_utf8_check(name, strlen(name)) == (size_t)-1;
}

static int write_starter(FILE *f, const char *name) {
  fputs("# A CV for cvpdf: render it with `cvpdf render cv.yaml`, check it\n"
        "# with `cvpdf check cv.yaml`.  `cvpdf schema -o cvpdf.schema.json`\n"
        "# writes a JSON Schema that gives an editor completion and checking\n"
        "# (see cvpdf(1)).\n",
        f);
  write_name(f, name);
  fputs(starter_body, f);
  return ferror(f) ? -1 : 0;
}

int cv_cmd_new(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"force", no_argument, NULL, 'f'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *out = "cv.yaml";
  int force = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:fh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      out = optarg;
      break;
    case 'f':
      force = 1;
      break;
    case 'h':
      fputs(cv_usage, stdout);
      return 0;
    default:
      fputs("Try 'cvpdf --help'.\n", stderr);
      return 2;
    }
  }
  if (argc - optind != 1) {
    fputs("cvpdf: new needs your name, as in: cvpdf new \"Ada Lovelace\" "
          "[-o cv.yaml]\n",
          stderr);
    return 2;
  }
  const char *name = argv[optind];
  if (!name_ok(name)) {
    fputs("cvpdf: the name must be non-empty UTF-8 text on one line\n",
          stderr);
    return 2;
  }
  if (!strcmp(out, "-"))
    return write_starter(stdout, name) < 0 || fflush(stdout) != 0 ? 1 : 0;
  /* O_EXCL: an existing CV is never replaced without --force, even by a
   * file created between a check and the open. */
  int fd = open(out, O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL), 0666);
  if (fd < 0) {
    if (errno == EEXIST)
      fprintf(stderr,
              "cvpdf: %s already exists; not overwritten (use --force to "
              "replace it, or -o to choose another name)\n",
              out);
    else
      fprintf(stderr, "cvpdf: cannot create %s: %s\n", out, strerror(errno));
    return 1;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    fprintf(stderr, "cvpdf: cannot write %s: %s\n", out, strerror(errno));
    close(fd);
    return 1;
  }
  int rc = write_starter(f, name);
  if (fclose(f) != 0)
    rc = -1;
  if (rc < 0) {
    fprintf(stderr, "cvpdf: cannot write %s: %s\n", out, strerror(errno));
    return 1;
  }
  fprintf(stderr, "cvpdf: wrote %s; render it with: cvpdf render %s\n", out,
          out);
  return 0;
}
