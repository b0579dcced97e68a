# CSV writing shared by the R scripts of test/data/make: every double as the
# shortest decimal that reads back as the same double, the header unquoted,
# text always quoted or (quote = "minimal") only where it holds a comma or a
# quote; lines end in eol.  Sourced, not run.

shortest <- function(x) {
  out <- rep(NA_character_, length(x))
  out[is.nan(x)] <- "NaN"
  out[is.na(x) & !is.nan(x)] <- ""
  todo <- which(is.finite(x))
  for (digits in 1:17) {
    if (length(todo) == 0) break
    s <- sprintf("%.*g", digits, x[todo])
    ok <- as.numeric(s) == x[todo]
    # whole numbers below 1e15 without an exponent: 60, not 6e+01
    e <- floor(log10(abs(x[todo])))
    plain <- ok & e >= digits & e < 15
    s[plain] <- sprintf("%.*g", e[plain] + 1, x[todo][plain])
    out[todo[ok]] <- s[ok]
    todo <- todo[!ok]
  }
  out
}

write_ref <- function(df, file, quote = "all", eol = "\n") {
  cols <- lapply(df, function(col) {
    if (is.factor(col)) col <- as.character(col)
    if (is.character(col)) {
      q <- quote == "all" | grepl('[",\n]', col)
      ifelse(q, paste0('"', gsub('"', '""', col, fixed = TRUE), '"'), col)
    }
    else if (is.integer(col) || is.logical(col)) as.character(col)
    else shortest(col)
  })
  lines <- do.call(paste, c(cols, sep = ","))
  writeLines(c(paste(names(df), collapse = ","), lines), file, sep = eol)
}
