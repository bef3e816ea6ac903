# Reference figures from R's glm(family = binomial) for descend's logistic --stats.
#
# Produced with R 4.2.2 (Debian package r-base-core) and MASS (r-cran-mass). R is
# not a dependency of descend; it only makes these files. Run from the repository
# root:
#
#     Rscript tests/ref/r/glm.R
#
# Writes the data it fits into data/ (write.csv, row.names = FALSE):
#   data/mtcars.csv        datasets::mtcars, its 11 numeric columns (row names,
#                          the car models, left out)
#   data/biopsy.csv        MASS::biopsy without its ID column: V1..V9, class
#                          (benign/malignant); 16 rows have V6 missing (empty)
#   data/iris_vv.csv       datasets::iris, the 100 rows of versicolor and
#                          virginica, Species as text
# and for each fit NAME, every fit glm(TARGET ~ ..., family = binomial,
# control = glm.control(epsilon = 1e-15, maxit = 100)):
#   tests/ref/r/glm_NAME.coef.csv  term,estimate,std_error,z_value,p_value
#   tests/ref/r/glm_NAME.fit.csv   stat,value: n, null_deviance, null_df,
#                                  deviance, df, aic, iterations, converged
#   tests/ref/r/glm_NAME.confint.csv term,ci_low,ci_high: the Wald interval
#                                  confint.default(fit), 95 %
#   tests/ref/r/glm_NAME.mle.csv   term,std_error: sqrt(diag((X'WX)^-1)) with W
#                                  from fitted(fit), the information at the
#                                  estimate itself. summary(fit) takes its
#                                  standard errors from the QR of the last
#                                  iteration, whose weights are those of the
#                                  iterate before; they differ from these by
#                                  5e-8 (mtcars_am) to 6e-14, relative
# The fits:
#   mtcars_vs      vs ~ mpg + disp
#   mtcars_am      am ~ hp + wt
#   biopsy         class ~ V1 + ... + V9 (na.omit: 683 rows)
#   iris_vv        Species ~ . (virginica the success, the second level)
# and the separated cases, whose warnings go to tests/ref/r/glm_separation.txt:
#   complete       y = c(0,0,0,0,1,1,1,1) ~ x = 1:8
#   quasi          y = c(0,0,0,0,1,1,1,1) ~ x = c(1,2,3,4,4,5,6,7)
#   quasi2         y ~ x1 + x2 on 8 rows that x1 + x2 = 0 separates, (0, 0) in
#                  both classes, neither column alone
#   mtcars_am_all  am ~ . on mtcars
#   far            y ~ x, x = c(1:8, 1000), y = c(0,0,1,0,1,0,1,1,1): not
#                  separated (the classes overlap), but the far row's fitted
#                  probability is numerically 1, so R warns all the same
#   iris_setosa    (Species == "setosa") ~ . on iris
# Numbers are format(x, digits = 17).

suppressPackageStartupMessages(library(MASS))
ctl <- glm.control(epsilon = 1e-15, maxit = 100)
f17 <- function(x) vapply(x, function(v) if (is.na(v)) "NA" else
    format(v, digits = 17), "")
fix_term <- function(t) ifelse(t == "(Intercept)", "(intercept)", t)

write_data <- function(d, path) {
	write.csv(d, path, row.names = FALSE)
}

mt <- mtcars
write_data(mt, "data/mtcars.csv")
bx <- biopsy[, -1]
write_data(bx, "data/biopsy.csv")
vv <- iris[iris$Species != "setosa", ]
vv$Species <- as.character(vv$Species)
write_data(vv, "data/iris_vv.csv")

