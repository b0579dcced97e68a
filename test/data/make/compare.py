#!/usr/bin/python3
"""Compares regenerated reference files with the committed ones.

    python3 compare.py NEW_DIR OLD_DIR FILE...

One line per file: `identical` (same bytes), or for CSV files the number of
cells that differ, how many of them are numbers, and the largest relative
difference between the numbers; a different shape or a text cell that
differs is reported as such.  Exits 1 when a file is missing, differs in
shape or text, or a number differs by more than 1e-10 relative (the tests
compare with 1e-9 at the tightest).
"""
import csv
import math
import sys

TOLERANCE = 1e-10


def number(s):
    try:
        return float(s)
    except ValueError:
        return None


def compare(new_path, old_path):
    """(message, acceptable)"""
    try:
        with open(new_path, "rb") as f:
            new_bytes = f.read()
    except FileNotFoundError:
        return "not regenerated", False
    with open(old_path, "rb") as f:
        old_bytes = f.read()
    if new_bytes == old_bytes:
        return "identical", True
    if not old_path.endswith(".csv"):
        return "bytes differ", False
    new = list(csv.reader(new_bytes.decode().splitlines()))
    old = list(csv.reader(old_bytes.decode().splitlines()))
    if len(new) != len(old) or any(len(a) != len(b) for a, b in zip(new, old)):
        return f"shape differs ({len(new)} vs {len(old)} lines)", False
    cells = numeric = text = 0
    worst = 0.0
    for a_row, b_row in zip(new, old):
        for a, b in zip(a_row, b_row):
            if a == b:
                continue
            cells += 1
            x, y = number(a), number(b)
            if x is None or y is None:
                text += 1
                continue
            if x == y or (math.isnan(x) and math.isnan(y)):
                continue              # the same double written another way
            numeric += 1
            worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
    if text:
        return f"{text} text cells differ", False
    if numeric == 0:
        return f"same values ({cells} cells written differently)", True
    return (f"{numeric} numbers differ, largest relative difference {worst:.1e}",
            worst <= TOLERANCE)


def main(new_dir, old_dir, files):
    ok = True
    for name in files:
        message, acceptable = compare(f"{new_dir}/{name}", f"{old_dir}/{name}")
        ok = ok and acceptable
        print(f"{name:42} {message}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
