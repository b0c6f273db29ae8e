# Interval (max-value) analysis for the 10-limb radix-2^25.5 representation used in x25519.ts.
S = [26, 25] * 5
P2 = [2 * ((1 << 26) - 19)] + [2 * ((1 << s) - 1) for s in S[1:]]   # 2p limb-wise
U32 = 1 << 32
def mul_cols(F, G):
    cols = []
    for k in range(10):
        t = 0
        for i in range(10):
            j = (k - i) % 10
            c = (19 if i + j >= 10 else 1) * (2 if (i % 2 and j % 2) else 1)
            # operand sizes: (2 f_i) and (19 g_j) must fit u32
            a = F[i] * (2 if (i % 2 and j % 2) else 1); b = G[j] * (19 if i + j >= 10 else 1)
            assert a < U32 and b < U32, (k, i, j, a, b)
            t += c * F[i] * G[j]
        cols.append(t)
    return cols
def sq_cols(F):
    cols = []
    for k in range(10):
        t = 0
        for i in range(10):
            for j in range(i, 10):
                if (i + j) % 10 != k: continue
                wrap = i + j >= 10
                a = (1 if i == j else 2) * (2 if (i % 2 and j % 2) else 1)
                b = 19 if wrap else 1
                assert a * F[i] < U32 and b * F[j] < U32
                t += a * b * F[i] * F[j]
        cols.append(t)
    return cols
def carry_parallel(H, passes):
    H = list(H)
    for _ in range(passes):
        c = [h >> s for h, s in zip(H, S)]
        low = [min(h, (1 << s) - 1) for h, s in zip(H, S)]
        H = [low[0] + 19 * c[9]] + [low[k] + c[k - 1] for k in range(1, 10)]
    return H
def carry_serial_ref10(H):
    H = list(H)
    def c(i):
        n = (i + 1) % 10
        cc = H[i] >> S[i]; H[i] = min(H[i], (1 << S[i]) - 1)
        H[n] += cc * (19 if i == 9 else 1)
    for a, b in [(0,4),(1,5),(2,6),(3,7),(4,8)]:
        c(a); c(b)
    c(9); c(0)
    return H
def lg(x): import math; return math.log2(x) if x else 0