refs <- function(name, fit) {
	s <- summary(fit)$coefficients
	co <- data.frame(term = fix_term(rownames(s)), estimate = f17(s[, 1]),
	    std_error = f17(s[, 2]), z_value = f17(s[, 3]), p_value = f17(s[, 4]))
	write.csv(co, sprintf("tests/ref/r/glm_%s.coef.csv", name),
	    row.names = FALSE, quote = FALSE)
	ci <- confint.default(fit)
	ci <- data.frame(term = fix_term(rownames(ci)), ci_low = f17(ci[, 1]),
	    ci_high = f17(ci[, 2]))
	write.csv(ci, sprintf("tests/ref/r/glm_%s.confint.csv", name),
	    row.names = FALSE, quote = FALSE)
	X <- model.matrix(fit)
	mu <- fitted(fit)
	se <- sqrt(diag(solve(crossprod(X, X * (mu * (1 - mu))))))
	write.csv(data.frame(term = fix_term(names(se)), std_error = f17(se)),
	    sprintf("tests/ref/r/glm_%s.mle.csv", name), row.names = FALSE,
	    quote = FALSE)
	st <- data.frame(stat = c("n", "null_deviance", "null_df", "deviance",
	    "df", "aic", "iterations", "converged"),
	    value = c(f17(nobs(fit)), f17(fit$null.deviance), f17(fit$df.null),
	    f17(fit$deviance), f17(fit$df.residual), f17(fit$aic), f17(fit$iter),
	    as.character(fit$converged)))
	write.csv(st, sprintf("tests/ref/r/glm_%s.fit.csv", name),
	    row.names = FALSE, quote = FALSE)
}

d <- read.csv("data/mtcars.csv")
refs("mtcars_vs", glm(vs ~ mpg + disp, binomial, d, control = ctl))
refs("mtcars_am", glm(am ~ hp + wt, binomial, d, control = ctl))
b <- read.csv("data/biopsy.csv", stringsAsFactors = TRUE)
refs("biopsy", glm(class ~ ., binomial, b, control = ctl))
v <- read.csv("data/iris_vv.csv", stringsAsFactors = TRUE)
refs("iris_vv", glm(Species ~ ., binomial, v, control = ctl))

# The separated cases: R's warnings, iterations, deviance.
out <- file("tests/ref/r/glm_separation.txt", "w")
sep <- function(name, expr) {
	w <- character()
	fit <- withCallingHandlers(expr, warning = function(c) {
		w <<- c(w, conditionMessage(c))
		invokeRestart("muffleWarning")
	})
	writeLines(c(sprintf("%s: %s", name, deparse(fit$formula)),
	    sprintf("  warning: %s", w),
	    sprintf("  iterations %d, converged %s, deviance %s, max |coef| %s",
	    fit$iter, fit$converged, format(fit$deviance, digits = 6),
	    format(max(abs(coef(fit)), na.rm = TRUE), digits = 6)),
	    sprintf("  coefficients %s", paste(format(coef(fit), digits = 8),
	    collapse = " "))), out)
}
sep("complete", glm(y ~ x, binomial, data.frame(y = c(0,0,0,0,1,1,1,1),
    x = 1:8), control = ctl))
sep("quasi", glm(y ~ x, binomial, data.frame(y = c(0,0,0,0,1,1,1,1),
    x = c(1,2,3,4,4,5,6,7)), control = ctl))
sep("quasi2", glm(y ~ x1 + x2, binomial, data.frame(
    x1 = c(-2, 1, -1, 0, 0, -1, 2, 1), x2 = c(1, -2, 0, 0, 0, 2, -1, 1),
    y = c(0, 0, 0, 0, 1, 1, 1, 1)), control = ctl))
sep("mtcars_am_all", glm(am ~ ., binomial, d, control = ctl))
sep("far", glm(y ~ x, binomial, data.frame(x = c(1:8, 1000),
    y = c(0, 0, 1, 0, 1, 0, 1, 1, 1)), control = ctl))
ir <- iris
ir$setosa <- as.numeric(ir$Species == "setosa")
ir$Species <- NULL
sep("iris_setosa", glm(setosa ~ ., binomial, ir, control = ctl))
close(out)
