# Reference intervals from R's predict.lm(interval = "confidence" | "prediction")
# for descend predict --interval.
#
# Produced with R 4.2.2 Patched (2022-11-10 r83330), Debian package r-base-core.
# R is not a dependency of descend; it was installed only to make these files.
#
# Run from the repository root:
#
#     Rscript tests/ref/r/intervals.R
#
# For each data set NAME, the fit lm(TARGET ~ ., d) on d = read.csv(FILE,
# check.names = FALSE), then predict() on every row of FILE (the rows it was
# fitted on, and for airquality also the rows it left out), writes
#
#   tests/ref/r/NAME.intervals.csv   fit, then KIND_LEVEL_lower, KIND_LEVEL_upper
#                                    for KIND confidence and prediction, LEVEL
#                                    0.9 and 0.95, one row per row of FILE
#
#   mtcars      lm(mpg ~ ., d)
#   stackloss   lm(stack.loss ~ ., d)
#   Boston      lm(medv ~ ., d)
#   Cars93      lm(Price ~ ., d)   Origin and Type factors, levels in byte order
#   airquality  the 37 rows without Ozone left out; an NA in another column
#               replaced by that column's mean over the other 116 rows (what
#               descend fit --missing mean does, and predict then too); the
#               intervals are for all 153 rows, NAs replaced the same way
#
# Every number is format(x, digits = 17).

out_dir <- file.path("tests", "ref", "r")

num <- function(x) vapply(x, function(v) format(v, digits = 17), "")

write_lines <- function(lines, path) {
  con <- file(path, "wb")
  writeLines(lines, con, sep = "\n")
  close(con)
}

reference <- function(name, path, target, factors = character(),
                      impute = FALSE) {
  d <- read.csv(path, check.names = FALSE)
  for (f in factors)
    d[[f]] <- factor(d[[f]], levels = sort(unique(d[[f]]), method = "radix"))
  new <- d
  if (impute) {
    d <- d[!is.na(d[[target]]), ]
    for (v in setdiff(names(d), target)) {
      m <- mean(d[[v]], na.rm = TRUE)
      d[[v]][is.na(d[[v]])] <- m
      new[[v]][is.na(new[[v]])] <- m
    }
  }
  fit <- lm(as.formula(paste0("`", target, "` ~ .")), data = d)
  cols <- list(fit = predict(fit, new))
  for (kind in c("confidence", "prediction"))
    for (level in c(0.9, 0.95)) {
      p <- predict(fit, new, interval = kind, level = level)
      cols[[paste0(kind, "_", level, "_lower")]] <- p[, "lwr"]
      cols[[paste0(kind, "_", level, "_upper")]] <- p[, "upr"]
    }
  lines <- paste(names(cols), collapse = ",")
  for (i in seq_along(cols$fit))
    lines <- c(lines, paste(vapply(cols, function(v) num(v[i]), ""),
                            collapse = ","))
  write_lines(lines, file.path(out_dir, paste0(name, ".intervals.csv")))
  cat(sprintf("%-10s n=%d df=%d sigma=%s\n", name, nobs(fit),
              fit$df.residual, num(summary(fit)$sigma)))
}

reference("mtcars", file.path("data", "mtcars.csv"), "mpg")
reference("stackloss", file.path("data", "stackloss.csv"), "stack.loss")
reference("Boston", file.path("data", "Boston.csv"), "medv")
reference("Cars93", file.path("data", "Cars93.csv"), "Price", c("Origin", "Type"))
reference("airquality", file.path("data", "airquality.csv"), "Ozone",
          impute = TRUE)
