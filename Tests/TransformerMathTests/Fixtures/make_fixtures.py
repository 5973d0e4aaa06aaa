#!/usr/bin/env python3
"""Writes the reader fixtures of TransformerMathTests into this folder, and expected.json with
the values each one must decode to. Deterministic: running it twice gives identical files.

    python3 Tests/TransformerMathTests/Fixtures/make_fixtures.py

expected.json layout (non-finite floats are written as the strings "nan", "inf", "-inf"):
    npy:    {file: {shape, values}}                     values flattened in C order
    npz:    {file: {member or "": {shape, values}}}     "" = read without --array
    json:   {file: {member or "": {shape, values}}}
    csv:    {file: {shape, values, labels}}             labels null without a header row
    tokens: {file: [token, ...]}
"""
import io
import json
import os
import struct
import zipfile
import zlib

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.dirname(os.path.abspath(__file__))
expected = {"npy": {}, "npz": {}, "json": {}, "csv": {}, "tokens": {}}


def path(name):
    return os.path.join(HERE, name)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def number(x):
    x = float(x)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def expect(array):
    a = np.asarray(array)
    return {"shape": list(a.shape), "values": [number(x) for x in a.astype(np.float64).ravel(order="C")]}


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    npformat.write_array(buffer, np.asarray(array), version=version, allow_pickle=False)
    return buffer.getvalue()


def raw_npy(header, data, version=(1, 0)):
    """A .npy file with a hand-written header dictionary, padded the way NumPy pads."""
    text = header.encode("utf-8" if version[0] == 3 else "latin1")
    size_format = "<H" if version[0] == 1 else "<I"
    prefix = 6 + 2 + struct.calcsize(size_format)
    padding = 64 - (prefix + len(text) + 1) % 64
    body = text + b" " * padding + b"\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack(size_format, len(body)) + body + data


# MARK: - .npy: every dtype x byte order x memory order, two shapes

