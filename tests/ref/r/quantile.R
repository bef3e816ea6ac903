# quantile.R: R's quantreg::rq figures for descend's exact quantile regression
# (src/quantile.c, tests/unit/test_quantile.c). Run from the repository root:
#   Rscript tests/ref/r/quantile.R
# Writes data/{mtcars,stackloss,LifeCycleSavings,swiss}.csv (R's data sets,
# row names left out) and tests/ref/r/quantile/{objective,coef}.csv.
suppressMessages(library(quantreg))

f17 <- function(x) vapply(x, function(v) format(v, digits = 17), "")

# R's own data sets, exported once like the other files in data/.
export <- function(d, name) {
	path <- file.path("data", paste0(name, ".csv"))
	write.csv(d, path, row.names = FALSE)
}
export(mtcars, "mtcars")
export(stackloss, "stackloss")
export(LifeCycleSavings, "LifeCycleSavings")
export(swiss, "swiss")

cases <- list(
	list(name = "Boston", target = "medv", drop = character()),
	list(name = "rock", target = "perm", drop = character()),
	list(name = "USJudgeRatings", target = "RTEN", drop = "judge"),
	list(name = "quakes", target = "mag", drop = character()),
	list(name = "mtcars", target = "mpg", drop = character()),
	list(name = "stackloss", target = "stack.loss", drop = character()),
	list(name = "LifeCycleSavings", target = "sr", drop = character()),
	list(name = "swiss", target = "Fertility", drop = character())
)
taus <- c(0.1, 0.5, 0.9)
rho <- function(r, tau) r * (tau - (r < 0))

obj <- data.frame()
coef <- data.frame()
for (cs in cases) {
	d <- read.csv(file.path("data", paste0(cs$name, ".csv")),
	    check.names = FALSE)
	d <- d[, setdiff(names(d), cs$drop), drop = FALSE]
	features <- setdiff(names(d), cs$target)
	X <- as.matrix(d[, features])
	y <- d[[cs$target]]
	for (tau in taus) {
		nonunique <- FALSE
		br <- withCallingHandlers(rq.fit(cbind(1, X), y, tau = tau,
		    method = "br"), warning = function(w) {
			if (grepl("nonunique", conditionMessage(w)))
				nonunique <<- TRUE
			invokeRestart("muffleWarning")
		})
		fn <- rq.fit(cbind(1, X), y, tau = tau, method = "fn")
		b <- br$coefficients
		ob <- mean(rho(y - cbind(1, X) %*% b, tau))
		of <- mean(rho(y - cbind(1, X) %*% fn$coefficients, tau))
		if (abs(of - ob) > 1e-6 * abs(ob))
			stop(sprintf("%s tau %g: fn %.17g and br %.17g disagree",
			    cs$name, tau, of, ob))
		obj <- rbind(obj, data.frame(name = cs$name, target = cs$target,
		    tau = format(tau), n = length(y), objective = f17(ob),
		    objective_fn = f17(of), nonunique = as.integer(nonunique)))
		coef <- rbind(coef, data.frame(name = cs$name, tau = format(tau),
		    term = c("(intercept)", features), estimate = f17(b)))
	}
}
write.csv(obj, "tests/ref/r/quantile/objective.csv", row.names = FALSE,
    quote = FALSE)
write.csv(coef, "tests/ref/r/quantile/coef.csv", row.names = FALSE,
    quote = FALSE)
