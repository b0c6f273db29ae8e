# Generator for assembly/crypto/x25519.ts (32-bit limbs, 2-lane SIMD ladder).
# Run from the repository root: python3 build/gen/x25519/final_gen.py > assembly/crypto/x25519.ts
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))

S = [26, 25] * 5                                   # limb sizes, radix 2^25.5
MASK = {26: '0x3ffffff', 25: '0x1ffffff'}
SWAP = "4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11"          # swap the lanes of each limb pair
NARROW = "0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27"     # low 32 bits of two i64x2
EXPORT_INTERNALS = '--bench' in sys.argv

out = []
def emit(s=""):
    out.append(s)

# ---------------------------------------------------------------------------------------------
# pieces

def pair_carry(p, ind='  '):
    """Carries the i64x2 column sums {p}h0..{p}h9 (both lanes at once) into 26/25-bit limbs, in the
    order of ref10's fe_mul: two interleaved chains, the carry out of limb 9 re-entering limb 0 times
    19 (2^255 = 19 mod p). Leaves every limb below 2^26 / 2^25 except limbs 1 and 5 (a few bits over)."""
    L = []
    def c(i):
        s = S[i]; n = (i + 1) % 10
        if i == 9:
            L.append(f"{ind}{p}c = i64x2.shr_u({p}h9, 25); {p}h9 = v128.and({p}h9, m25); "
                     f"{p}h0 = i64x2.add({p}h0, i64x2.add(i64x2.add(i64x2.shl({p}c, 4), i64x2.shl({p}c, 1)), {p}c));")
        else:
            L.append(f"{ind}{p}c = i64x2.shr_u({p}h{i}, {s}); {p}h{i} = v128.and({p}h{i}, m{s}); {p}h{n} = i64x2.add({p}h{n}, {p}c);")
    for a, b in [(0, 4), (1, 5), (2, 6), (3, 7), (4, 8)]:
        c(a); c(b)
    c(9); c(0)
    return L

def pair_tail(p, hh, dst):
    L = [f"  let " + ", ".join(f"{p}h{k} = v128.load({hh}, {16 * k})" for k in range(10)) + f", {p}c: v128;"]
    L += pair_carry(p)
    for q in range(5):
        L.append(f"  v128.store({dst}, i8x16.shuffle({p}h{2 * q}, {p}h{2 * q + 1}, {NARROW}), {16 * q});")
    return L

def op_pmul(dst, f, g, tag):
    """2-lane product dst = f * g. Returns (prep, segments, tail)."""
    hh, g19, mix = f"HH{tag}", f"G19{tag}", f"MIX{tag}"
    prep = []
    for q in range(5):
        prep.append(f"  {{ const v = v128.load({g}, {16 * q}); const w = i32x4.mul(v, c19); v128.store({g19}, w, {16 * q}); "
                    f"v128.store({mix}, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), {16 * q}); }}")
    segs = []
    for par in (0, 1):
        rows = [i for i in range(10) if i % 2 == par]
        hdr = []
        for i in rows:
            base = f"v128.load64_splat({f}, {8 * i})"
            if par == 1:   # odd row: the odd limb of each g pair (high half) gets the factor 2
                hdr.append(f"  const {tag}m{i} = i32x4.add({base}, v128.and({base}, hi));")
            else:
                hdr.append(f"  const {tag}m{i} = {base};")
        for p in range(5):
            c0 = (2 * p + par) % 10
            c1 = (c0 + 1) % 10
            L = list(hdr) if p == 0 else []
            L.append("  {")
            for i in rows:
                q = ((c0 - i) % 10) // 2
                lo_wrap = i + 2 * q >= 10
                hi_wrap = i + 2 * q + 1 >= 10
                src = g19 if lo_wrap else (mix if hi_wrap else g)
                L.append(f"    const x{i} = v128.load({src}, {16 * q});")
            for n, i in enumerate(rows):
                lo = f"i64x2.extmul_low_i32x4_u({tag}m{i}, x{i})"
                hi_ = f"i64x2.extmul_high_i32x4_u({tag}m{i}, x{i})"
                if n == 0:
                    if par == 0:
                        L.append(f"    let a = {lo}; let b = {hi_};")
                    else:
                        L.append(f"    let a = i64x2.add(v128.load({hh}, {16 * c0}), {lo}); let b = i64x2.add(v128.load({hh}, {16 * c1}), {hi_});")
                else:
                    L.append(f"    a = i64x2.add(a, {lo}); b = i64x2.add(b, {hi_});")
            L.append(f"    v128.store({hh}, a, {16 * c0}); v128.store({hh}, b, {16 * c1});")
            L.append("  }")
            segs.append(L)
    return prep, segs, pair_tail(tag, hh, dst)

