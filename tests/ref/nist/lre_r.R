# Log relative error (LRE) that R's lm() achieves on the NIST StRD problems.
#
# Run from the repository root:
#
#     Rscript tests/ref/nist/lre_r.R
#
# Measured with R 4.2.2 Patched (2022-11-10 r83330), Debian package r-base-core
# (R is not a dependency of descend; it was installed only to make these figures).
#
# For each problem: read.csv("data/nist/<name>.csv"), fit lm(y ~ ., data) with its
# defaults (Householder QR with limited column pivoting, tol = 1e-7), and compare the
# coefficients, their standard errors (summary()), sigma and R-squared with the
# certified values in tests/ref/nist/<name>.csv and <name>.stats.csv.
#
# LRE = -log10(|est - cert| / |cert|), or -log10(|est|) when cert = 0 (Wampler1/2
# standard errors), clamped to [0, 15]; 15 also when est == cert exactly. When lm()
# declares the model rank-deficient (an NA coefficient, as it does for Filip) the
# problem's LREs are written as NA.
#
# Replaces the "R" rows of tests/ref/nist/lre.csv, keeping the other tools' rows, and
# prints a detailed table on standard output.

problems <- c("norris", "pontius", "longley", "filip",
              "wampler1", "wampler2", "wampler3", "wampler4", "wampler5")
tool <- "R"
here <- file.path("tests", "ref", "nist")

lre <- function(est, cert) {
  if (is.na(est) || !is.finite(est)) return(NA_real_)
  if (est == cert) return(15)
  v <- if (cert == 0) -log10(abs(est)) else -log10(abs(est - cert) / abs(cert))
  min(15, max(0, v))
}
fmt <- function(v) if (is.na(v)) "NA" else sprintf("%.1f", v)

out <- NULL
cat("problem   rank/p  minLRE(b) minLRE(se) LRE(sd) LRE(R2)  aliased\n")
for (name in problems) {
  d <- read.csv(file.path("data", "nist", paste0(name, ".csv")))
  fit <- lm(y ~ ., data = d)
  s <- summary(fit)
  cert <- read.csv(file.path(here, paste0(name, ".csv")), colClasses = c("character", "numeric", "numeric"))
  st <- read.csv(file.path(here, paste0(name, ".stats.csv")), colClasses = c("character", "numeric"))
  stv <- setNames(st$value, st$stat)
  b <- coef(fit)                       # NA for aliased columns
  se <- rep(NA_real_, length(b)); names(se) <- names(b)
  se[rownames(s$coefficients)] <- s$coefficients[, "Std. Error"]
  lb <- mapply(lre, unname(b), cert$estimate)
  ls <- mapply(lre, unname(se), cert$std_error)
  aliased <- names(b)[is.na(b)]
  minb <- if (anyNA(lb)) NA_real_ else min(lb)
  mins <- if (anyNA(ls)) NA_real_ else min(ls)
  cat(sprintf("%-9s %2d/%-2d  %8s %10s %7s %7s  %s\n", name, fit$rank, length(b),
              fmt(minb), fmt(mins), fmt(lre(s$sigma, stv[["residual_sd"]])),
              fmt(lre(s$r.squared, stv[["r_squared"]])),
              if (length(aliased)) paste(aliased, collapse = " ") else "-"))
  out <- rbind(out, data.frame(problem = name, tool = tool,
                               min_lre_estimate = fmt(minb),
                               min_lre_std_error = fmt(mins)))
}

path <- file.path(here, "lre.csv")
rows <- out
if (file.exists(path)) {
  old <- read.csv(path, colClasses = "character")
  rows <- rbind(old[old$tool != tool, ], out)
}
ord <- order(match(rows$problem, problems), rows$tool != "numpy", rows$tool)
write.csv(rows[ord, ], path, row.names = FALSE, quote = FALSE)
cat(R.version.string, "; wrote ", path, "\n", sep = "")
