# The least-absolute-deviations optimum of 13 of R's data sets, for the tests of
# batch MAE (tests/cli/optimize.bats) and the table in the manual (Losses and
# penalties). Run from the repository root: Rscript tests/ref/r/mae.R
# Writes tests/ref/r/mae/NAME.csv (the data, by write.csv without row names)
# and tests/ref/r/mae/optimum.csv: name, target, the mean absolute residual at
# quantreg::rq's solution (tau = 0.5, method "br", the Barrodale-Roberts
# simplex) and the same at method "fn" (Frisch-Newton), as a check.
suppressMessages(library(quantreg))
library(MASS)
sets <- list(mtcars = list(mtcars, "mpg"), longley = list(longley, "Employed"),
    freeny = list(freeny, "y"), UScrime = list(UScrime, "y"),
    stackloss = list(stackloss, "stack.loss"), swiss = list(swiss, "Fertility"),
    LifeCycleSavings = list(LifeCycleSavings, "sr"),
    USJudgeRatings = list(USJudgeRatings, "RTEN"),
    attitude = list(attitude, "rating"), trees = list(trees, "Volume"),
    Boston = list(Boston, "medv"), rock = list(rock, "perm"),
    quakes = list(quakes, "mag"))
dir <- "tests/ref/r/mae"
out <- data.frame()
for (n in names(sets)) {
    d <- as.data.frame(sets[[n]][[1]])
    t <- sets[[n]][[2]]
    write.csv(d, file.path(dir, paste0(n, ".csv")), row.names = FALSE)
    f <- as.formula(paste0("`", t, "` ~ ."))
    br <- rq(f, data = d, tau = 0.5, method = "br")
    fn <- rq(f, data = d, tau = 0.5, method = "fn")
    out <- rbind(out, data.frame(name = n, target = t,
        mae = format(mean(abs(resid(br))), digits = 17),
        mae_fn = format(mean(abs(resid(fn))), digits = 17)))
}
write.csv(out, file.path(dir, "optimum.csv"), row.names = FALSE, quote = FALSE)