def sq_terms():
    cols = []
    for k in range(10):
        t = []
        for i in range(10):
            for j in range(i, 10):
                if (i + j) % 10 != k:
                    continue
                m = (1 if i == j else 2) * (2 if (i % 2 and j % 2) else 1)
                t.append((i, j, m, 19 if i + j >= 10 else 1))
        cols.append(t)
    return cols

def op_psq(dst, f, tag):
    hh, g19, f2, f4 = f"HH{tag}", f"G19{tag}", f"F2{tag}", f"F4{tag}"
    prep = []
    for q in range(5):
        parts = [f"const v = v128.load({f}, {16 * q});", f"v128.store({f2}, i32x4.shl(v, 1), {16 * q});"]
        if q <= 3:
            parts.append(f"v128.store({f4}, i32x4.shl(v, 2), {16 * q});")
        if q >= 2:
            parts.append(f"v128.store({g19}, i32x4.mul(v, c19), {16 * q});")
        prep.append("  { " + " ".join(parts) + " }")
    arr = {1: f, 2: f2, 4: f4}
    segs = []
    for k, terms in enumerate(sq_terms()):
        L = ["  {"]
        for n, (i, j, a, b) in enumerate(terms):
            L.append(f"    const p{n} = v128.load64_zero({arr[a]}, {8 * i}), q{n} = v128.load64_zero({g19 if b == 19 else f}, {8 * j});")
        for n in range(len(terms)):
            e = f"i64x2.extmul_low_i32x4_u(p{n}, q{n})"
            L.append(f"    let a = {e};" if n == 0 else f"    a = i64x2.add(a, {e});")
        L.append(f"    v128.store({hh}, a, {16 * k});")
        L.append("  }")
        segs.append(L)
    return prep, segs, pair_tail(tag, hh, dst)

def op_psq2(dst, f, tag):
    """2-lane square with 16-byte loads of f's limb pairs (like op_pmul) over the upper triangle."""
    hh, g19, mix = f"HH{tag}", f"G19{tag}", f"MIX{tag}"
    prep = []
    for q in range(2, 5):
        line = f"  {{ const v = v128.load({f}, {16 * q}); const w = i32x4.mul(v, c19); v128.store({g19}, w, {16 * q});"
        if q >= 3:
            line += f" v128.store({mix}, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), {16 * q});"
        prep.append(line + " }")
    written = set()
    segs = []
    for par in (0, 1):
        rows = [i for i in range(10) if i % 2 == par]
        hdr = []
        for i in rows:
            base = f"v128.load64_splat({f}, {8 * i})"
            if par == 0:
                hdr.append(f"  const {tag}m{i} = i32x4.shl({base}, 1);")                         # [2f | 2f]
            else:
                hdr.append(f"  const {tag}m{i} = i32x4.shl(i32x4.add({base}, v128.and({base}, hi)), 1);")  # [2f | 4f]
        first = True
        for pp in range(5):
            c0 = (2 * pp + par) % 10
            c1 = (c0 + 1) % 10
            items = []
            for i in rows:
                q = ((c0 - i) % 10) // 2
                qmin = i // 2
                if q < qmin:
                    continue
                diag = (q == qmin)
                items.append((i, q, diag))
            if not items:
                continue
            L = list(hdr) if first else []
            first = False
            L.append("  {")
            terms_lo, terms_hi = [], []
            for (i, q, diag) in items:
                lo_wrap = i + 2 * q >= 10
                hi_wrap = i + 2 * q + 1 >= 10
                src = g19 if lo_wrap else (mix if hi_wrap else f)
                if par == 1 and diag:
                    src = g19 if hi_wrap else f      # only the high half (j = i) is used
                L.append(f"    const x{i} = v128.load({src}, {16 * q});")
                if diag:
                    base = f"v128.load64_splat({f}, {8 * i})"
                    if par == 0:
                        L.append(f"    const d{i} = i32x4.add({base}, v128.and({base}, hi));")   # [f | 2f]
                        terms_lo.append(f"i64x2.extmul_low_i32x4_u(d{i}, x{i})")
                        terms_hi.append(f"i64x2.extmul_high_i32x4_u(d{i}, x{i})")
                    else:
                        L.append(f"    const d{i} = i32x4.shl({base}, 1);")                     # [2f | 2f], high half only
                        terms_hi.append(f"i64x2.extmul_high_i32x4_u(d{i}, x{i})")
                else:
                    terms_lo.append(f"i64x2.extmul_low_i32x4_u({tag}m{i}, x{i})")
                    terms_hi.append(f"i64x2.extmul_high_i32x4_u({tag}m{i}, x{i})")
            for name, col, terms in (("a", c0, terms_lo), ("b", c1, terms_hi)):
                if not terms:
                    continue
                if col in written:
                    L.append(f"    let {name} = i64x2.add(v128.load({hh}, {16 * col}), {terms[0]});")
                else:
                    L.append(f"    let {name} = {terms[0]};")
                for t in terms[1:]:
                    L.append(f"    {name} = i64x2.add({name}, {t});")
                L.append(f"    v128.store({hh}, {name}, {16 * col});")
                written.add(col)
            L.append("  }")
            segs.append(L)
    assert written == set(range(10))
    return prep, segs, pair_tail(tag, hh, dst)

