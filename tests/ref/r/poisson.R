# Reference figures from R's glm(family = poisson) for descend's Poisson
# regression (log link, an offset column, prior weights).
#
# Produced with R 4.2.2 (Debian package r-base-core) and MASS (r-cran-mass). R is
# not a dependency of descend; it only makes these files. Run from the repository
# root:
#
#     Rscript tests/ref/r/poisson.R
#
# Writes the data it fits into data/ (write.csv, row.names = FALSE):
#   data/Insurance.csv   MASS::Insurance: District (1-4), Group (engine
#                        size), Age (of the driver), Holders (policy
#                        holders), Claims (their claims), 64 rows; District,
#                        Group and Age written as text
#   data/warpbreaks.csv  datasets::warpbreaks: breaks (count), wool (A, B),
#                        tension (L, M, H), 54 rows
# Factors have their levels in C-locale (byte) order, the first level the
# reference (treatment contrasts), as descend's --categorical orders them
# (MASS's Group and Age are ordered factors, which R would fit with polynomial
# contrasts; they are made plain factors here). Every fit has
# control = glm.control(epsilon = 1e-15, maxit = 100):
#   insurance    Claims ~ District + Group + Age, offset = log(Holders)
#   insurance_w  the same, weights = w: w = 1, 2, 3, 0, 2 on rows 1..5, then
#                again on rows 6..10 and so on (integer prior weights, every
#                fifth row weight 0)
#   warpbreaks   breaks ~ wool + tension, no offset
#   insurance_noint  Claims ~ 0 + X, offset = log(Holders), X the columns of
#                insurance but the intercept (model.matrix(~ District + Group
#                + Age)[, -1]): no intercept, the same indicators; R's null
#                model is then mu = exp(offset) = Holders, null_df = n
# For each NAME:
#   tests/ref/r/poisson_NAME.coef.csv  term,estimate,std_error,z_value,p_value
#                                      from summary(fit)$coefficients; term as
#                                      descend names a level's indicator
#                                      (Group=<1l; R: Group<1l)
#   tests/ref/r/poisson_NAME.fit.csv   stat,value: n (rows), nobs (nonzero
#                                      weights), null_deviance, null_df,
#                                      deviance, df (residual), aic, iterations,
#                                      converged, mean_deviance =
#                                      sum(w * d_i) / sum(w), d_i the unit
#                                      deviance 2 (y log(y / mu) - (y - mu)) at
#                                      fitted(fit)
#   tests/ref/r/poisson_NAME.mle.csv   term,std_error: sqrt(diag(solve(
#                                      crossprod(X, X * (w * mu))))), the
#                                      inverse information at R's estimate
#                                      itself (summary's come from the last
#                                      iteration's QR)
# With an offset and an intercept, R's null deviance is that of the intercept
# alone with the offset (glm refits it); the null model's mean is
# exp(offset) * sum(w * y) / sum(w * exp(offset)).
# Numbers are format(x, digits = 17).

suppressPackageStartupMessages(library(MASS))
ctl <- glm.control(epsilon = 1e-15, maxit = 100)
f17 <- function(x) vapply(x, function(v) if (is.na(v)) "NA" else
    format(v, digits = 17), "")
bytes <- function(x) factor(x, levels = sort(unique(as.character(x)),
    method = "radix"))

ins <- data.frame(District = as.character(Insurance$District),
    Group = as.character(Insurance$Group), Age = as.character(Insurance$Age),
    Holders = Insurance$Holders, Claims = Insurance$Claims)
write.csv(ins, "data/Insurance.csv", row.names = FALSE)
wb <- data.frame(breaks = warpbreaks$breaks,
    wool = as.character(warpbreaks$wool),
    tension = as.character(warpbreaks$tension))
write.csv(wb, "data/warpbreaks.csv", row.names = FALSE)

# R's term "Group1.5-2l" as descend's "Group=1.5-2l" (and "XGroup1.5-2l",
# a column of the matrix X of insurance_noint, too).
fix_term <- function(t, factors) {
	t <- ifelse(t == "(Intercept)", "(intercept)", sub("^X", "", t))
	for (f in factors)
		t <- sub(sprintf("^%s", f), sprintf("%s=", f), t)
	t
}

refs <- function(name, fit, factors, w) {
	s <- summary(fit)$coefficients
	write.csv(data.frame(term = fix_term(rownames(s), factors),
	    estimate = f17(s[, 1]), std_error = f17(s[, 2]),
	    z_value = f17(s[, 3]), p_value = f17(s[, 4])),
	    sprintf("tests/ref/r/poisson_%s.coef.csv", name),
	    row.names = FALSE, quote = FALSE)
	X <- model.matrix(fit)
	mu <- fitted(fit)
	se <- sqrt(diag(solve(crossprod(X, X * (w * mu)))))
	write.csv(data.frame(term = fix_term(names(se), factors),
	    std_error = f17(se)), sprintf("tests/ref/r/poisson_%s.mle.csv", name),
	    row.names = FALSE, quote = FALSE)
	y <- fit$y
	unit <- poisson()$dev.resids(y, mu, rep(1, length(y)))
	v <- c(f17(length(y)), f17(sum(w != 0)), f17(fit$null.deviance),
	    f17(fit$df.null), f17(fit$deviance), f17(fit$df.residual),
	    f17(fit$aic), f17(fit$iter), as.character(fit$converged),
	    f17(sum(w * unit) / sum(w)))
	write.csv(data.frame(stat = c("n", "nobs", "null_deviance", "null_df",
	    "deviance", "df", "aic", "iterations", "converged",
	    "mean_deviance"), value = v),
	    sprintf("tests/ref/r/poisson_%s.fit.csv", name), row.names = FALSE,
	    quote = FALSE)
}

d <- read.csv("data/Insurance.csv")
for (f in c("District", "Group", "Age"))
	d[[f]] <- bytes(d[[f]])
fit <- glm(Claims ~ District + Group + Age, poisson, d,
    offset = log(Holders), control = ctl)
refs("insurance", fit, c("District", "Group", "Age"), rep(1, nrow(d)))
X <- model.matrix(~ District + Group + Age, d)[, -1]
fit <- glm(Claims ~ 0 + X, poisson, d, offset = log(Holders), control = ctl)
refs("insurance_noint", fit, c("District", "Group", "Age"), rep(1, nrow(d)))
w <- rep(c(1, 2, 3, 0, 2), length.out = nrow(d))
fit <- glm(Claims ~ District + Group + Age, poisson, d, weights = w,
    offset = log(Holders), control = ctl)
refs("insurance_w", fit, c("District", "Group", "Age"), w)
d <- read.csv("data/warpbreaks.csv")
for (f in c("wool", "tension"))
	d[[f]] <- bytes(d[[f]])
fit <- glm(breaks ~ wool + tension, poisson, d, control = ctl)
refs("warpbreaks", fit, c("wool", "tension"), rep(1, nrow(d)))
