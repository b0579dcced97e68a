# test/data/baltim_price.csv and baltk4.GWT: the 211 Baltimore house sales of
# spData (station, price) and the GeoDa 4-nearest-neighbour GWT file shipped
# with it.
#   Rscript baltimore.R OUTDIR
# Debian 12: r-base-core 4.2.2, r-cran-spdata 2.2.1.
out <- commandArgs(trailingOnly = TRUE)[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
data(baltimore, package = "spData", envir = environment())
write.csv(data.frame(station = baltimore$STATION, price = baltimore$PRICE),
          file.path(out, "baltim_price.csv"), row.names = FALSE)
stopifnot(file.copy(system.file("weights/baltk4.GWT", package = "spData"),
                    file.path(out, "baltk4.GWT"), overwrite = TRUE))
