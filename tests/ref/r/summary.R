# Reference figures from R's summary(lm(...)) and confint() for descend's tests.
#
# Produced with R 4.2.2 Patched (2022-11-10 r83330), Debian package r-base-core.
# R is not a dependency of descend; it was installed only to make these files.
#
# Run from the repository root:
#
#     Rscript tests/ref/r/summary.R
#
# Reads data/Boston.csv, data/quakes.csv, data/rock.csv, data/USJudgeRatings.csv and
# writes, for each data set NAME (plus the rank-deficient "aliased" case):
#
#   tests/ref/r/NAME.coef.csv     term,estimate,std_error,t_value,p_value
#   tests/ref/r/NAME.fit.csv      stat,value: n, residual_sd, df, r_squared,
#                                 adj_r_squared, f, f_df1, f_df2, f_p
#   tests/ref/r/NAME.confint.csv  term,ci_low,ci_high (95%, confint())
#
# and tests/ref/r/aliased.csv: data/rock.csv with a column area2 = 2 * area inserted
# right after area (built from the text of rock.csv; area is an integer there), so
# that lm() reports area2 as aliased (NA).
#
# Every number is format(x, digits = 17), one value at a time; aliased coefficients
# are NA in every column. R's "(Intercept)" is written "(intercept)"; other terms keep
# the column names of the CSV. Non-numeric columns are dropped before fitting (only
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

make_aliased <- function(src, dst) {
  lines <- readLines(src)
  fields <- strsplit(lines, ",", fixed = TRUE)
  if (fields[[1]][1] != "\"area\"") stop("rock.csv: first column is not area")
  rows <- lapply(seq_along(fields), function(i) {
    f <- fields[[i]]
    if (i == 1) return(c(f[1], "\"area2\"", f[-1]))
    if (!grepl("^[0-9]+$", f[1])) stop("rock.csv: area is not an integer: ", f[1])
    c(f[1], as.character(2 * as.numeric(f[1])), f[-1])
  })
  write_lines(vapply(rows, paste, "", collapse = ","), dst)
}

reference <- function(name, path, target) {
  d <- read.csv(path, check.names = FALSE)
  is_num <- vapply(d, is.numeric, TRUE)
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
  terms <- term_names(names(b))
  write_lines(c("term,estimate,std_error,t_value,p_value",
                paste(terms, num(tab[, 1]), num(tab[, 2]), num(tab[, 3]), num(tab[, 4]), sep = ",")),
              file.path(out_dir, paste0(name, ".coef.csv")))

  f <- s$fstatistic
  stats <- c(n = nrow(d), residual_sd = s$sigma, df = fit$df.residual,
             r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
             f = unname(f["value"]), f_df1 = unname(f["numdf"]), f_df2 = unname(f["dendf"]),
             f_p = unname(pf(f["value"], f["numdf"], f["dendf"], lower.tail = FALSE)))
  write_lines(c("stat,value", paste(names(stats), num(unname(stats)), sep = ",")),
              file.path(out_dir, paste0(name, ".fit.csv")))

  ci <- confint(fit, level = 0.95)
  write_lines(c("term,ci_low,ci_high",
                paste(term_names(rownames(ci)), num(ci[, 1]), num(ci[, 2]), sep = ",")),
              file.path(out_dir, paste0(name, ".confint.csv")))

  cat(sprintf("%-15s n=%d p=%d rank=%d target=%s dropped=%s aliased=%s\n", name, nrow(d),
              length(b), fit$rank, target,
              if (length(dropped)) paste(dropped, collapse = " ") else "-",
              if (anyNA(b)) paste(terms[is.na(b)], collapse = " ") else "-"))
}

make_aliased(file.path("data", "rock.csv"), file.path(out_dir, "aliased.csv"))

reference("Boston", file.path("data", "Boston.csv"), "medv")
reference("quakes", file.path("data", "quakes.csv"), "mag")
reference("rock", file.path("data", "rock.csv"), "perm")
reference("USJudgeRatings", file.path("data", "USJudgeRatings.csv"), "RTEN")
reference("aliased", file.path(out_dir, "aliased.csv"), "perm")
cat(R.version.string, "\n")
