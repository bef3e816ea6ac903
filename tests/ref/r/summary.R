# Reference figures from R's summary(lm(...)) and confint() for descend's tests.
#
# Produced with R 4.2.2 Patched (2022-11-10 r83330), Debian package r-base-core.
# R is not a dependency of descend; it was installed only to make these files.
#
# Run from the repository root:
#
#     Rscript tests/ref/r/summary.R
#
# Reads data/Boston.csv, data/quakes.csv, data/rock.csv, data/USJudgeRatings.csv,
# data/airquality.csv and data/Cars93.csv and writes, for each data set NAME (plus the
# rank-deficient cases "aliased" and "Boston_aliased"):
#
#   tests/ref/r/NAME.coef.csv     term,estimate,std_error,t_value,p_value
#   tests/ref/r/NAME.fit.csv      stat,value: n, residual_sd, df, r_squared,
#                                 adj_r_squared, f, f_df1, f_df2, f_p
#   tests/ref/r/NAME.confint.csv  term,ci_low,ci_high (95%, confint())
#
# and two rank-deficient files, built from the text of the data (the columns used are
# integers there, so the new column is exact and exactly collinear):
#   tests/ref/r/aliased.csv         data/rock.csv with area2 = 2 * area right after
#                                   area; lm() reports area2 as aliased (NA)
#   tests/ref/r/Boston_aliased.csv  data/Boston.csv with taxrad = tax + 10 * rad right
#                                   after tax, a combination of two earlier columns
#
# The fits, each lm(TARGET ~ ., data = d) on d = read.csv(FILE, check.names = FALSE)
# with the target moved last (so "." is every other column, in file order):
#   Boston          lm(medv ~ ., d)
#   quakes          lm(mag ~ ., d)
#   rock            lm(perm ~ ., d)
#   USJudgeRatings  lm(RTEN ~ ., d[-1])      the text column judge dropped
#   airquality      lm(Ozone ~ ., d)         lm's default na.action = na.omit drops the
#                                            42 rows with an NA, as descend's
#                                            --missing drop does
#   Cars93          lm(Price ~ ., d)         = lm(Price ~ MPG.city + ... + Weight +
#                                            Origin + Type); Origin and Type factors
#                                            with levels in C-locale (byte) order,
#                                            descend's order, the first the reference
#   aliased         lm(perm ~ ., d)
#   Boston_aliased  lm(medv ~ ., d)
#
# Every number is format(x, digits = 17), one value at a time; aliased coefficients
# are NA in every column. R's "(Intercept)" is written "(intercept)", a factor's
# "Originnon-USA" as descend's "Origin=non-USA"; other terms keep the column names of
# the CSV. Non-numeric columns that are not factors are dropped before fitting (only
# USJudgeRatings' "judge" is) and the script prints which.

out_dir <- file.path("tests", "ref", "r")

num <- function(x) vapply(x, function(v) if (is.na(v)) "NA" else format(v, digits = 17), "")

write_lines <- function(lines, path) {
  con <- file(path, "wb")               # LF line endings on every platform
  writeLines(lines, con, sep = "\n")
  close(con)
}

term_names <- function(nm) {
  nm <- gsub("`", "", nm, fixed = TRUE)
  nm[nm == "(Intercept)"] <- "(intercept)"
  nm
}

# Insert column `name` = sum of coef[k] * column used[k] right after column `after`, in
# the text of src; the columns used must hold integers.
make_aliased <- function(src, dst, after, name, used, coef) {
  lines <- readLines(src)
  fields <- strsplit(lines, ",", fixed = TRUE)
  header <- gsub("\"", "", fields[[1]], fixed = TRUE)
  at <- match(after, header)
  cols <- match(used, header)
  if (is.na(at) || anyNA(cols)) stop(src, ": no column ", after, " or ", used)
  rows <- lapply(seq_along(fields), function(i) {
    f <- fields[[i]]
    if (i == 1) return(append(f, paste0("\"", name, "\""), after = at))
    if (!all(grepl("^[0-9]+$", f[cols]))) stop(src, ": not an integer: ", f[cols])
    v <- sum(coef * as.numeric(f[cols]))
    append(f, format(v, scientific = FALSE), after = at)
  })
  write_lines(vapply(rows, paste, "", collapse = ","), dst)
}

