# R terra for bench/zonal.sh, in one warm session, timed after loading (rasters from the local GeoTIFFs,
# counties from WKT):
#   exact    exact-coverage weighted sums, extract(exact = TRUE), on the UTM and lon/lat rasters, for the
#            counties with id <= k (terra 1.7-3 takes about a minute per county of 10^6 pixels here, so
#            all 100 counties do not fit a run; carbonbudget is timed on the same counties);
#   centre   centre-rule sums of all counties: rasterize(counties, field = "id") + zonal(fun = "sum");
#   crosstab the land-use transition counts of the two years over the whole raster.
# Prints CSV rows (who, what, value): best wall seconds of reps runs and the peak resident memory of
# the R process during each step (VmHWM, reset before the step), MB.
#   Rscript zonal.R <dir with the tifs and counties_utm.csv, counties_ll.csv> <reps> <k>
suppressMessages(library(terra))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
reps <- as.integer(args[2])
k <- as.integer(args[3])
peak_reset <- function() writeLines("5", "/proc/self/clear_refs")
peak_mb <- function() {
  s <- readLines("/proc/self/status")
  as.numeric(sub("kB", "", sub("VmHWM:", "", s[startsWith(s, "VmHWM:")]))) / 1024
}
best <- function(what, f) {
  b <- Inf
  gc()
  peak_reset()
  for (i in seq_len(reps)) { t0 <- Sys.time(); res <- f()
    b <- min(b, as.numeric(difftime(Sys.time(), t0, units = "secs"))) }
  cat(sprintf("terra,%s,%.3f\nterra,%s peak MB,%.0f\n", what, b, what, peak_mb()))
  res
}
for (g in c("utm", "ll")) {
  r <- rast(file.path(dir, if (g == "utm") "value.tif" else "value_ll.tif"))
  d <- read.csv(file.path(dir, paste0("counties_", g, ".csv")))
  v <- vect(d$wkt, crs = crs(r))
  v$id <- d$id
  sub <- v[v$id <= k]
  x <- best(paste("zonal exact", g, "subset"), function() {
    e <- extract(r, sub, exact = TRUE)
    tapply(e[[2]] * e$fraction, e$ID, sum)
  })
  write.csv(data.frame(id = sub$id[as.integer(names(x))], sum = as.vector(x)),
            file.path(dir, paste0("terra_", g, ".csv")), row.names = FALSE)
  if (g == "utm") {
    z <- best("zonal centre utm", function() zonal(r, rasterize(v, r, field = "id"), fun = "sum"))
    names(z) <- c("id", "sum")
    write.csv(z, file.path(dir, "terra_centre.csv"), row.names = FALSE)
  }
}
s <- c(rast(file.path(dir, "lc2000.tif")), rast(file.path(dir, "lc2020.tif")))
x <- best("transition matrix", function() crosstab(s))
cat(sprintf("terra,transition pixels,%.0f\n", sum(x)))
