# Reference figures from R's summary(lm(weights = )) for descend's row weights.
#
# Produced with R 4.2.2 (Debian package r-base-core) and MASS (r-cran-mass). R is
# not a dependency of descend; it only makes these files. Run from the repository
# root:
#
#     Rscript tests/ref/r/weights.R
#
# Writes the data it fits into data/ (write.csv, row.names = FALSE):
#   data/state.csv     datasets::state.x77 (the 50 US states, 1970s), its 8
#                      columns renamed by make.names ("Life Exp" -> Life.Exp,
#                      "HS Grad" -> HS.Grad), the state names (row names) left
#                      out; plus pop48 = Population for the 48 contiguous
#                      states and 0 for Alaska and Hawaii (rows 2 and 11)
#   data/menarche.csv  MASS::menarche (Age, Total, Menarche: of Total Warsaw
#                      girls of mean age Age, Menarche had reached menarche)
#                      plus prop = Menarche / Total, written with 17
#                      significant digits
# and data/quakes.csv is fitted as it is (written by tests/ref/r/summary.R's
# source, datasets::quakes).
# Every fit is lm(TARGET ~ FEATURES, data = read.csv(FILE), weights = W), W a
# column of the file, so R fits the doubles that descend reads:
#   state      Murder ~ Illiteracy + Income + HS.Grad + Frost, weights =
#              Population (state rates weighted by population, in thousands)
#   state48    the same, weights = pop48: two zero weights
#   state_noint Murder ~ 0 + Illiteracy + Income + HS.Grad + Frost, weights =
#              Population: no intercept (R's R^2 then uncentred, sum(w f^2) /
#              (sum(w f^2) + rss), and F on rank and df degrees of freedom)
#   menarche   prop ~ Age, weights = Total (a proportion of Total girls)
#   quakes     mag ~ lat + long + depth, weights = stations (the number of
#              stations that reported the quake)
# For each NAME:
#   tests/ref/r/wls_NAME.coef.csv  term,estimate,std_error,t_value,p_value
#   tests/ref/r/wls_NAME.fit.csv   stat,value: n (rows in the data), nobs
#                                  (nobs(fit): rows of nonzero weight), df
#                                  (df.residual), rank, weight_sum, rss
#                                  (sum(w * r^2)), residual_sd (sigma),
#                                  r_squared, adj_r_squared, f, f_df1, f_df2,
#                                  f_p = pf(f, df1, df2, lower.tail = FALSE),
#                                  weighted_mean_y (sum(w * y) / sum(w))
# Numbers are format(x, digits = 17).

suppressPackageStartupMessages(library(MASS))
f17 <- function(x) vapply(x, function(v) if (is.na(v)) "NA" else
    format(v, digits = 17), "")
fix_term <- function(t) ifelse(t == "(Intercept)", "(intercept)", t)

st <- as.data.frame(state.x77)
names(st) <- make.names(names(st))
rownames(st) <- NULL
st$pop48 <- st$Population
st$pop48[state.name %in% c("Alaska", "Hawaii")] <- 0
stopifnot(which(st$pop48 == 0) == c(2, 11))
write.csv(st, "data/state.csv", row.names = FALSE)
me <- menarche
me$prop <- me$Menarche / me$Total
me$prop <- as.numeric(f17(me$prop))
write.csv(data.frame(Age = me$Age, Total = me$Total, Menarche = me$Menarche,
    prop = f17(me$prop)), "data/menarche.csv", row.names = FALSE,
    quote = c(1, 2, 3))

refs <- function(name, fit, d, w, y) {
	s <- summary(fit)
	co <- s$coefficients
	write.csv(data.frame(term = fix_term(rownames(co)),
	    estimate = f17(co[, 1]), std_error = f17(co[, 2]),
	    t_value = f17(co[, 3]), p_value = f17(co[, 4])),
	    sprintf("tests/ref/r/wls_%s.coef.csv", name), row.names = FALSE,
	    quote = FALSE)
	f <- s$fstatistic
	v <- c(n = nrow(d), nobs = nobs(fit), df = fit$df.residual,
	    rank = fit$rank, weight_sum = sum(w),
	    rss = sum(w * residuals(fit)^2), residual_sd = s$sigma,
	    r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
	    f = f[[1]], f_df1 = f[[2]], f_df2 = f[[3]],
	    f_p = pf(f[[1]], f[[2]], f[[3]], lower.tail = FALSE),
	    weighted_mean_y = sum(w * y) / sum(w))
	write.csv(data.frame(stat = names(v), value = f17(v)),
	    sprintf("tests/ref/r/wls_%s.fit.csv", name), row.names = FALSE,
	    quote = FALSE)
}

d <- read.csv("data/state.csv")
refs("state", lm(Murder ~ Illiteracy + Income + HS.Grad + Frost, d,
    weights = Population), d, d$Population, d$Murder)
refs("state48", lm(Murder ~ Illiteracy + Income + HS.Grad + Frost, d,
    weights = pop48), d, d$pop48, d$Murder)
refs("state_noint", lm(Murder ~ 0 + Illiteracy + Income + HS.Grad + Frost, d,
    weights = Population), d, d$Population, d$Murder)
d <- read.csv("data/menarche.csv")
refs("menarche", lm(prop ~ Age, d, weights = Total), d, d$Total, d$prop)
d <- read.csv("data/quakes.csv")
refs("quakes", lm(mag ~ lat + long + depth, d, weights = stations), d,
    d$stations, d$mag)
