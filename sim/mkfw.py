#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""mkfw.py: write the simulated Mali CSF GPU's firmware image.

The image is in the real CSF firmware format, so a driver's own loader
parses it unchanged:

  header   magic 0xc3f13a6e, header version 0.x, a version hash, and the
           offset of the end of the entry table (not the file size)
  entries  each a 32-bit word (type in bits 7:0, entry size in bytes in
           bits 15:8, bit 31 "optional") followed by its body:
           - an interface (section) entry for the code section at MCU
             virtual address 0, whose data is the simulator's descriptor
             (signature, interface version, CSG and CS counts: the
             simulated MCU reads it at boot and refuses to start without
             it);
           - an interface entry for the shared region at 0x04000000
             (read/write, uncached, shared, zero-initialised), where the
             firmware publishes its GLB/CSG/CS interfaces;
           - a build-info metadata entry ("git_sha: ...").
  data     section contents, after the entry table.

Usage: mkfw.py OUTPUT [--iface MAJOR.MINOR.PATCH] [--groups N] [--streams N]
"""

import argparse
import hashlib
import struct
import sys

MAGIC = 0xC3F13A6E
ENTRY_IFACE = 0
ENTRY_BUILD_INFO = 6

IFACE_RD = 1 << 0
IFACE_WR = 1 << 1
IFACE_EX = 1 << 2
CACHE_CACHED = 1 << 3
CACHE_NONE = 0 << 3
IFACE_SHARED = 1 << 30
IFACE_ZERO = 1 << 31

SIGNATURE = 0x4D53494D  # "MSIM", checked by sim_mcu.c
CODE_VA = 0x00000000
SHARED_VA = 0x04000000
SHARED_SIZE = 0x10000
PAGE = 0x1000


def padded_name(name):
    raw = name.encode() + b"\0"
    return raw + b"\0" * (-len(raw) % 4)


def entry(etype, body, optional=False):
    size = 4 + len(body)
    if size % 4 or size > 0xFF:
        raise ValueError("entry of %d bytes cannot be encoded" % size)
    word = etype | (size << 8) | ((1 << 31) if optional else 0)
    return struct.pack("<I", word) + body


def build(iface, groups, streams):
    major, minor, patch = iface
    version = (major << 24) | (minor << 16) | patch
    code_data = struct.pack("<IIII", SIGNATURE, version, groups, streams)
    sha = hashlib.sha1(code_data).hexdigest()
    meta = ("git_sha: %s" % sha).encode() + b"\0"

    header_size = 20

    def table(data_at):
        code_off = data_at
        meta_off = code_off + len(code_data)
        ents = b""
        ents += entry(ENTRY_IFACE, struct.pack(
            "<IIIII", IFACE_RD | IFACE_EX | CACHE_CACHED,
            CODE_VA, CODE_VA + PAGE, code_off, code_off + len(code_data))
            + padded_name("sim-code"))
        ents += entry(ENTRY_IFACE, struct.pack(
            "<IIIII", IFACE_RD | IFACE_WR | CACHE_NONE | IFACE_SHARED | IFACE_ZERO,
            SHARED_VA, SHARED_VA + SHARED_SIZE, meta_off, meta_off)
            + padded_name("sim-shared"))
        ents += entry(ENTRY_BUILD_INFO, struct.pack("<II", meta_off, len(meta)))
        return ents

    # The table's length does not depend on where the data goes.
    table_len = len(table(0))
    end_of_table = header_size + table_len
    data_at = end_of_table + (-end_of_table % 8)
    ents = table(data_at)
    hdr = struct.pack("<IBBHIII", MAGIC, 0, 0, 0,
                      int(sha[:8], 16), 0, end_of_table)
    image = hdr + ents
    image += b"\0" * (data_at - len(image))
    image += code_data + meta
    image += b"\0" * (-len(image) % 4)
    return image


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output")
    ap.add_argument("--iface", default="1.1.0",
                    help="firmware interface version (default 1.1.0)")
    ap.add_argument("--groups", type=int, default=8)
    ap.add_argument("--streams", type=int, default=8)
    args = ap.parse_args(argv)
    try:
        iface = tuple(int(x) for x in args.iface.split("."))
        if len(iface) != 3:
            raise ValueError
    except ValueError:
        ap.error("--iface wants MAJOR.MINOR.PATCH")
    if not 1 <= args.groups <= 8 or not 1 <= args.streams <= 8:
        ap.error("the simulator has 1-8 groups of 1-8 streams")
    image = build(iface, args.groups, args.streams)
    with open(args.output, "wb") as f:
        f.write(image)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
