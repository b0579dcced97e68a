# R spdep on the data exported from the database: the same steps, best of
# `reps` runs, printed as "dataset,step,seconds" lines, plus the link count.
suppressPackageStartupMessages({ library(sf); library(spdep) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
reps <- as.integer(args[2])
datasets <- strsplit(args[3], ",")[[1]]

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
}
