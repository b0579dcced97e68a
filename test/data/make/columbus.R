# test/data/columbus: the 49 Columbus (Ohio) neighbourhoods of spData with
# neighbour lists and Moran / LISA / Getis-Ord results of R spdep.
#   Rscript columbus.R OUTDIR
# Debian 12: r-base-core 4.2.2, r-cran-spdep 1.2-7, r-cran-sf 1.0-9 (GEOS 3.11.1),
# r-cran-spdata 2.2.1.
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "csv.R"))
suppressPackageStartupMessages({ library(sf); library(spdep) })
suppressMessages(sf_use_s2(FALSE))
dir.create(out, showWarnings = FALSE, recursive = TRUE)
ref <- function(df, name) write_ref(df, file.path(out, paste0(name, ".csv")))

x <- st_read(system.file("shapes/columbus.shp", package = "spData"), quiet = TRUE)
n <- nrow(x)
vars <- c("CRIME", "HOVAL", "INC")

# polygons exactly as shipped: every vertex, shapefile ring order
wkt <- vapply(st_geometry(x), function(g) {
  rings <- vapply(g, function(r) paste(shortest(r[, 1]), shortest(r[, 2]), collapse = ", "), "")
  paste0("POLYGON (", paste0("(", rings, ")", collapse = ", "), ")")
}, "")
ref(data.frame(id = seq_len(n), key = as.character(x$POLYID), label = as.character(x$NEIG),
               CRIME = x$CRIME, HOVAL = x$HOVAL, INC = x$INC, wkt = wkt), "data")

cent <- st_coordinates(st_centroid(st_geometry(x)))
ref(data.frame(id = seq_len(n), cx_native = cent[, 1], cy_native = cent[, 2]), "centroids")

data(columbus, package = "spData", envir = environment())
nbs <- list(
  queen = poly2nb(x, queen = TRUE),
  rook = poly2nb(x, queen = FALSE),
  knn4_native = knn2nb(knearneigh(cent, k = 4, longlat = FALSE)),
  knn6_native = knn2nb(knearneigh(cent, k = 6, longlat = FALSE)),
  dist = dnearneigh(cent, d1 = 0, d2 = 0.67, longlat = FALSE),
  dist_islands = dnearneigh(cent, d1 = 0, d2 = 0.45, longlat = FALSE),
  colgal = col.gal.nb)

edges <- function(nb) {
  j <- lapply(nb, function(v) v[v > 0])
  data.frame(id = rep(seq_along(nb), lengths(j)), nb_id = as.integer(unlist(j)))
}
for (w in names(nbs)) ref(edges(nbs[[w]]), paste0("nb_", w))

key <- function(w, style, ...) data.frame(dataset = "columbus", weights = w, style = style, ...)
global <- list(); mc <- list(); local <- list(); localg <- list()
for (w in names(nbs)) for (style in c("W", "B")) {
  lw <- nb2listw(nbs[[w]], style = style, zero.policy = TRUE)
  sc <- spweights.constants(lw, zero.policy = TRUE, adjust.n = TRUE)
  for (v in vars) {
    for (rnd in c(TRUE, FALSE)) {
      t1 <- moran.test(x[[v]], lw, randomisation = rnd, zero.policy = TRUE, adjust.n = TRUE)
      t2 <- moran.test(x[[v]], lw, randomisation = rnd, zero.policy = TRUE, adjust.n = TRUE,
                       alternative = "two.sided")
      global[[length(global) + 1]] <- key(w, style, variable = v,
        assumption = if (rnd) "randomisation" else "normality", n = n, n_used = as.integer(sc$n),
        S0 = sc$S0, S1 = sc$S1, S2 = sc$S2, I = unname(t1$estimate[1]), E_I = unname(t1$estimate[2]),
        Var_I = unname(t1$estimate[3]), Z_I = unname(t1$statistic), p_greater = t1$p.value,
        p_two_sided = t2$p.value)
    }
    set.seed(20240601)
    m <- moran.mc(x[[v]], lw, nsim = 999, zero.policy = TRUE)
    sims <- m$res[1:999]
    ge <- sum(sims >= m$statistic)
    mc[[length(mc) + 1]] <- key(w, style, variable = v, nsim = 999L, seed = 20240601L,
      I_observed = unname(m$statistic), observed_rank = as.integer(m$parameter), n_sims_ge_observed = ge,
      p_value_spdep = m$p.value, p_value_standard = (ge + 1) / 1000, sim_mean = mean(sims),
      sim_sd = sd(sims))
  }
  if (w %in% c("queen", "rook", "dist_islands") && style == "W") for (v in vars) {
    z <- x[[v]] - mean(x[[v]])
    lag_z <- lag.listw(lw, z, zero.policy = TRUE)
    cond <- localmoran(x[[v]], lw, zero.policy = TRUE)
    total <- localmoran(x[[v]], lw, zero.policy = TRUE, conditional = FALSE)
    q <- attr(cond, "quadr")
    local[[length(local) + 1]] <- key(w, style, variable = v, id = seq_len(n),
      card = card(nbs[[w]]), x = x[[v]], z = z, lag_z = lag_z,
      Ii = cond[, 1], E_Ii = cond[, 2], Var_Ii = cond[, 3], Z_Ii = cond[, 4], P_two_sided = cond[, 5],
      E_Ii_total = total[, 2], Var_Ii_total = total[, 3], Z_Ii_total = total[, 4],
      P_two_sided_total = total[, 5],
      quadrant = paste0(ifelse(z > 0, "H", "L"), ifelse(lag_z > 0, "H", "L")),
      spdep_quadr_pysal = as.character(q$pysal), spdep_quadr_mean = as.character(q$mean),
      spdep_quadr_median = as.character(q$median))
  }
  if (w %in% c("queen", "rook", "dist_islands")) for (star in c(TRUE, FALSE)) {
    nb <- if (star) include.self(nbs[[w]]) else nbs[[w]]
    lwg <- nb2listw(nb, style = style, zero.policy = TRUE)
    for (v in vars) {
      g <- attr(localG(x[[v]], lwg, zero.policy = TRUE, return_internals = TRUE), "internals")
      localg[[length(localg) + 1]] <- key(w, style, statistic = if (star) "Gstar" else "G",
        variable = v, id = seq_len(n), card = card(nb), G = g[, 1], E_G = g[, 2], Var_G = g[, 3],
        Z = g[, 4], P_two_sided = g[, 5])
    }
  }
}
ref(do.call(rbind, global), "global_moran")
ref(do.call(rbind, mc), "moran_mc")
ref(do.call(rbind, local), "local_moran")
ref(do.call(rbind, localg), "local_g")
