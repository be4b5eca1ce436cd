#!/usr/bin/env python3
"""What a bundle's reader sees of its parts, read through qpdf's JSON.

  pdfparts.py FILE.pdf

prints the outline (one line an entry: its depth as indentation, its
title and the page it goes to, from 1), the page labels
("labels: 1 2 1 2 3"), and the structure tree's top: the root's kids
and the kids of each, by type ("struct: Document[Part[H1 Sect ...] ...]").
"""
import json
import subprocess
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pdfua import Doc, load, text  # noqa: E402


def pages_of(doc, objs):
    refs = []

    def walk(ref):
        node = doc.obj(ref)
        if node.get("/Type") == "/Pages":
            for k in node.get("/Kids", []):
                walk(k)
        else:
            refs.append(ref)
    cat = doc.obj(objs["trailer"]["value"]["/Root"])
    walk(cat["/Pages"])
    return cat, refs


def outline(doc, first, pages, depth, out):
    ref = first
    while ref:
        o = doc.obj(ref)
        dest = doc.deref(o.get("/Dest", []))
        page = pages.index(dest[0]) + 1 if dest and dest[0] in pages else 0
        out.append("%s%s -> %d" % ("  " * depth, text(o.get("/Title", "")), page))
        if "/First" in o:
            outline(doc, o["/First"], pages, depth + 1, out)
        ref = o.get("/Next")


def labels(doc, cat, npages):
    nums = doc.deref(doc.deref(cat.get("/PageLabels", {})).get("/Nums", []))
    starts = {nums[i]: doc.deref(nums[i + 1]) for i in range(0, len(nums), 2)}
    out, n = [], 0
    for p in range(npages):
        if p in starts:
            n = starts[p].get("/St", 1)
        else:
            n += 1
        out.append(str(n))
    return out


def struct(doc, ref, depth):
    e = doc.deref(ref)
    if not isinstance(e, dict) or "/S" not in e:
        return None
    name = e["/S"][1:]
    if depth == 0:
        return name
    kids = e.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    inner = [s for s in (struct(doc, k, depth - 1) for k in kids) if s]
    return name + ("[" + " ".join(inner) + "]" if inner else "")


def main(pdf):
    objs = load(pdf)
    doc = Doc(objs)
    cat, pages = pages_of(doc, objs)
    out = []
    ol = doc.deref(cat.get("/Outlines", {}))
    if "/First" in ol:
        outline(doc, ol["/First"], pages, 0, out)
    print("\n".join(out))
    print("labels: " + " ".join(labels(doc, cat, len(pages))))
    root = doc.deref(cat.get("/StructTreeRoot", {}))
    kids = root.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    print("struct: " + " ".join(s for s in (struct(doc, k, 2) for k in kids) if s))


if __name__ == "__main__":
    main(sys.argv[1])
