# R peer for tests/bench/quantile.sh: data.table::fread, then quantreg::rq with
# method = "fn" (Frisch-Newton interior point), the usual exact quantile
# regression in R (Debian: r-base-core, r-cran-data.table, r-cran-quantreg).
#
#     Rscript quantile.R FILE TAU
#
# The target is the last column, as in descend. Prints the objective, the mean
# check loss of the residuals r: mean(r * (TAU - (r < 0))), and the coefficients.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript quantile.R FILE TAU")
suppressPackageStartupMessages({
	library(data.table)
	library(quantreg)
})
tau <- as.numeric(args[2])
d <- fread(args[1])
target <- names(d)[ncol(d)]
fit <- rq(as.formula(paste0("`", target, "` ~ .")), tau = tau, data = d,
    method = "fn")
r <- resid(fit)
cat(sprintf("objective %.17g\n", mean(r * (tau - (r < 0)))))
print(coef(fit))