def base_values(kind, count):
    if kind == "f2":
        return (np.arange(count) - count // 2) * 0.375
    if kind in ("f4", "f8"):
        return np.linspace(-3.7, 5.1, count) * np.where(np.arange(count) % 2 == 0, 1.0, 1e-3)
    if kind == "b1":
        return (np.arange(count) * 7 % 3) == 0
    info = np.iinfo(np.dtype(kind))
    values = (np.arange(count) * 37 % 101 - (50 if info.min < 0 else 0)).astype(np.int64)
    out = values.astype(object)
    out[1] = info.min
    out[2] = info.max
    return np.array(out.tolist(), dtype=np.dtype(kind))


DTYPE_NAMES = {
    "f2": "float16", "f4": "float32", "f8": "float64",
    "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64",
    "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64", "b1": "bool",
}

for kind, name in DTYPE_NAMES.items():
    for shape in [(3, 4), (2, 3, 4)]:
        count = int(np.prod(shape))
        c_array = np.asarray(base_values(kind, count)).astype(np.dtype(kind)).reshape(shape)
        single_byte = np.dtype(kind).itemsize == 1
        for order_name, order in [("le", "<"), ("be", ">")]:
            if single_byte and order == ">":
                continue
            typed = c_array.astype(np.dtype(kind).newbyteorder(order))
            for layout in ("C", "F"):
                stored = typed if layout == "C" else np.asfortranarray(typed)
                if layout == "F":
                    assert stored.flags.f_contiguous and not stored.flags.c_contiguous
                label = name if single_byte else f"{name}_{order_name}"
                file = f"{label}_{layout}_{'x'.join(map(str, shape))}.npy"
                write_bytes(file, npy_bytes(stored))
                expected["npy"][file] = expect(c_array)

# float16 corner cases: signed zero, largest normal, smallest normal and subnormals, inf, NaN.
half = np.array([0.0, -0.0, 1.0, -2.0, 0.5, 65504.0, 2.0**-14, 2.0**-24, 3 * 2.0**-24, -(2.0**-20),
                 np.inf, -np.inf, np.nan], dtype=np.float16)
write_bytes("float16_special.npy", npy_bytes(half))
expected["npy"]["float16_special.npy"] = expect(half)
write_bytes("float16_special_be.npy", npy_bytes(half.astype(">f2")))
expected["npy"]["float16_special_be.npy"] = expect(half)

# Format versions.
versioned = np.arange(6, dtype=np.float64).reshape(2, 3) / 8
for version in [(1, 0), (2, 0), (3, 0)]:
    file = f"version_{version[0]}_{version[1]}.npy"
    write_bytes(file, npy_bytes(versioned, version=version))
    expected["npy"][file] = expect(versioned)

# Ranks 0 and 1, and an empty array.
for file, array in [("scalar_0d.npy", np.array(3.5)), ("vector_1d.npy", np.arange(5, dtype=np.int16)),
                    ("empty_0x4.npy", np.zeros((0, 4), dtype=np.float32))]:
    write_bytes(file, npy_bytes(array))
    expected["npy"][file] = expect(array)

# Hand-written headers that NumPy would also accept.
two_by_two = np.array([[1.5, -2.0], [0.25, 8.0]])
write_bytes("header_double_quotes.npy",
            raw_npy('{"descr": "<f8", "fortran_order": False, "shape": (2, 2)}', two_by_two.tobytes()))
expected["npy"]["header_double_quotes.npy"] = expect(two_by_two)
ints = np.array([7, -8, 9], dtype="<i4")
write_bytes("header_key_order.npy",
            raw_npy("{ 'shape' : ( 3 , ) , 'fortran_order':False,'descr' :'<i4' , }", ints.tobytes()))
expected["npy"]["header_key_order.npy"] = expect(ints)
native = np.array([[0.5, 1.5, -2.5]], dtype="<f4")
write_bytes("header_native_order.npy",
            raw_npy("{'descr': '=f4', 'fortran_order': False, 'shape': (1, 3), }", native.tobytes()))
expected["npy"]["header_native_order.npy"] = expect(native)
flags = np.array([True, False, True, True])
write_bytes("header_bool_question.npy",
            raw_npy("{'descr': '?', 'fortran_order': False, 'shape': (4,), }", flags.tobytes()))
expected["npy"]["header_bool_question.npy"] = expect(flags)
shorts = np.arange(6, dtype="<i2").reshape(2, 3) - 3
write_bytes("header_python2_long.npy",
            raw_npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 3L), }", shorts.tobytes()))
expected["npy"]["header_python2_long.npy"] = expect(shorts)
# Version 3.0 headers are UTF-8. NumPy refuses keys beyond the three it writes; this reader
# ignores them, which is how non-ASCII text gets into this header.
write_bytes("header_version3_utf8.npy",
            raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'note': 'größe ✓', }",
                    two_by_two.tobytes(), version=(3, 0)))
expected["npy"]["header_version3_utf8.npy"] = expect(two_by_two)

# MARK: - .npy: malformed

sixteen = np.arange(16, dtype="<f4").reshape(4, 4)
write_bytes("bad_truncated_data.npy", npy_bytes(sixteen)[:-16])
write_bytes("bad_magic.npy", b"hello, world\n")
write_bytes("bad_huge_shape.npy",
            raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", b"\0" * 8))
write_bytes("bad_overflow_shape.npy",
            raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", b""))
write_bytes("bad_negative_shape.npy",
            raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, -4), }", b""))
write_bytes("bad_object.npy",
            raw_npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", b"\0" * 16))
complex_values = np.array([1 + 2j, 3 - 4j])
write_bytes("bad_complex.npy", npy_bytes(complex_values))
write_bytes("bad_unicode.npy", npy_bytes(np.array(["hello", "world"])))
write_bytes("bad_version.npy", b"\x93NUMPY\x04\x00" + npy_bytes(sixteen)[8:])
write_bytes("bad_header_truncated.npy", npy_bytes(sixteen)[:40])
write_bytes("bad_header_not_dict.npy", raw_npy("['<f4', False, (4, 4)]", sixteen.tobytes()))
write_bytes("bad_header_missing_shape.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, }", sixteen.tobytes()))
write_bytes("bad_header_shape_literal.npy",
            raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 'four'), }", sixteen.tobytes()))