def op_x1_scalar(tag='s'):
    """z3 = x1 * T with 64-bit scalar products; T = lane 1 of WW. Writes QQ = [X3 | z3]."""
    segs = []
    for half in (range(0, 5), range(5, 10)):
        hdr = [f"  const t{i} = <u64>load<u32>(WW, {8 * i + 4});" for i in half]
        for k in range(10):
            L = list(hdr) if k == 0 else []
            terms = [f"t{i} * <u64>load<u32>({'XD' if i % 2 else 'XS'}, {4 * (10 + k - i)})" for i in half]
            if half.start == 0:
                L.append(f"  store<u64>(SP, " + " + ".join(terms) + f", {8 * k});")
            else:
                L.append(f"  store<u64>(SP, load<u64>(SP, {8 * k}) + " + " + ".join(terms) + f", {8 * k});")
            segs.append(L)
    tail = ["  let " + ", ".join(f"{tag}h{k} = load<u64>(SP, {8 * k})" for k in range(10)) + f", {tag}c: u64;"]
    def c(i):
        s = S[i]; n = (i + 1) % 10
        if i == 9:
            tail.append(f"  {tag}c = {tag}h9 >> 25; {tag}h9 &= 0x1ffffff; {tag}h0 += {tag}c * 19;")
        else:
            tail.append(f"  {tag}c = {tag}h{i} >> {s}; {tag}h{i} &= {MASK[s]}; {tag}h{n} += {tag}c;")
    for a, b in [(0, 4), (1, 5), (2, 6), (3, 7), (4, 8)]:
        c(a); c(b)
    c(9); c(0)
    for q in range(5):
        tail.append(f"  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, {16 * q}), 1, <i32>{tag}h{2 * q}), 3, <i32>{tag}h{2 * q + 1}), {16 * q});")
    return [], segs, tail


