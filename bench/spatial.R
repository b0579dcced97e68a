# R spdep on the data exported from the database: the same steps, best of
# `reps` runs, printed as "dataset,step,seconds" lines, plus the link count.
#   Rscript spatial.R DIR REPS DATASETS moran|all
# "all" adds the statistics of GeoDa and PySAL beside Moran's I that spdep has.
suppressPackageStartupMessages({ library(sf); library(spdep) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
reps <- as.integer(args[2])
datasets <- strsplit(args[3], ",")[[1]]
all_steps <- identical(args[4], "all")
best <- function(expr_fun) min(vapply(seq_len(reps), function(r) system.time(expr_fun())[["elapsed"]], 0))

for (ds in datasets) {
  d <- read.csv(file.path(dir, paste0(ds, ".csv")))
  geom <- st_as_sfc(d$wkt)
  x <- d$x
  t <- c(Inf, Inf, Inf)
  for (r in seq_len(reps)) {
    t[1] <- min(t[1], system.time(nb <- poly2nb(geom, queen = TRUE))[["elapsed"]])
    lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
    t[2] <- min(t[2], system.time(moran.mc(x, lw, nsim = 999, zero.policy = TRUE))[["elapsed"]])
    t[3] <- min(t[3], system.time(localmoran_perm(x, lw, nsim = 999, zero.policy = TRUE,
                                                  iseed = 1))[["elapsed"]])
  }
  cat(sprintf("%s,%s,%.4f\n", ds, c("queen weights", "global Moran 999 perm", "local Moran 999 perm"), t),
      sep = "")
  cat(sprintf("%s,links,%d\n", ds, sum(card(nb))))
  if (!all_steps) next
  lwb <- nb2listw(nb, style = "B", zero.policy = TRUE)
  fb <- factor(d$b, levels = c(0, 1))
  geoda <- list(
    "bivariate Moran 999 perm" = function() moran_bv(x, d$y, lw, nsim = 999),
    "local bivariate Moran 999 perm" = function() localmoran_bv(x, d$y, lw, nsim = 999),
    "EB rate Moran 999 perm" = function() suppressMessages(EBImoran.mc(d$events, d$pop, lw, nsim = 999)),
    "Geary C 999 perm" = function() geary.mc(x, lw, nsim = 999, zero.policy = TRUE),
    "local Geary 999 perm" = function() localC_perm(x, lw, nsim = 999, zero.policy = TRUE),
    "join counts 999 perm" = function() joincount.mc(fb, lwb, nsim = 999, zero.policy = TRUE),
    "local join count 999 perm" = function() suppressWarnings(local_joincount_uni(fb, "1", lwb, nsim = 999)),
    "spatial lag" = function() lag.listw(lw, x, zero.policy = TRUE))
  for (step in names(geoda)) cat(sprintf("%s,%s,%.4f\n", ds, step, best(geoda[[step]])))
}
