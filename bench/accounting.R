# R terra zonal extraction for bench/accounting.sh: class pixel counts per
# county (cells whose centre is inside, terra's default), timed after loading.
#   Rscript accounting.R <land-cover tif> <counties csv (id, wkt)> <reps>
suppressMessages(library(terra))
args <- commandArgs(trailingOnly = TRUE)
r <- rast(args[1])
d <- read.csv(args[2])
v <- vect(d$wkt, crs = "EPSG:32650")
v$id <- d$id
reps <- as.integer(args[3])
best <- Inf
for (k in seq_len(reps)) {
  t0 <- Sys.time()
  x <- extract(r, v)
  counts <- table(v$id[x$ID], x[[2]])
  best <- min(best, as.numeric(difftime(Sys.time(), t0, units = "secs")))
}
cat(sprintf("terra,zonal class areas,%.3f\n", best))
cat(sprintf("terra,classified pixels,%d\n", sum(counts)))