def gen_mulx1_4way():
    """QQ = [X3 | x1 T] for WW = [X3 | T] via 4-column SIMD windows of x1 (table XT)."""
    L = []
    for half in (range(0, 5), range(5, 10)):
        first = half.start == 0
        for i in half:
            L.append(f"  const m{i} = v128.load32_splat(WW, {8 * i + 4});")
        for cb in range(3):
            wide = cb < 2
            L.append("  {")
            for i in half:
                ld = "v128.load" if wide else "v128.load64_zero"
                L.append(f"    const x{i} = {ld}(XT, {48 * i + 16 * cb});")
            for n, i in enumerate(half):
                lo = f"i64x2.extmul_low_i32x4_u(m{i}, x{i})"
                hi_ = f"i64x2.extmul_high_i32x4_u(m{i}, x{i})"
                if n == 0:
                    if first:
                        L.append(f"    let a0 = {lo};" + (f" let a1 = {hi_};" if wide else ""))
                    else:
                        L.append(f"    let a0 = i64x2.add(v128.load(HHX, {32 * cb}), {lo});" + (f" let a1 = i64x2.add(v128.load(HHX, {32 * cb + 16}), {hi_});" if wide else ""))
                else:
                    L.append(f"    a0 = i64x2.add(a0, {lo});" + (f" a1 = i64x2.add(a1, {hi_});" if wide else ""))
            L.append(f"    v128.store(HHX, a0, {32 * cb});" + (f" v128.store(HHX, a1, {32 * cb + 16});" if wide else ""))
            L.append("  }")
    L.append("  let " + ", ".join(f"h{k} = load<u64>(HHX, {8 * k})" for k in range(10)) + ", c: u64;")
    def c(i):
        s_ = S[i]; n = (i + 1) % 10
        if i == 9: L.append(f"  c = h9 >> 25; h9 &= 0x1ffffff; h0 += c * 19;")
        else: L.append(f"  c = h{i} >> {s_}; h{i} &= {MASK[s_]}; h{n} += c;")
    for a, b in [(0, 4), (1, 5), (2, 6), (3, 7), (4, 8)]:
        c(a); c(b)
    c(9); c(0)
    for q in range(5):
        L.append(f"  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, {16 * q}), 1, <i32>h{2 * q}), 3, <i32>h{2 * q + 1}), {16 * q});")
    return L

def interleave(a, b):
    if len(a) < len(b):
        a, b = b, a
    res, j = [], 0
    for i, s in enumerate(a):
        res += s
        while j < len(b) and (j + 1) * len(a) <= (i + 1) * len(b):
            res += b[j]; j += 1
    while j < len(b):
        res += b[j]; j += 1
    return res

def interleave_lines(a, b):
    res = []
    for i in range(max(len(a), len(b))):
        if i < len(a): res.append(a[i])
        if i < len(b): res.append(b[i])
    return res

CONSTS = "  const c19 = v128.load(K19), m26 = v128.load(KM26), m25 = v128.load(KM25), hi = v128.load(KHI);"

INLINE = {'pmul', 'psq', 'stepStart', 'stepSum', 'stepA24', 'stepEnd', 'stepEndBase', 'fsq'}
def function(name, args, doc, body, export=False):
    emit("/**")
    for d in doc:
        emit(f" * {d}" if d else " *")
    emit(" */")
    inl = "@inline " if (name in INLINE and not EXPORT_INTERNALS) else ""
    emit(f"{inl}{'export ' if export else ''}function {name}({args}): void {{")
    for l in body:
        emit(l)
    emit("}")
    emit()

# ---------------------------------------------------------------------------------------------
# the file

HEADER = open(os.path.join(HERE, 'header.ts.in')).read()
emit(HEADER.rstrip("\n"))
emit()

# pair product
p, s, t = op_pmul('h', 'f', 'g', 'P')
body = [CONSTS] + p + [l for seg in s for l in seg] + t
function("pmul", "h: usize, f: usize, g: usize", [
    "h = f * g in both lanes (pair elements; h may alias f or g). 100 products per lane as 50",
    "i64x2.extmul pairs: the 16-byte load of g's limb pairs (2q, 2q + 1) (or of 19 g, or of the mixed",
    "MIX row where one product wraps and the other does not) meets f_i, splat into both halves, and",
    "yields the products for columns i + 2q and i + 2q + 1. Even rows and odd rows fill differently",
    "aligned column pairs; odd rows double the odd limbs of g (the odd-odd products of radix 2^25.5).",
    "Column sums stay below 2^63 for loose inputs (see the bounds above).",
], body, EXPORT_INTERNALS)

p, s, t = (op_psq2 if '--psq1' not in sys.argv else op_psq)('h', 'f', 'S')
body = [CONSTS] + p + [l for seg in s for l in seg] + t
function("psq", "h: usize, f: usize", [
    "h = f^2 in both lanes (h may alias f): the 55 products f_i f_j (i <= j) per lane, laid out as",
    "in pmul (16-byte loads of f's limb pairs (2q, 2q + 1), or of 19 f, or of MIX, against f_i splat",
    "into both halves) but only over the upper triangle j >= i. The multiplier carries the factors:",
    "2 f_i off the diagonal (4 f_i on the odd limbs of odd rows), f_i / 2 f_i on the diagonal item.",
], body, EXPORT_INTERNALS)

