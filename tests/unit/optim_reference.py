#!/usr/bin/python3
# Reference trajectories for tests/unit/test_optim.c, written from the papers' update
# formulas independently of src/optim.c, in 60-digit arithmetic (mpmath), then rounded
# to 17 significant digits. Run: /usr/bin/python3 tests/unit/optim_reference.py
# (Debian: python3-mpmath). Not run by make test: its output is pasted into the test.
#
# Problem: least squares with an intercept and two features on five rows,
#   f(w) = (1/n) sum_i (w0 + w1 x1_i + w2 x2_i - y_i)^2,
#   grad f = (2/n) X1'(X1 w - y),  X1 = [1, x1, x2],
# whose Hessian (2/n) X1'X1 couples the weights. Five steps of every rule from
# w = (0.25, -1, 2); w[0] is the intercept, never penalised. The settings are the
# doubles the C test uses (mpf(float)), so that the two differ by C's rounding only.
import mpmath as mp

mp.mp.dps = 60
F = lambda v: mp.mpf(float(v))
ROWS = [(1, 0.5, 2), (2, -1, 1), (0, 2, 3), (-1, 1, 0), (0.5, 0.25, -1)]  # x1, x2, y
W0 = [F(0.25), F(-1), F(2)]
RATE, MU, B1, B2, EPS, WD = F(0.1), F(0.9), F(0.9), F(0.999), F(1e-8), F(0.01)
STEPS = 5


def grad(w):
    g = [mp.mpf(0)] * 3
    for x1, x2, y in ROWS:
        r = w[0] + w[1] * x1 + w[2] * x2 - y
        for j, xj in enumerate((1, x1, x2)):
            g[j] += 2 * r * xj / len(ROWS)
    return g


def f(w):
    return sum((w[0] + w[1] * x1 + w[2] * x2 - y) ** 2 for x1, x2, y in ROWS) / len(ROWS)


def shrink(v, t):
    return mp.sign(v) * max(abs(v) - t, 0)


def run(rule, l1=mp.mpf(0), b2=B2):
    """The weights after each step: a list of STEPS lists of 3."""
    w = list(W0)
    v = [mp.mpf(0)] * 3
    s = [mp.mpf(0)] * 3
    m = [mp.mpf(0)] * 3
    out = []
    for t in range(1, STEPS + 1):
        g = grad(w)
        for j in range(3):
            thr_scale = 1
            if rule == 'gd':
                step, d = RATE, g[j]
            elif rule == 'momentum':
                v[j] = MU * v[j] + g[j]
                step, d = RATE, v[j]
                thr_scale = 1 / (1 - MU)
            elif rule == 'nesterov':
                v[j] = MU * v[j] + g[j]
                step, d = RATE, g[j] + MU * v[j]
                thr_scale = 1 / (1 - MU)
            elif rule == 'adagrad':
                s[j] += g[j] ** 2
                step, d = RATE / (mp.sqrt(s[j]) + EPS), g[j]
            elif rule == 'rmsprop':
                s[j] = b2 * s[j] + (1 - b2) * g[j] ** 2
                step, d = RATE / (mp.sqrt(s[j]) + EPS), g[j]
            elif rule in ('adam', 'adamw'):
                if rule == 'adamw' and j > 0:
                    w[j] -= RATE * WD * w[j]
                m[j] = B1 * m[j] + (1 - B1) * g[j]
                s[j] = B2 * s[j] + (1 - B2) * g[j] ** 2
                mh, vh = m[j] / (1 - B1 ** t), s[j] / (1 - B2 ** t)
                step, d = RATE / (mp.sqrt(vh) + EPS), mh
            x = w[j] - step * d
            w[j] = shrink(x, step * l1 * thr_scale) if j > 0 and l1 else x
        out.append(list(w))
    return out


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def lbfgs(first_step, iterations, pairs=10):
    """Nocedal & Wright, algorithms 7.4 (two-loop recursion, H0 = gamma I with
    gamma = s'y / y'y of the newest pair) and backtracking (halving) to the Armijo
    condition with c1 = 1e-4; the first iteration tries first_step along -g, later
    ones step 1. The weights and the step after each iteration."""
    w = list(W0)
    fw, g = f(w), grad(w)
    S, Y, out = [], [], []
    for _ in range(iterations):
        q = [-x for x in g]
        alpha = []
        for s_, y_ in reversed(list(zip(S, Y))):
            a = dot(s_, q) / dot(y_, s_)
            alpha.append(a)
            q = [qi - a * yi for qi, yi in zip(q, y_)]
        if S:
            gamma = dot(S[-1], Y[-1]) / dot(Y[-1], Y[-1])
            q = [gamma * qi for qi in q]
        for (s_, y_), a in zip(zip(S, Y), reversed(alpha)):
            b = dot(y_, q) / dot(y_, s_)
            q = [qi + (a - b) * si for qi, si in zip(q, s_)]
        slope = dot(g, q)
        step = mp.mpf(1) if S else first_step
        while True:
            trial = [wi + step * qi for wi, qi in zip(w, q)]
            ft = f(trial)
            if ft <= fw + mp.mpf(1e-4) * step * slope:
                break
            step /= 2
        gt = grad(trial)
        S.append([step * qi for qi in q])
        Y.append([a - b for a, b in zip(gt, g)])
        S, Y = S[-pairs:], Y[-pairs:]
        w, fw, g = trial, ft, gt
        out.append((list(w), step))
    return out


def fmt(x):
    return '0' if x == 0 else mp.nstr(x, 17, min_fixed=-1, max_fixed=-1)


RUNS = [('gd', {}), ('gd', {'l1': F(0.5)}), ('momentum', {}), ('momentum', {'l1': F(0.05)}),
        ('nesterov', {}), ('nesterov', {'l1': F(0.05)}), ('adagrad', {}),
        ('adagrad', {'l1': F(0.5)}), ('rmsprop', {'b2': F(0.9)}),
        ('rmsprop', {'b2': F(0.9), 'l1': F(0.5)}), ('adam', {}), ('adam', {'l1': F(0.5)}),
        ('adamw', {})]
for name, kw in RUNS:
    print('\t{ "%s", %s, {' % (name, fmt(kw.get('l1', 0))))
    for w in run(name, **kw):
        print('\t    { %s },' % ', '.join(fmt(x) for x in w))
    print('\t} },')
print('lbfgs, first step 1:')
for w, step in lbfgs(F(1), 5):
    print('\t{ %s, { %s } },' % (fmt(step), ', '.join(fmt(x) for x in w)))

# Schedules: the rate of each epoch 1..12 from base 0.8, exactly (60 digits), for
# the settings of schedules_match_their_formulas_every_epoch in test_optim.c.
BASE = F(0.8)
SCHED = {
    'invscaling': lambda e: BASE / mp.mpf(e) ** F(0.5),
    'exponential': lambda e: BASE * F(0.95) ** (e - 1),
    'cosine': lambda e: BASE * (1 + mp.cos(mp.pi * (e - 1) / 12)) / 2,
    'step': lambda e: BASE * F(0.95) ** ((e - 1) // 3),
}
for name, rate in SCHED.items():
    print('\t{ "%s", {' % name)
    for e in range(1, 13, 4):
        print('\t    %s,' % ', '.join(fmt(rate(k)) for k in range(e, e + 4)))
    print('\t} },')
