# quantreg::rq(method = "fn") on a CSV whose last column is the target, for
# tests/bench/quantile.sh:  Rscript tests/bench/quantile_fn.R FILE TAU
suppressMessages(library(quantreg))
a <- commandArgs(TRUE)
tau <- as.numeric(a[2])
t0 <- proc.time()
d <- read.csv(a[1], colClasses = "numeric")
t1 <- proc.time()
X <- cbind(1, as.matrix(d[, -ncol(d)]))
y <- d[[ncol(d)]]
b <- rq.fit(X, y, tau = tau, method = "fn")$coefficients
t2 <- proc.time()
r <- y - X %*% b
cat(sprintf("R: read %.1f s, rq fn %.1f s, mean pinball %.17g\n",
    (t1 - t0)[3], (t2 - t1)[3], mean(r * (tau - (r < 0)))))
