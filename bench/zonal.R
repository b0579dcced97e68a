# R terra for bench/zonal.sh, timed after loading: exact-coverage weighted sums
# per county (extract(exact = TRUE)) on the UTM and lon/lat rasters, and the
# land-use transition counts of the two years (crosstab) over the whole raster.
#   Rscript zonal.R <dir with the tifs and counties_utm.csv, counties_ll.csv> <reps>
suppressMessages(library(terra))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
reps <- as.integer(args[2])
best <- function(f) { b <- Inf; for (k in seq_len(reps)) { t0 <- Sys.time(); res <- f()
  b <- min(b, as.numeric(difftime(Sys.time(), t0, units = "secs"))) }; list(t = b, res = res) }
for (g in c("utm", "ll")) {
  r <- rast(file.path(dir, if (g == "utm") "value.tif" else "value_ll.tif"))
  d <- read.csv(file.path(dir, paste0("counties_", g, ".csv")))
  v <- vect(d$wkt, crs = crs(r))
  x <- best(function() { e <- extract(r, v, exact = TRUE); tapply(e[[2]] * e$fraction, e$ID, sum) })
  cat(sprintf("terra,zonal exact %s,%.3f\n", g, x$t))
  write.csv(data.frame(id = d$id[as.integer(names(x$res))], sum = as.vector(x$res)),
            file.path(dir, paste0("terra_", g, ".csv")), row.names = FALSE)
}
s <- c(rast(file.path(dir, "lc2000.tif")), rast(file.path(dir, "lc2020.tif")))
x <- best(function() crosstab(s))
cat(sprintf("terra,transition matrix,%.3f\n", x$t))
cat(sprintf("terra,transition pixels,%.0f\n", sum(x$res)))