write_bytes("bad_header_syntax.npy",
            raw_npy("{'descr': '<f4', 'fortran_order': False 'shape': (4, 4), }", sixteen.tobytes()))

# MARK: - .npz

q = np.linspace(-1, 1, 12).reshape(3, 4)
k = (np.arange(12, dtype=np.float32).reshape(3, 4) - 5) / 4
v = np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 7
members = {"q": q, "k": k, "v": v}
expected_members = {name: expect(array) for name, array in members.items()}

def fix_zip_times(name):
    """np.savez stamps members with the current time; pin it so reruns give identical bytes."""
    with open(path(name), "rb") as f:
        data = bytearray(f.read())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        infos = archive.infolist()
        directory = archive.start_dir
    stamp = struct.pack("<HH", 0, 0x21)  # 00:00:00 on 1980-01-01
    for info in infos:
        data[info.header_offset + 10: info.header_offset + 14] = stamp
    position = directory
    for _ in infos:
        assert data[position: position + 4] == b"PK\x01\x02"
        data[position + 12: position + 16] = stamp
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[position + 28: position + 34])
        position += 46 + name_length + extra_length + comment_length
    write_bytes(name, bytes(data))


np.savez(path("savez_stored.npz"), **members)
expected["npz"]["savez_stored.npz"] = expected_members
np.savez_compressed(path("savez_compressed.npz"), **members)
fix_zip_times("savez_stored.npz")
fix_zip_times("savez_compressed.npz")
expected["npz"]["savez_compressed.npz"] = expected_members
np.savez(path("single.npz"), attn=q)
fix_zip_times("single.npz")
expected["npz"]["single.npz"] = {"": expect(q), "attn": expect(q)}

# Softmax rows of random scores: big enough that zlib picks dynamic Huffman blocks.
rng = np.random.default_rng(20240607)
scores = rng.normal(size=(64, 64)).astype(np.float32) * 3
softmax = np.exp(scores - scores.max(axis=1, keepdims=True))
softmax = (softmax / softmax.sum(axis=1, keepdims=True)).astype(np.float32)
causal = np.tril(np.ones((32, 32)))
causal = causal / causal.sum(axis=1, keepdims=True)
np.savez_compressed(path("softmax_64.npz"), attn=softmax, causal=causal)
fix_zip_times("softmax_64.npz")
expected["npz"]["softmax_64.npz"] = {"attn": expect(softmax), "causal": expect(causal)}
with zipfile.ZipFile(path("softmax_64.npz")) as archive:
    for info in archive.infolist():
        if info.filename != "attn.npy":
            continue
        with open(path("softmax_64.npz"), "rb") as f:
            f.seek(info.header_offset + 26)
            name_length, extra_length = struct.unpack("<HH", f.read(4))
            f.seek(info.header_offset + 30 + name_length + extra_length)
            first = f.read(1)[0]
        assert (first >> 1) & 3 == 2, f"{info.filename} does not start with a dynamic Huffman block"


def write_zip(name, entries, comment=b"", zip64_central=False):
    """A zip archive written by hand, for layouts np.savez does not produce.
    entries: (member name, uncompressed bytes, method, compressed bytes or None, crc or None, declared size or None)."""
    out = bytearray()
    central = bytearray()
    for member, data, method, compressed, crc, declared in entries:
        payload = data if compressed is None else compressed
        crc = zlib.crc32(data) if crc is None else crc
        size = len(data) if declared is None else declared
        offset = len(out)
        encoded = member.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc,
                           len(payload), min(size, 0xFFFFFFFF), len(encoded), 0) + encoded + payload
        if zip64_central or size >= 0xFFFFFFFF:
            extra = struct.pack("<HHQQQ", 1, 24, size, len(payload), offset)
            sizes = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        else:
            extra = b""
            sizes = (len(payload), size, offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0x21, crc,
                               sizes[0], sizes[1], len(encoded), len(extra), 0, 0, 0, 0, sizes[2]) + encoded + extra
    directory_offset = len(out)
    out += central
    if zip64_central:
        record_offset = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries),
                           len(central), directory_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                           directory_offset, len(comment))
    write_bytes(name, bytes(out + comment))


