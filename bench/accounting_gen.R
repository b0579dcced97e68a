# Land-cover raster for bench/accounting.sh: n x n pixels of 30 m in UTM 50N
# (EPSG:32650), CLCD codes 1-9 in patches, fixed seed; written as a GeoTIFF
# in row blocks so memory stays small.
#   Rscript accounting_gen.R <out.tif> <n>
suppressMessages(library(terra))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
n <- as.integer(args[2])
set.seed(42)
r <- rast(nrows = n, ncols = n, xmin = 500000, xmax = 500000 + 30 * n,
          ymin = 4000000, ymax = 4000000 + 30 * n, crs = "EPSG:32650")
b <- writeStart(r, out, overwrite = TRUE, datatype = "INT1U", gdal = c("COMPRESS=NONE"), names = "lc")
col <- 0:(n - 1)
for (i in seq_along(b$row)) {
  rows <- (b$row[i] - 1) + 0:(b$nrows[i] - 1)
  v <- outer(col, rows, function(x, y) 1 + ((x %/% 97) * 7 + (y %/% 131) * 3 + ((x * 31 + y * 17) %% 5 == 0)) %% 9)
  writeValues(r, as.vector(v), b$row[i], b$nrows[i])
}
invisible(writeStop(r))