# stepStart
body = ["  const n1 = v128.load(KN1), n0 = v128.load(KN0);"]
for q in range(5):
    body.append(f"  {{")
    body.append(f"    const x = v128.load(PP, {16 * q}), y = v128.load(QQ, {16 * q});")
    body.append(f"    const t = v128.and(v128.xor(x, y), m);")
    body.append(f"    const p = v128.xor(x, t), r = v128.xor(y, t);")
    body.append(f"    const ps = i8x16.shuffle(p, p, {SWAP}), rs = i8x16.shuffle(r, r, {SWAP});")
    body.append(f"    v128.store(SAB, i32x4.add(i32x4.add(ps, i32x4.sub(v128.xor(p, n1), n1)), v128.load(BIAS1, {16 * q})), {16 * q});")
    body.append(f"    v128.store(SDC, i32x4.add(i32x4.add(r, i32x4.sub(v128.xor(rs, n0), n0)), v128.load(BIAS0, {16 * q})), {16 * q});")
    body.append(f"  }}")
function("stepStart", "m: v128", [
    "Start of a ladder step: swaps [x2 | z2] (PP) with [x3 | z3] (QQ) when m is all ones (m is all",
    "ones or all zeros; the swapped values are only used here, so PP and QQ are not written back) and",
    "forms SAB = [A | B] = [x2 + z2 | x2 - z2] and SDC = [D | C] = [x3 - z3 | x3 + z3]. A difference",
    "a - b is computed as a + 2p - b limb by limb, which stays non-negative because b is carried.",
], body)

# sumDiff UU -> WI
body = ["  const n1 = v128.load(KN1);"]
for q in range(5):
    body.append(f"  {{ const v = v128.load(UU, {16 * q}); const s = i8x16.shuffle(v, v, {SWAP}); "
                f"v128.store(WI, i32x4.add(i32x4.add(s, i32x4.sub(v128.xor(v, n1), n1)), v128.load(BIAS1, {16 * q})), {16 * q}); }}")
function("stepSum", "", ["WI = [DA + CB | DA - CB] from UU = [DA | CB]."], body)

# stepA24
body = ["  const n1 = v128.load(KN1), k = v128.load(KA24), m26 = v128.load(KM26), m25 = v128.load(KM25);"]
for q in range(5):
    body.append(f"  const v{q} = v128.load(VV, {16 * q}), s{q} = i8x16.shuffle(v{q}, v{q}, {SWAP});")
    body.append(f"  const e{q} = i32x4.add(i32x4.add(i32x4.sub(v128.xor(v{q}, n1), n1), v128.and(s{q}, n1)), v128.load(BIAS1, {16 * q}));")
    body.append(f"  v128.store(MA, e{q}, {16 * q});")
for q in range(5):
    body.append(f"  const h{2 * q} = i64x2.extmul_low_i32x4_u(e{q}, k), h{2 * q + 1} = i64x2.extmul_high_i32x4_u(e{q}, k);")
body.append("  " + " ".join(f"const c{k} = i64x2.shr_u(h{k}, {S[k]});" for k in range(10)))
body.append("  const l0 = i64x2.add(v128.and(h0, m26), i64x2.add(i64x2.add(i64x2.shl(c9, 4), i64x2.shl(c9, 1)), c9));")
for k in range(1, 10):
    body.append(f"  const l{k} = i64x2.add(v128.and(h{k}, m{S[k]}), c{k - 1});")
for q in range(5):
    body.append(f"  v128.store(MB, i32x4.add(s{q}, i8x16.shuffle(l{2 * q}, l{2 * q + 1}, {NARROW})), {16 * q});")
function("stepA24", "", [
    "From VV = [AA | BB]: MA = [AA | E] with E = AA - BB (+ 2p) and MB = [BB | AA + a24 E],",
    "a24 = 121665. a24 E gets one parallel carry pass: its limbs are below 2^44.5, so afterwards",
    "limb k is below 2^s_k + 2^19 (limb 0: 2^26 + 2^23) and AA + a24 E is still a loose operand.",
], body)

# stepEnd (fused)
p1, s1, t1 = op_pmul('PP', 'MA', 'MB', 'E')
p2, s2, t2 = op_x1_scalar('s')
body = [CONSTS] + p1 + p2 + interleave(s1, s2) + interleave_lines(t1, t2)
if '--x1simd' in sys.argv:
    function("mulX1", "", ["QQ = [X3 | x1 T] (4-way SIMD)."], gen_mulx1_4way())
