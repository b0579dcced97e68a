# test/data/timeseries: the Nile and LakeHuron series of R's datasets package
# with Mann-Kendall, Theil-Sen and OLS trend results.
#   Rscript timeseries.R OUTDIR
# Debian 12: r-base-core 4.2.2 (datasets, stats).
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "csv.R"))
dir.create(out, showWarnings = FALSE, recursive = TRUE)

series <- list(Nile = list(x = datasets::Nile, units = "annual flow at Aswan, 10^8 m^3"),
               LakeHuron = list(x = datasets::LakeHuron, units = "lake level, feet"))

long <- do.call(rbind, lapply(names(series), function(s) {
  x <- series[[s]]$x
  data.frame(series = s, index = seq_along(x), time = as.integer(time(x)), value = as.numeric(x))
}))
write_ref(long, file.path(out, "series.csv"), quote = "minimal", eol = "\r\n")

trend <- function(s) {
  x <- as.numeric(series[[s]]$x)
  tt <- as.numeric(time(series[[s]]$x))
  n <- length(x)
  i <- seq_len(n)
  pairs <- which(upper.tri(matrix(0, n, n)), arr.ind = TRUE)   # (row < col): earlier, later
  a <- pairs[, 1]; b <- pairs[, 2]
  S <- sum(sign(x[b] - x[a]))
  ties <- table(x); ties <- sort(as.integer(ties[ties > 1]), decreasing = TRUE)
  var0 <- n * (n - 1) * (2 * n + 5) / 18
  var_s <- (n * (n - 1) * (2 * n + 5) - sum(ties * (ties - 1) * (2 * ties + 5))) / 18
  z <- if (S > 0) (S - 1) / sqrt(var_s) else if (S < 0) (S + 1) / sqrt(var_s) else 0
  n0 <- n * (n - 1) / 2
  n1 <- sum(ties * (ties - 1) / 2)
  ct <- suppressWarnings(cor.test(i, x, method = "kendall", exact = FALSE, continuity = TRUE))
  slope_index <- median((x[b] - x[a]) / (b - a))
  slope_time <- median((x[b] - x[a]) / (tt[b] - tt[a]))
  fit <- summary(lm(x ~ i))
  data.frame(series = s, units = series[[s]]$units, n = n, start = as.integer(tt[1]),
             end = as.integer(tt[n]), deltat = deltat(series[[s]]$x), S = S, VarS_no_ties = var0,
             VarS = var_s, Z = z, p_two_sided = 2 * pnorm(-abs(z)), tau_a = S / n0,
             tau_b = S / sqrt(n0 * (n0 - n1)), n_tie_groups = length(ties), n_tied_values = sum(ties),
             tie_extents = paste(ties, collapse = " "), cortest_kendall_z = unname(ct$statistic),
             cortest_kendall_p = ct$p.value, cortest_kendall_tau_b = unname(ct$estimate),
             sen_slope_per_index = slope_index,
             sen_intercept_separate = median(x) - slope_index * median(i),
             sen_intercept_joint = median(x - slope_index * i), sen_slope_per_year = slope_time,
             sen_n_pairs = length(a), ols_slope_per_index = fit$coefficients[2, 1],
             ols_intercept = fit$coefficients[1, 1], ols_slope_se = fit$coefficients[2, 2],
             ols_slope_t = fit$coefficients[2, 3], ols_slope_p = fit$coefficients[2, 4],
             ols_r_squared = fit$r.squared)
}
write_ref(do.call(rbind, lapply(names(series), trend)), file.path(out, "trend_reference_R.csv"),
          quote = "minimal", eol = "\r\n")
