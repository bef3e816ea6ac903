"""Python peers for tests/bench/run.sh (BENCH_PEERS=1), run with Debian's /usr/bin/python3.

    python3 peers.py read_csv|loadtxt|lr|sgd|minibatch|mae FILE
    python3 peers.py quantile FILE TAU

read_csv  pandas.read_csv alone (compare with descend's load)
loadtxt   numpy.loadtxt alone
lr        pandas.read_csv + sklearn LinearRegression (the exact least-squares answer)
sgd       pandas.read_csv + StandardScaler + SGDRegressor, 10 epochs (max_iter=10,
          tol=None), as descend z-scores its features and runs -m sgd -e 10
minibatch the same SGDRegressor fed batches of 32 rows by partial_fit, 10 epochs, as
          descend -m minibatch -e 10 (scikit-learn has no mini-batch mode of its own)
mae       the same pipeline with loss="epsilon_insensitive", epsilon=0 (the absolute
          error), 100 epochs: scikit-learn's only way to minimise MAE, for descend
          -l mae -e 100 (descend takes batch steps; a peer with batch MAE steps is
          not there)
quantile  pandas.read_csv + QuantileRegressor(quantile=TAU, alpha=0,
          solver="highs"): the exact quantile regression by linear programming
          (scipy's HiGHS), for tests/bench/quantile.sh; prints the objective, the
          mean check loss of the residuals, before the weights
The target is the last column, as in descend. The weights go to stdout (discarded).
"""
import sys
import warnings


def xy(path):
    import pandas
    df = pandas.read_csv(path)
    a = df.to_numpy(dtype="float64")
    return a[:, :-1], a[:, -1]


def main():
    mode, path = sys.argv[1], sys.argv[2]
    warnings.simplefilter("ignore")  # ConvergenceWarning for max_iter=10, tol=None
    if mode == "read_csv":
        import pandas
        print(pandas.read_csv(path).shape)
    elif mode == "loadtxt":
        import numpy
        print(numpy.loadtxt(path, delimiter=",", skiprows=1).shape)
    elif mode == "lr":
        from sklearn.linear_model import LinearRegression
        x, y = xy(path)
        m = LinearRegression().fit(x, y)
        print(m.intercept_, m.coef_)
    elif mode == "sgd":
        from sklearn.linear_model import SGDRegressor
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        x, y = xy(path)
        m = make_pipeline(StandardScaler(),
                          SGDRegressor(max_iter=10, tol=None, random_state=1))
        m.fit(x, y)
        print(m[-1].intercept_, m[-1].coef_)
    elif mode == "minibatch":
        import numpy
        from sklearn.linear_model import SGDRegressor
        from sklearn.preprocessing import StandardScaler
        x, y = xy(path)
        x = StandardScaler().fit_transform(x)
        m = SGDRegressor(random_state=1)
        rng = numpy.random.default_rng(1)
        for _ in range(10):
            order = rng.permutation(len(y))
            for start in range(0, len(y), 32):
                rows = order[start:start + 32]
                m.partial_fit(x[rows], y[rows])
        print(m.intercept_, m.coef_)
    elif mode == "mae":
        from sklearn.linear_model import SGDRegressor
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        x, y = xy(path)
        m = make_pipeline(StandardScaler(),
                          SGDRegressor(loss="epsilon_insensitive", epsilon=0,
                                       max_iter=100, tol=None, random_state=1))
        m.fit(x, y)
        print(m[-1].intercept_, m[-1].coef_)
    elif mode == "quantile" and len(sys.argv) == 4:
        import numpy
        from sklearn.linear_model import QuantileRegressor
        tau = float(sys.argv[3])
        x, y = xy(path)
        m = QuantileRegressor(quantile=tau, alpha=0, solver="highs").fit(x, y)
        r = y - m.predict(x)
        print("objective %.17g" % numpy.mean(r * (tau - (r < 0))))
        print(m.intercept_, m.coef_)
    else:
        sys.exit("usage: peers.py read_csv|loadtxt|lr|sgd|minibatch|mae FILE\n"
                 "       peers.py quantile FILE TAU")


if __name__ == "__main__":
    main()
