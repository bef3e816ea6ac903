# Makes the R-written inputs of newcomer.bats, as a user of R writes them:
#   Rscript make.R   (run in this folder; R >= 4.0; only base R and datasets)
# write.csv keeps R's defaults on purpose: row names as a first column with
# an empty name, quoted strings and names, NA for a missing value.
mt <- head(mtcars, 12)
write.csv(mt, "mtcars_r.csv")                      # row names, "" header
write.csv2(mt, "mtcars_eu.csv")                    # ; and decimal commas
write.csv(head(iris[c(1:5, 51:55, 101:105), ], 15), "iris_r.csv",
    row.names = FALSE)                              # a text target
aq <- head(airquality, 12)
write.csv(aq, "airquality_r.csv", row.names = FALSE)  # NA cells
am <- mt
am$am <- ifelse(am$am == 1, "manual", "automatic")
write.csv(am, "mtcars_am_r.csv", row.names = FALSE)    # two text labels
write.table(mt, "mtcars_r.tsv", sep = "\t", quote = FALSE,
    row.names = FALSE)                                  # a TSV