def deflate(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return compressor.compress(data) + compressor.flush()


q_bytes, k_bytes, v_bytes = (npy_bytes(members[n]) for n in ("q", "k", "v"))

# Fixed Huffman codes only.
write_zip("deflate_fixed.npz", [("q.npy", q_bytes, 8, deflate(q_bytes, strategy=zlib.Z_FIXED), None, None)])
expected["npz"]["deflate_fixed.npz"] = {"": expect(q), "q": expect(q)}

# One stream mixing a stored block, an empty stored block (a full flush), fixed and dynamic blocks.
causal_bytes = npy_bytes(causal[:16])
parts = [causal_bytes[:700], causal_bytes[700:1400], causal_bytes[1400:]]
stream = bytearray()
for part, (level, strategy) in zip(parts, [(0, zlib.Z_DEFAULT_STRATEGY), (9, zlib.Z_FIXED), (9, zlib.Z_DEFAULT_STRATEGY)]):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    final = part is parts[-1]
    stream += compressor.compress(part) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)
assert zlib.decompress(bytes(stream), -15) == causal_bytes
write_zip("deflate_mixed_blocks.npz", [("causal.npy", causal_bytes, 8, bytes(stream), None, None)])
expected["npz"]["deflate_mixed_blocks.npz"] = {"": expect(causal[:16])}

# ZIP64 everywhere: saturated central directory fields, zip64 extra fields, zip64 end records,
# and an archive comment.
write_zip("zip64_comment.npz",
          [("q.npy", q_bytes, 0, None, None, None), ("k.npy", k_bytes, 8, deflate(k_bytes), None, None)],
          comment=b"written by make_fixtures.py", zip64_central=True)
expected["npz"]["zip64_comment.npz"] = {"q": expect(q), "k": expect(k), "q.npy": expect(q)}

# A member that is not an array, next to one that is.
write_zip("with_text_member.npz", [("q.npy", q_bytes, 0, None, None, None),
                                   ("notes.txt", b"not an array\n", 0, None, None, None)])
expected["npz"]["with_text_member.npz"] = {"q": expect(q)}

# MARK: - .npz: malformed

with open(path("savez_stored.npz"), "rb") as f:
    stored = f.read()