function("stepEnd", "", [
    "End of a ladder step: PP = [x2 | z2] = MA * MB (2-lane SIMD, as pmul) and, independently,",
    "QQ = [x3 | z3] = [X3 | x1 T] for WW = [X3 | T], with x1 T in 64-bit scalar products (x1 enters",
    "through the tables XS / XD built by buildX1). The two codes are interleaved piece by piece so",
    "that the vector and the integer units of the CPU work at the same time.",
], body, EXPORT_INTERNALS)

# pmulSmall (base)
body = ["  const k = v128.load(K19B), m26 = v128.load(KM26), m25 = v128.load(KM25);"]
body.append("  let " + ", ".join(f"ah{k} = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, {8 * k}), k)" for k in range(10)) + ", ac: v128;")
body += pair_carry('a')
for q in range(5):
    body.append(f"  v128.store(QQ, i8x16.shuffle(ah{2 * q}, ah{2 * q + 1}, {NARROW}), {16 * q});")
function("stepEndBase", "", [
    "QQ = [x3 | z3] = [X3 | 9 T] for WW = [X3 | T]: the x1 product of the ladder when u = 9 (keygen).",
], body)

emit(open(os.path.join(HERE, 'footer.ts.in')).read().rstrip("\n"))

# scalar field code for the inversion
def load_f(name, ptr):
    return [f"  const {name}{i} = <u64>load<u32>({ptr}, {4 * i});" for i in range(10)]

def carry_store_serial(dst):
    L = ["  let c: u64;"]
    def c(i):
        s = S[i]; n = (i + 1) % 10
        if i == 9:
            L.append(f"  c = h9 >> 25; h9 &= 0x1ffffff; h0 += c * 19;")
        else:
            L.append(f"  c = h{i} >> {s}; h{i} &= {MASK[s]}; h{n} += c;")
    for a, b in [(0, 4), (1, 5), (2, 6), (3, 7), (4, 8)]:
        c(a); c(b)
    c(9); c(0)
    for i in range(10):
        L.append(f"  store<u32>({dst}, <u32>h{i}, {4 * i});")
    return L

body = load_f('f', 'f') + load_f('g', 'g')
for i in (1, 3, 5, 7, 9):
    body.append(f"  const f{i}_2 = f{i} << 1;")
for j in range(1, 10):
    body.append(f"  const g{j}_19 = g{j} * 19;")
for k in range(10):
    terms = []
    for i in range(10):
        j = (k - i) % 10
        a = f"f{i}_2" if (i % 2 and j % 2) else f"f{i}"
        b = f"g{j}_19" if i + j >= 10 else f"g{j}"
        terms.append(f"{a} * {b}")
    body.append(f"  let h{k} = " + " + ".join(terms) + ";")
body += carry_store_serial('h')
function("fmul", "h: usize, f: usize, g: usize", [
    "h = f * g for single elements (10 u32 limbs; h may alias f or g): 64-bit products, the ref10",
    "column formulas (19 g_j for the wrapped products, 2 f_i for odd i and odd j), serial carry.",
], body, EXPORT_INTERNALS)

body = load_f('f', 'f')
need = set()
cols_expr = []
for k, terms in enumerate(sq_terms()):
    ts = []
    for (i, j, a, b) in terms:
        mi = a
        mj = b
        A = f"f{i}" if mi == 1 else f"f{i}_{mi}"
        B = f"f{j}" if mj == 1 else f"f{j}_{mj}"
        if mi != 1: need.add((i, mi))
        if mj != 1: need.add((j, mj))
        ts.append(f"{A} * {B}")
    cols_expr.append(ts)
for (i, m) in sorted(need):
    if m in (2, 4):
        body.append(f"  const f{i}_{m} = f{i} << {m.bit_length() - 1};")
    else:
        body.append(f"  const f{i}_{m} = f{i} * {m};")
for k, ts in enumerate(cols_expr):
    body.append(f"  let h{k} = " + " + ".join(ts) + ";")
body += carry_store_serial('h')
function("fsq", "h: usize, f: usize", [
    "h = f^2 for single elements (h may alias f): the 55 products f_i f_j (i <= j), serial carry.",
], body, EXPORT_INTERNALS)

emit(open(os.path.join(HERE, 'tail.ts.in')).read().rstrip("\n"))
print("\n".join(out))
