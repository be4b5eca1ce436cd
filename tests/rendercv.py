#!/usr/bin/env python3
"""RenderCV files read as RenderCV prints them: the page size of design
(US Letter when none is given, as in RenderCV), a page size with no
counterpart a warning at its position, the locale's words, DOIs printed
as text."""
import os
import shutil
import subprocess
import sys
import tempfile

CVPDF = os.environ.get("CVPDF_BIN", "build/core/cvpdf")
PORTRAIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "examples", "portrait.jpg")
failures = []


def check(ok, what):
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures.append(what)


BODY = """cv:
  name: Ada Lovelace
  sections:
    experience:
      - company: Analytical Engines
        position: Engineer
        start_date: 2019-09
        end_date: present
    publications:
      - title: Notes on the Engine
        authors: [Ada Lovelace]
        doi: 10.1234/notes.1843
        date: 2020-01
"""


def render(tmp, name, text):
    src = os.path.join(tmp, name + ".yaml")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    pdf = os.path.join(tmp, name + ".pdf")
    run = subprocess.run([CVPDF, "render", src, "-o", pdf],
                         capture_output=True, text=True)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True,
                          text=True).stdout if run.returncode == 0 else ""
    txt = subprocess.run(["pdftotext", pdf, "-"], capture_output=True,
                         text=True).stdout if run.returncode == 0 else ""
    return src, run, info, txt


def photo(tmp):
    """RenderCV's photo: an image file relative to the CV, printed as
    cvpdf's own photo: and kept by convert."""
    shutil.copy(PORTRAIT, os.path.join(tmp, "me.jpg"))
    src, run, _, _ = render(tmp, "photo", BODY.replace(
        "  name: Ada Lovelace\n", "  name: Ada Lovelace\n  photo: me.jpg\n"))
    images = subprocess.run(["pdfimages", "-list", src[:-5] + ".pdf"],
                            capture_output=True, text=True).stdout
    check(run.returncode == 0 and "warning" not in run.stderr and
          " image " in images,
          "photo: printed, without a warning (%r)" % run.stderr.strip()[:160])
    out = os.path.join(tmp, "photo-native.yaml")
    conv = subprocess.run([CVPDF, "convert", src, "-o", out, "-q"],
                          capture_output=True, text=True)
    text = open(out, encoding="utf-8").read() if conv.returncode == 0 else ""
    check("\nphoto: me.jpg\n" in text, "convert keeps photo: me.jpg")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        _, run, info, txt = render(tmp, "plain", BODY)
        check(run.returncode == 0 and "612 x 792" in info,
              "no design: US Letter, RenderCV's default")
        check("DOI 10.1234/notes.1843" in txt, "the DOI printed as text")
        _, run, info, _ = render(
            tmp, "a4", BODY + "design:\n  page:\n    size: a4\n"
            "    top_margin: 1in\n")
        check(run.returncode == 0 and "595.276 x 841.89" in info,
              "design.page.size a4: A4")
        _, run, info, _ = render(tmp, "v1", BODY +
                                 "design:\n  page_size: a4paper\n")
        check(run.returncode == 0 and "595.276 x 841.89" in info,
              "RenderCV 1.x design.page_size a4paper: A4")
        src, run, info, _ = render(tmp, "a5", BODY +
                                   "design:\n  page:\n    size: a5\n")
        want = ("%s:16:11: warning: RenderCV page size 'a5' has no cvpdf "
                "counterpart (A4 or US Letter); using US Letter" % src)
        check(want in run.stderr and "612 x 792" in info,
              "a5: a warning at its position, US Letter (%r)" %
              run.stderr.strip()[:160])
        _, run, _, txt = render(
            tmp, "locale", BODY + "locale:\n  language: spanish\n"
            "  present: hasta hoy\n")
        check(run.returncode == 0 and "hasta hoy" in txt and
              "present" not in txt, "the locale's own 'present'")
        photo(tmp)
        _, run, _, txt = render(tmp, "emails", BODY.replace(
            "  name: Ada Lovelace\n", "  name: Ada Lovelace\n"
            "  email: [a@x.org, b@y.org]\n  phone: ['+1 555 0100', "
            "'+44 20 7946 0000']\n"))
        check(run.returncode == 0 and "warning" not in run.stderr and
              all(w in txt for w in ("a@x.org", "b@y.org", "+1 555 0100",
                                     "+44 20 7946 0000")),
              "several e-mails and phones: all printed (%r)" %
              run.stderr.strip()[:160])
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