write_bytes("bad_truncated.npz", stored[: len(stored) * 2 // 3])
corrupt = bytearray(q_bytes)
corrupt[-1] ^= 0x01
write_zip("bad_crc.npz", [("q.npy", bytes(corrupt), 0, None, zlib.crc32(q_bytes), None)])
broken = bytearray(deflate(v_bytes))
broken[0] |= 0x06  # block type 3, which RFC 1951 reserves
write_zip("bad_deflate.npz", [("v.npy", v_bytes, 8, bytes(broken), None, None)])
write_zip("bad_method.npz", [("q.npy", q_bytes, 12, q_bytes, None, None)])
write_zip("bad_bomb.npz", [("q.npy", q_bytes, 8, deflate(q_bytes), None, 1 << 40)])
lying = deflate(q_bytes)
write_zip("bad_size.npz", [("q.npy", q_bytes, 8, lying, None, len(q_bytes) - 10)])

# MARK: - JSON

matrix = [[1, -2.5, 3e2, 0.125], [-0.0, 1.5e-3, 42, -7], [0.1, 0.2, 0.3, 1E+1]]
with open(path("matrix.json"), "w") as f:
    f.write('[[1, -2.5, 3e2, 0.125],\n [-0.0, 1.5e-3, 42, -7],\n [0.1, 0.2, 0.3, 1E+1]]\n')
expected["json"]["matrix.json"] = {"": expect(np.array(matrix, dtype=np.float64))}
tensor3 = (np.arange(24).reshape(2, 3, 4) - 11.5) / 3
with open(path("tensor3.json"), "w") as f:
    json.dump(tensor3.tolist(), f)
expected["json"]["tensor3.json"] = {"": expect(tensor3)}
with open(path("vector.json"), "w") as f:
    f.write("[1, 2, 3.5]")
expected["json"]["vector.json"] = {"": expect(np.array([1, 2, 3.5]))}
with open(path("named.json"), "w") as f:
    json.dump({"q": q.tolist(), "k": k.astype(np.float64).tolist()}, f, indent=1)
expected["json"]["named.json"] = {"q": expect(q), "k": expect(k)}
with open(path("single_named.json"), "w") as f:
    json.dump({"attn": q.tolist()}, f)
expected["json"]["single_named.json"] = {"": expect(q), "attn": expect(q)}
with open(path("bad_ragged.json"), "w") as f:
    f.write("[[1, 2, 3, 4],\n [5, 6, 7, 8],\n [9, 10, 11]]\n")
with open(path("bad_bool.json"), "w") as f:
    f.write("[[1, 0], [true, 1]]\n")
with open(path("bad_syntax.json"), "w") as f:
    f.write('[\n  [1, 2],\n  [3, 4}\n]\n')

# MARK: - CSV

with open(path("matrix.csv"), "w") as f:
    f.write("1, 2.5, -3\n 4 ,5e-1,6\n7,8,  9.25\n\n\n")
expected["csv"]["matrix.csv"] = {**expect(np.array([[1, 2.5, -3], [4, 0.5, 6], [7, 8, 9.25]])), "labels": None}
labels = ["<s>", "a,b", 'say "hi"', "Ġthe", "猫", "😀"]
rows = np.arange(12).reshape(2, 6) / 4
with open(path("labeled.csv"), "w", encoding="utf-8", newline="") as f:
    f.write('<s>,"a,b","say ""hi""",Ġthe, 猫 ,"😀"\n')
    for row in rows:
        f.write(",".join(repr(float(x)) for x in row) + "\n")
expected["csv"]["labeled.csv"] = {**expect(rows), "labels": labels}
with open(path("crlf.csv"), "w", newline="") as f:
    f.write('x,y\r\n1,2\r\n"3",4\r\n')
expected["csv"]["crlf.csv"] = {**expect(np.array([[1, 2], [3, 4]])), "labels": ["x", "y"]}
with open(path("bad_field.csv"), "w") as f:
    f.write("a,b,c\n1,2,3\n4,5,6\n7,8,abc\n")
with open(path("bad_ragged.csv"), "w") as f:
    f.write("1,2,3\n4,5\n")

# MARK: - Tokens

tokens = ["<s>", "The", "Ġanimal", "didn't", "\"cross\"", "猫", "😀", "a\\b", "</s>"]
with open(path("tokens.json"), "w") as f:
    # ensure_ascii writes the emoji as a surrogate pair escape, which the parser must join.
    json.dump(tokens, f, ensure_ascii=True)
expected["tokens"]["tokens.json"] = tokens
with open(path("tokens.txt"), "w", encoding="utf-8", newline="") as f:
    f.write("I\nam\n Chetan\n")
expected["tokens"]["tokens.txt"] = ["I", "am", " Chetan"]
with open(path("tokens_crlf.txt"), "w", newline="") as f:
    f.write("I\r\nam\r\nhere")
expected["tokens"]["tokens_crlf.txt"] = ["I", "am", "here"]
with open(path("bad_tokens_number.json"), "w") as f:
    f.write('["a", "b", 3]')
with open(path("bad_tokens_empty_line.txt"), "w") as f:
    f.write("a\nb\n\nc\n")
with open(path("bad_tokens_empty.json"), "w") as f:
    f.write("[ ]\n")

# One line per fixture keeps the file small and still easy to diff.
with open(path("expected.json"), "w", encoding="utf-8") as f:
    f.write("{\n")
    for group_index, group in enumerate(sorted(expected)):
        f.write(f' "{group}": {{\n')
        files = sorted(expected[group])
        for file_index, file in enumerate(files):
            entry = json.dumps(expected[group][file], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            f.write(f'  {json.dumps(file)}: {entry}{"," if file_index < len(files) - 1 else ""}\n')
        f.write(" }" + ("," if group_index < len(expected) - 1 else "") + "\n")
    f.write("}\n")
json.load(open(path("expected.json"), encoding="utf-8"))
