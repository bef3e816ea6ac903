# Reference figures from R's summary(lm()) with an interaction and a raw
# polynomial, for descend's interaction and polynomial terms.
#
# Produced with R 4.2.2 (Debian package r-base-core). R is not a dependency of
# descend; it only makes these files. Run from the repository root:
#
#     Rscript tests/ref/r/formula.R
#
# Fits lm(mpg ~ wt * hp + poly(disp, 3, raw = TRUE), data =
# read.csv("data/mtcars.csv")) (data/mtcars.csv: tests/ref/r/glm.R) and writes
#   tests/ref/r/formula_mtcars.coef.csv  term,r_term,estimate,std_error,
#                                        t_value,p_value: term the column
#                                        named as descend names it (wt*hp,
#                                        disp^2), r_term R's name of the
#                                        column of model.matrix(fit), in R's
#                                        order
#   tests/ref/r/formula_mtcars.fit.csv   stat,value as tests/ref/r/summary.R's
#                                        NAME.fit.csv: n, residual_sd, df,
#                                        r_squared, adj_r_squared, f, f_df1,
#                                        f_df2, f_p
# R orders the columns: the intercept, wt, hp, the three powers of disp, then
# the interaction wt:hp (terms by order, interactions last).
# Numbers are format(x, digits = 17).

f17 <- function(x) vapply(x, function(v) if (is.na(v)) "NA" else
    format(v, digits = 17), "")

d <- read.csv("data/mtcars.csv")
fit <- lm(mpg ~ wt * hp + poly(disp, 3, raw = TRUE), d)
s <- summary(fit)
co <- s$coefficients
r_term <- colnames(model.matrix(fit))
stopifnot(identical(r_term, rownames(co)))
term <- c("(intercept)", "wt", "hp", "disp", "disp^2", "disp^3", "wt*hp")
stopifnot(identical(r_term, c("(Intercept)", "wt", "hp",
    "poly(disp, 3, raw = TRUE)1", "poly(disp, 3, raw = TRUE)2",
    "poly(disp, 3, raw = TRUE)3", "wt:hp")))
write.csv(data.frame(term = term, r_term = sprintf("\"%s\"", r_term),
    estimate = f17(co[, 1]), std_error = f17(co[, 2]), t_value = f17(co[, 3]),
    p_value = f17(co[, 4])), "tests/ref/r/formula_mtcars.coef.csv",
    row.names = FALSE, quote = FALSE)
f <- s$fstatistic
v <- c(n = nobs(fit), residual_sd = s$sigma, df = fit$df.residual,
    r_squared = s$r.squared, adj_r_squared = s$adj.r.squared, f = f[[1]],
    f_df1 = f[[2]], f_df2 = f[[3]],
    f_p = pf(f[[1]], f[[2]], f[[3]], lower.tail = FALSE))
write.csv(data.frame(stat = names(v), value = f17(v)),
    "tests/ref/r/formula_mtcars.fit.csv", row.names = FALSE, quote = FALSE)
