# R peer for tests/bench/run.sh (BENCH_PEERS=1): data.table::fread + lm, the exact
# least-squares answer, as R users would get it (Debian: r-base-core, r-cran-data.table).
#
#     Rscript peers.R FILE
#
# The target is the last column, as in descend. The coefficients go to stdout.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript peers.R FILE")
suppressPackageStartupMessages(library(data.table))
d <- fread(args[1])
target <- names(d)[ncol(d)]
fit <- lm(as.formula(paste0("`", target, "` ~ .")), data = d)
print(coef(fit))
