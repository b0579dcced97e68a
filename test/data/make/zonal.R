# test/data/zonal: zonal statistics and land-use transitions of R terra on the
# 100 North Carolina counties (real boundaries, data/nc) over rasters whose
# values follow integer formulas (so test/sql/zonal.sql rebuilds the same
# rasters in SQL, pixel for pixel).
#   Rscript zonal.R OUTDIR NC_SHAPEFILE   (data/nc/nc.shp)
# Debian 12: r-base-core 4.2.2, r-cran-terra 1.7-3 (GDAL 3.6.2, GEOS 3.11.1, PROJ 9.1.1).
#
# Grids (upper-left corner, pixel size, columns x rows):
#   utm: EPSG:32617, (100000, 4080000), 2000 m, 420 x 180
#   lonlat: EPSG:4326, (-84.5, 36.75), 0.025 degrees, 380 x 120
# Values (c, r: 0-based column and row from the upper-left pixel):
#   value(c, r) = ((37 c + 101 r) mod 997) / 4 - 50; nodata where (13 c + 7 r) mod 53 = 0
#   before(c, r) = 1 + ((c %/% 5) + 3 (r %/% 4)) mod 9      (CLCD codes 1..9)
#   after(c, r) = before(c, r), except 1 + (before + c + r) mod 9 where (c + 2 r) mod 7 < 2;
#                 nodata (0) in after where (5 c + 3 r) mod 61 = 0
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "csv.R"))
suppressPackageStartupMessages(library(terra))
dir.create(out, showWarnings = FALSE, recursive = TRUE)
ref <- function(df, name) write_ref(df, file.path(out, paste0(name, ".csv")))

nc_file <- args[2]
nc <- vect(nc_file)
nc$id <- seq_len(nrow(nc))

grids <- list(
  utm = list(crs = "EPSG:32617", x0 = 100000, y0 = 4080000, res = 2000, nc = 420, nr = 180),
  lonlat = list(crs = "EPSG:4326", x0 = -84.5, y0 = 36.75, res = 0.025, nc = 380, nr = 120))

make_raster <- function(g, f) {
  r <- rast(ncols = g$nc, nrows = g$nr, xmin = g$x0, xmax = g$x0 + g$nc * g$res,
            ymin = g$y0 - g$nr * g$res, ymax = g$y0, crs = g$crs)
  cr <- expand.grid(c = 0:(g$nc - 1), r = 0:(g$nr - 1))  # row-major from the upper left
  values(r) <- f(cr$c, cr$r)
  r
}
value_of <- function(c, r) ifelse((13 * c + 7 * r) %% 53 == 0, NA, ((37 * c + 101 * r) %% 997) / 4 - 50)
before_of <- function(c, r) 1 + ((c %/% 5) + 3 * (r %/% 4)) %% 9
after_of <- function(c, r) {
  b <- before_of(c, r)
  a <- ifelse((c + 2 * r) %% 7 < 2, 1 + (b + c + r) %% 9, b)
  ifelse((5 * c + 3 * r) %% 61 == 0, NA, a)
}

# every vertex of the transformed polygons, as used by both sides
wkt_of <- function(v) {
  vapply(seq_len(nrow(v)), function(i) {
    g <- geom(v[i])
    parts <- split(as.data.frame(g), g[, "part"])
    polys <- vapply(parts, function(p) {
      rings <- split(p, p$hole)
      rings <- c(rings["0"], rings[names(rings) != "0"])
      # holes of one part are numbered by 'hole' > 0; one ring per distinct hole
      ring_txt <- function(q) paste0("(", paste(shortest(q$x), shortest(q$y), collapse = ", "), ")")
      shell <- ring_txt(p[p$hole == 0, ])
      holes <- if (any(p$hole > 0)) vapply(split(p[p$hole > 0, ], p$hole[p$hole > 0]), ring_txt, "") else character(0)
      paste0("(", paste(c(shell, holes), collapse = ", "), ")")
    }, "")
    paste0("MULTIPOLYGON (", paste(polys, collapse = ", "), ")")
  }, "")
}

for (name in names(grids)) {
  g <- grids[[name]]
  v <- project(nc, g$crs)
  ref(data.frame(id = v$id, name = v$NAME, wkt = wkt_of(v)), paste0("counties_", name))
  val <- make_raster(g, value_of)
  area <- if (name == "lonlat") cellSize(val, unit = "m", mask = FALSE) else
    cellSize(val, unit = "m", mask = FALSE, transform = FALSE)
  s <- c(val, area)
  names(s) <- c("v", "a")
  # exact: fraction of each cell inside; centre: cells whose centre is inside
  ex <- extract(s, v, exact = TRUE)
  ce <- extract(s, v)
  ce$fraction <- 1
  stats <- function(d, rule) {
    do.call(rbind, lapply(split(d, factor(d$ID, levels = v$id)), function(x) {
      x <- x[!is.na(x$v) & x$fraction > 0, ]
      w <- x$fraction
      m <- if (nrow(x)) sum(w * x$v) / sum(w) else NA
      data.frame(rule = rule, pixels = nrow(x), coverage = sum(w), area_m2 = sum(w * x$a),
                 sum = sum(w * x$v), mean = m, min = if (nrow(x)) min(x$v) else NA,
                 max = if (nrow(x)) max(x$v) else NA,
                 stddev = if (nrow(x)) sqrt(sum(w * (x$v - m)^2) / sum(w)) else NA,
                 area_sum = sum(w * x$a * x$v))
    }))
  }
  st <- rbind(cbind(id = v$id, stats(ex, "exact")), cbind(id = v$id, stats(ce, "centre")))
  ref(st, paste0("zonal_", name))

  # land-use transitions inside each county, exact coverage: m2 per (before, after) pair
  lc <- c(make_raster(g, before_of), make_raster(g, after_of), area)
  names(lc) <- c("before", "after", "a")
  ex <- extract(lc, v, exact = TRUE)
  ex <- ex[ex$fraction > 0, ]
  ok <- !is.na(ex$before) & !is.na(ex$after)
  tr <- aggregate(list(area_m2 = ex$fraction[ok] * ex$a[ok]),
                  list(id = ex$ID[ok], from_class = ex$before[ok], to_class = ex$after[ok]), sum)
  tr <- tr[order(tr$id, tr$from_class, tr$to_class), ]
  nd <- aggregate(list(nodata_m2 = ex$fraction[!ok] * ex$a[!ok]), list(id = ex$ID[!ok]), sum)
  ref(tr, paste0("transition_", name))
  ref(nd, paste0("transition_nodata_", name))
}
