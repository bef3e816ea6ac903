"""Python peers for tests/bench/run.sh (BENCH_PEERS=1), run with Debian's /usr/bin/python3.

    python3 peers.py read_csv|loadtxt|lr|sgd FILE

read_csv  pandas.read_csv alone (compare with descend's load)
loadtxt   numpy.loadtxt alone
lr        pandas.read_csv + sklearn LinearRegression (the exact least-squares answer)
sgd       pandas.read_csv + StandardScaler + SGDRegressor, 10 epochs (max_iter=10,
          tol=None), as descend z-scores its features and runs -m sgd -e 10
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
    else:
        sys.exit("usage: peers.py read_csv|loadtxt|lr|sgd FILE")


if __name__ == "__main__":
    main()
