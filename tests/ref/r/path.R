# References for descend path: glmnet's lasso and elastic-net paths and
# cv.glmnet's lambda.min and lambda.1se, on data sets of data/.
# Run from the repository's top: Rscript tests/ref/r/path.R
# Writes tests/ref/r/path/NAME_aALPHA.{lambda,coef,cv}.csv and NAME.foldid.csv.
suppressMessages(library(glmnet))
out <- "tests/ref/r/path"
dir.create(out, showWarnings = FALSE)
sets <- list(list(name = "Boston", file = "data/Boston.csv", y = "medv"),
             list(name = "mtcars", file = "data/mtcars.csv", y = "mpg"),
             list(name = "swiss", file = "data/swiss.csv", y = "Fertility"))
num <- function(v) trimws(formatC(v, digits = 17, format = "g"))
for (s in sets) {
	d <- read.csv(s$file)
	y <- d[[s$y]]
	x <- as.matrix(d[, names(d) != s$y])
	n <- nrow(x)
	# the folds: 10, seeded, as cv.glmnet draws them
	set.seed(1)
	foldid <- sample(rep(seq(10), length = n))
	write.csv(data.frame(foldid = foldid),
		  file.path(out, paste0(s$name, ".foldid.csv")),
		  row.names = FALSE, quote = FALSE)
	for (a in c(1, 0.5)) {
		tag <- paste0(s$name, "_a", a)
		f <- glmnet(x, y, alpha = a, thresh = 1e-26, maxit = 1e7)
		writeLines(c("lambda", num(f$lambda)),
			   file.path(out, paste0(tag, ".lambda.csv")))
		m <- length(f$lambda)
		pick <- unique(round(seq(1, m, length.out = 5)))
		b <- as.matrix(coef(f))[, pick, drop = FALSE]
		tab <- rbind(c("lambda", "(intercept)", colnames(x)),
			     cbind(num(f$lambda[pick]), t(apply(b, 2, num))))
		writeLines(apply(tab, 1, paste, collapse = ","),
			   file.path(out, paste0(tag, ".coef.csv")))
		# each fold solved at the path's own lambda values (as
		# descend path does); cv.glmnet's default would fit each fold
		# its own sequence and interpolate between its lambdas
		cv <- cv.glmnet(x, y, alpha = a, foldid = foldid,
				lambda = f$lambda, thresh = 1e-26,
				maxit = 1e7)
		cvd <- cv.glmnet(x, y, alpha = a, foldid = foldid,
				 thresh = 1e-26, maxit = 1e7)
		writeLines(c("lambda,cv_loss,cv_se,nonzero",
			     paste(num(cv$lambda), num(cv$cvm), num(cv$cvsd),
				   f$df, sep = ",")),
			   file.path(out, paste0(tag, ".cv.csv")))
		writeLines(c("which,lambda", paste0("min,", num(cv$lambda.min)),
			     paste0("1se,", num(cv$lambda.1se)),
			     paste0("min_interpolated,", num(cvd$lambda.min)),
			     paste0("1se_interpolated,", num(cvd$lambda.1se))),
			   file.path(out, paste0(tag, ".choice.csv")))
	}
}
