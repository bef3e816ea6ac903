# Reference figures from R's summary(lm()) for descend's derived terms beyond
# tests/ref/r/formula.R's: a product with a factor (one column per level, as
# model.matrix makes them) and a three-way crossing.
#
# Produced with R 4.2.2 (Debian package r-base-core). R is not a dependency of
# descend; it only makes these files. Run from the repository root:
#
#     Rscript tests/ref/r/interact.R
#
# On data/mtcars.csv (tests/ref/r/glm.R) it fits
#   cyl    lm(mpg ~ wt * factor(cyl) + hp): descend fit -x wt,cyl,hp
#          --categorical cyl --cross 'wt*cyl'
#   cross3 lm(mpg ~ wt * hp * qsec): descend fit -x wt,hp,qsec
#          --cross 'wt*hp*qsec'
# and writes for each NAME
#   tests/ref/r/interact_NAME.coef.csv  term,r_term,estimate,std_error,
#                                       t_value,p_value: term the column as
#                                       descend names it (wt*cyl=6), r_term
#                                       R's name of the model.matrix column
#                                       (quoted), in R's order
#   tests/ref/r/interact_NAME.fit.csv   stat,value as tests/ref/r/summary.R's
#                                       NAME.fit.csv
# Numbers are format(x, digits = 17).

f17 <- function(x) vapply(x, function(v) if (is.na(v)) "NA" else
    format(v, digits = 17), "")

d <- read.csv("data/mtcars.csv")

write_fit <- function(name, fit, term) {
    s <- summary(fit)
    co <- s$coefficients
    r_term <- colnames(model.matrix(fit))
    stopifnot(identical(r_term, rownames(co)), length(term) == length(r_term))
    write.csv(data.frame(term = term, r_term = sprintf("\"%s\"", r_term),
        estimate = f17(co[, 1]), std_error = f17(co[, 2]),
        t_value = f17(co[, 3]), p_value = f17(co[, 4])),
        sprintf("tests/ref/r/interact_%s.coef.csv", name),
        row.names = FALSE, quote = FALSE)
    f <- s$fstatistic
    v <- c(n = nobs(fit), residual_sd = s$sigma, df = fit$df.residual,
        r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
        f = f[[1]], f_df1 = f[[2]], f_df2 = f[[3]],
        f_p = pf(f[[1]], f[[2]], f[[3]], lower.tail = FALSE))
    write.csv(data.frame(stat = names(v), value = f17(v)),
        sprintf("tests/ref/r/interact_%s.fit.csv", name),
        row.names = FALSE, quote = FALSE)
}

fit <- lm(mpg ~ wt * factor(cyl) + hp, d)
stopifnot(identical(colnames(model.matrix(fit)), c("(Intercept)", "wt",
    "factor(cyl)6", "factor(cyl)8", "hp", "wt:factor(cyl)6",
    "wt:factor(cyl)8")))
write_fit("cyl", fit, c("(intercept)", "wt", "cyl=6", "cyl=8", "hp",
    "wt*cyl=6", "wt*cyl=8"))

fit <- lm(mpg ~ wt * hp * qsec, d)
stopifnot(identical(colnames(model.matrix(fit)), c("(Intercept)", "wt", "hp",
    "qsec", "wt:hp", "wt:qsec", "hp:qsec", "wt:hp:qsec")))
write_fit("cross3", fit, c("(intercept)", "wt", "hp", "qsec", "wt*hp",
    "wt*qsec", "hp*qsec", "wt*hp*qsec"))
