# Fitted values of R's glm(family = poisson) for descend predict and eval:
# the linear predictor (log of the mean, the offset included) and the mean
# of every row of the data of tests/ref/r/poisson.R (run that first; this
# reads data/Insurance.csv and data/warpbreaks.csv, which it writes).
#
# Produced with R 4.2.2 (Debian package r-base-core). Run from the repository
# root:
#
#     Rscript tests/ref/r/poisson_predict.R
#
# Fits, as tests/ref/r/poisson.R's (factor levels in byte order, the first the
# reference; control = glm.control(epsilon = 1e-15, maxit = 100)):
#   insurance   Claims ~ District + Group + Age, offset = log(Holders)
#   warpbreaks  breaks ~ wool + tension
# For each NAME: tests/ref/r/poisson_NAME.mu.csv, columns eta (the linear
# predictor, predict(fit, type = "link")) and mu (fitted(fit)), one row per
# data row in order. Numbers are format(x, digits = 17).

ctl <- glm.control(epsilon = 1e-15, maxit = 100)
f17 <- function(x) vapply(x, function(v) format(v, digits = 17), "")
bytes <- function(x) factor(x, levels = sort(unique(as.character(x)),
    method = "radix"))
out <- function(name, fit)
	write.csv(data.frame(eta = f17(predict(fit, type = "link")),
	    mu = f17(fitted(fit))),
	    sprintf("tests/ref/r/poisson_%s.mu.csv", name), row.names = FALSE,
	    quote = FALSE)

d <- read.csv("data/Insurance.csv")
for (f in c("District", "Group", "Age"))
	d[[f]] <- bytes(d[[f]])
out("insurance", glm(Claims ~ District + Group + Age, poisson, d,
    offset = log(Holders), control = ctl))
d <- read.csv("data/warpbreaks.csv")
for (f in c("wool", "tension"))
	d[[f]] <- bytes(d[[f]])
out("warpbreaks", glm(breaks ~ wool + tension, poisson, d, control = ctl))
