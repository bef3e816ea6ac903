#!/usr/bin/python3
# Reference trajectories for tests/unit/test_optim.c, written from the papers'
# update formulas independently of src/optim.c, in exact rational arithmetic
# where the rule allows (square roots in mpmath at 50 digits), then rounded.
# Run: /usr/bin/python3 tests/unit/optim_reference.py
#
# Problem: f(w) = 1/2 Σ a_j (w_j − c_j)², gradient a_j (w_j − c_j), three
# weights (w[0] is the intercept), four steps from w = (0.5, −1, 2).
import mpmath as mp
mp.mp.dps = 50
a = [mp.mpf(1), mp.mpf(4), mp.mpf('0.25')]
c = [mp.mpf(1), mp.mpf(2), mp.mpf(-3)]
w0 = [mp.mpf('0.5'), mp.mpf(-1), mp.mpf(2)]
rate, mu, b1, b2, eps, wd = mp.mpf('0.1'), mp.mpf('0.9'), mp.mpf('0.9'), mp.mpf('0.999'), mp.mpf('1e-8'), mp.mpf('0.01')
STEPS = 4

def grad(w):
    return [a[j] * (w[j] - c[j]) for j in range(3)]

def shrink(v, t):
    return mp.sign(v) * max(abs(v) - t, 0)

def run(rule, l1=0, rho=None):
    w = list(w0); v = [0] * 3; s = [0] * 3; m = [0] * 3
    for t in range(1, STEPS + 1):
        g = grad(w)
        for j in range(3):
            if rule == 'gd':
                step, d = rate, g[j]
            elif rule == 'momentum':
                v[j] = mu * v[j] + g[j]; step, d = rate, v[j]
            elif rule == 'nesterov':
                v[j] = mu * v[j] + g[j]; step, d = rate, g[j] + mu * v[j]
            elif rule == 'adagrad':
                s[j] += g[j] ** 2; step, d = rate / (mp.sqrt(s[j]) + eps), g[j]
            elif rule == 'rmsprop':
                s[j] = rho * s[j] + (1 - rho) * g[j] ** 2; step, d = rate / (mp.sqrt(s[j]) + eps), g[j]
            elif rule in ('adam', 'adamw'):
                if rule == 'adamw' and j > 0:
                    w[j] -= rate * wd * w[j]
                m[j] = b1 * m[j] + (1 - b1) * g[j]
                s[j] = b2 * s[j] + (1 - b2) * g[j] ** 2
                mh, vh = m[j] / (1 - b1 ** t), s[j] / (1 - b2 ** t)
                step, d = rate / (mp.sqrt(vh) + eps), mh
            x = w[j] - step * d
            thr = step * l1 / (1 - mu) if rule in ('momentum', 'nesterov') else step * l1
            w[j] = shrink(x, thr) if (j > 0 and l1) else x
    return w

for name, kw in [('gd', {}), ('gd', {'l1': mp.mpf('0.5')}), ('momentum', {}),
                 ('nesterov', {}), ('momentum', {'l1': mp.mpf('0.05')}), ('adagrad', {}), ('rmsprop', {'rho': mp.mpf('0.9')}),
                 ('adam', {}), ('adamw', {}), ('adam', {'l1': mp.mpf('0.5')})]:
    w = run(name, **kw)
    print('\t{ "%s", %s, { %s } },' % (name, mp.nstr(kw.get('l1', 0), 17) if kw.get('l1') else '0',
          ', '.join(mp.nstr(x, 17, min_fixed=-1, max_fixed=-1) if x != 0 else '0' for x in w)))
