# Rasters for bench/zonal.sh, fixed formulas: an n x n float raster of 30 m in
# UTM 50N (EPSG:32650), the same values on a lon/lat grid (EPSG:4326, 0.0003
# degree pixels) and two CLCD land-cover years on the UTM grid; written as
# GeoTIFFs in row blocks so memory stays small.
#   Rscript zonal_gen.R <outdir> <n>
suppressMessages(library(terra))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
n <- as.integer(args[2])
col <- 0:(n - 1)
value_of <- function(x, y) 100 + 50 * sin(x / 211) * cos(y / 173) + ((x * 37 + y * 101) %% 997) / 20
lc_of <- function(x, y) 1 + ((x %/% 97) * 7 + (y %/% 131) * 3 + ((x * 31 + y * 17) %% 5 == 0)) %% 9
lc2_of <- function(x, y) { b <- lc_of(x, y); ifelse((x %/% 50 + y %/% 70) %% 11 == 0, 1 + (b + 3) %% 9, b) }
write_grid <- function(file, r, f, type) {
  b <- writeStart(r, file, overwrite = TRUE, datatype = type, gdal = c("COMPRESS=NONE"))
  for (i in seq_along(b$row)) {
    rows <- (b$row[i] - 1) + 0:(b$nrows[i] - 1)
    writeValues(r, as.vector(outer(col, rows, f)), b$row[i], b$nrows[i])
  }
  invisible(writeStop(r))
}
utm <- rast(nrows = n, ncols = n, xmin = 500000, xmax = 500000 + 30 * n,
            ymin = 4000000, ymax = 4000000 + 30 * n, crs = "EPSG:32650")
ll <- rast(nrows = n, ncols = n, xmin = 110, xmax = 110 + 0.0003 * n, ymin = 30, ymax = 30 + 0.0003 * n,
           crs = "EPSG:4326")
write_grid(file.path(out, "value.tif"), utm, value_of, "FLT4S")
write_grid(file.path(out, "value_ll.tif"), ll, value_of, "FLT4S")
write_grid(file.path(out, "lc2000.tif"), utm, lc_of, "INT1U")
write_grid(file.path(out, "lc2020.tif"), utm, lc2_of, "INT1U")