# R's name for level l of factor f is paste0(f, l); descend's is f=l.
factor_names <- function(nm, d) {
  for (f in names(d)[vapply(d, is.factor, TRUE)])
    for (l in levels(d[[f]])) nm[nm == paste0(f, l)] <- paste0(f, "=", l)
  nm
}

reference <- function(name, path, target, factors = character()) {
  d <- read.csv(path, check.names = FALSE)
  for (f in factors)
    d[[f]] <- factor(d[[f]], levels = sort(unique(d[[f]]), method = "radix"))
  is_num <- vapply(d, function(v) is.numeric(v) || is.factor(v), TRUE)
  dropped <- names(d)[!is_num]
  d <- d[is_num]
  if (!(target %in% names(d))) stop(name, ": no numeric target ", target)
  features <- setdiff(names(d), target)
  d <- d[c(features, target)]
  fit <- lm(as.formula(paste0("`", target, "` ~ .")), data = d)
  s <- summary(fit)

  b <- coef(fit)                          # NA where aliased
  tab <- matrix(NA_real_, length(b), 4, dimnames = list(names(b), NULL))
  tab[rownames(s$coefficients), ] <- s$coefficients
  terms <- factor_names(term_names(names(b)), d)
  write_lines(c("term,estimate,std_error,t_value,p_value",
                paste(terms, num(tab[, 1]), num(tab[, 2]), num(tab[, 3]), num(tab[, 4]), sep = ",")),
              file.path(out_dir, paste0(name, ".coef.csv")))

  f <- s$fstatistic
  stats <- c(n = nobs(fit), residual_sd = s$sigma, df = fit$df.residual,
             r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
             f = unname(f["value"]), f_df1 = unname(f["numdf"]), f_df2 = unname(f["dendf"]),
             f_p = unname(pf(f["value"], f["numdf"], f["dendf"], lower.tail = FALSE)))
  write_lines(c("stat,value", paste(names(stats), num(unname(stats)), sep = ",")),
              file.path(out_dir, paste0(name, ".fit.csv")))

  ci <- confint(fit, level = 0.95)
  write_lines(c("term,ci_low,ci_high",
                paste(factor_names(term_names(rownames(ci)), d), num(ci[, 1]), num(ci[, 2]), sep = ",")),
              file.path(out_dir, paste0(name, ".confint.csv")))

  cat(sprintf("%-15s n=%d p=%d rank=%d target=%s dropped=%s aliased=%s\n", name, nobs(fit),
              length(b), fit$rank, target,
              if (length(dropped)) paste(dropped, collapse = " ") else "-",
              if (anyNA(b)) paste(terms[is.na(b)], collapse = " ") else "-"))
}

make_aliased(file.path("data", "rock.csv"), file.path(out_dir, "aliased.csv"),
             "area", "area2", "area", 2)
make_aliased(file.path("data", "Boston.csv"), file.path(out_dir, "Boston_aliased.csv"),
             "tax", "taxrad", c("tax", "rad"), c(1, 10))

reference("Boston", file.path("data", "Boston.csv"), "medv")
reference("quakes", file.path("data", "quakes.csv"), "mag")
reference("rock", file.path("data", "rock.csv"), "perm")
reference("USJudgeRatings", file.path("data", "USJudgeRatings.csv"), "RTEN")
reference("airquality", file.path("data", "airquality.csv"), "Ozone")
reference("Cars93", file.path("data", "Cars93.csv"), "Price", c("Origin", "Type"))
reference("aliased", file.path(out_dir, "aliased.csv"), "perm")
reference("Boston_aliased", file.path(out_dir, "Boston_aliased.csv"), "medv")
cat(R.version.string, "\n")
