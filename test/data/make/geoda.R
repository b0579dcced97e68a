# test/data/columbus and test/data/nc: references of the statistics GeoDa and
# PySAL users reach for beside Moran's I: bivariate Moran, Moran's I of
# empirical Bayes rates, differential Moran, Geary's C (global and local), join
# counts (global and local) and the spatial lag.
#   Rscript geoda.R OUTDIR SIDS2_DIR
# SIDS2_DIR holds sids2.shp/.dbf/.gal of libpysal's examples (Debian
# python3-libpysal 4.7.0), the data and weights of esda's own tests.
# Debian 12: r-base-core 4.2.2, r-cran-spdep 1.2-7, r-cran-sf 1.0-9 (GEOS 3.11.1),
# r-cran-spdata 2.2.1.
#
# R spdep gives what it has (moran_bv, localmoran_bv, geary.test, geary.mc,
# localC, joincount.multi, local_joincount_uni, EBImoran.mc, moran.test,
# localmoran, lag.listw).  What it lacks is computed here from the published
# formulas, each checked against simulation or enumeration before it is
# written:
#  - the moments of bivariate Moran when y is permuted (global) or drawn for
#    the neighbours of a unit holding x_i (local), of local Geary and of the
#    local join count under conditional permutation;
#  - pseudo p-values of conditional permutations without replacement with
#    20,000 draws per unit (spdep's localmoran_bv and local_joincount_uni draw
#    with replacement): folded (M + 1) / (R + 1) as esda, and for local Geary
#    GeoDa's rule (the draws on the side of the expectation c_i lies on);
#  - GeoDa's cluster categories from those p-values.
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
sids2_dir <- args[2]
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "csv.R"))
suppressPackageStartupMessages({ library(sf); library(spdep) })
suppressMessages(sf_use_s2(FALSE))
for (d in c("columbus", "nc")) dir.create(file.path(out, d), showWarnings = FALSE, recursive = TRUE)
ref <- function(df, name) write_ref(df, file.path(out, paste0(name, ".csv")))
edges <- function(nb) {
  j <- lapply(nb, function(v) v[v > 0])
  data.frame(id = rep(seq_along(nb), lengths(j)), nb_id = as.integer(unlist(j)))
}
key <- function(w, style, ...) data.frame(weights = w, style = style, ...)
R_REF <- 20000L

# ---- formulas checked below ----

# centred, and standardised with the sample sd as base::scale
centre <- function(v) v - mean(v)
std <- function(v) as.numeric(scale(v))

# bivariate Moran (spdep moran_bv's bvm on scaled x, y) and its moments when y is permuted
bv_global <- function(x, y, lw) {
  cx <- centre(x); cy <- centre(y); n <- length(x)
  a <- numeric(n)
  for (i in seq_len(n)) {
    j <- lw$neighbours[[i]]
    if (length(j) && j[1] > 0) a[j] <- a[j] + lw$weights[[i]] * cx[i]
  }
  list(I = sum(std(x) * lag.listw(lw, std(y), zero.policy = TRUE)) / sum(std(x)^2),
       E = 0, Var = sum((a - mean(a))^2) / ((n - 1) * sum(cx^2)))
}

# one unit's (E, Var) of a * sum_t w_t v[d_t], d drawn without replacement from the other n - 1 units
draw_moments <- function(a, w, v, i) {
  o <- v[-i]; N <- length(o)
  mu <- mean(o); s2 <- mean((o - mu)^2)
  c(a * sum(w) * mu, a^2 * s2 * N / (N - 1) * (sum(w^2) - sum(w)^2 / N))
}

bv_local_moments <- function(x, y, lw) {
  cx <- centre(x); cy <- centre(y); n <- length(x)
  t(vapply(seq_len(n), function(i) {
    w <- lw$weights[[i]]
    if (!length(w) || lw$neighbours[[i]][1] == 0) return(c(0, 0))
    draw_moments((n - 1) * cx[i] / sqrt(sum(cx^2) * sum(cy^2)), w, cy, i)
  }, numeric(2)))
}

# local Geary on sample-sd z (GeoDa, spdep localC) and E(c_i) under conditional permutation
geary_expected <- function(x, lw) {
  z <- std(x); n <- length(z)
  vapply(seq_len(n), function(i) {
    w <- lw$weights[[i]]
    if (!length(w) || lw$neighbours[[i]][1] == 0) return(NA_real_)
    o <- z[-i]
    sum(w) * mean((z[i] - o)^2)
  }, 0)
}

ljc_expected <- function(b, lw) {
  n <- length(b)
  vapply(seq_len(n), function(i) {
    w <- lw$weights[[i]]
    if (!length(w) || lw$neighbours[[i]][1] == 0) return(0)
    b[i] * sum(w) * mean(b[-i])
  }, 0)
}

# conditional draws of unit i's statistic stat(drawn indices): R_REF draws without replacement
unit_draws <- function(i, n, k, stat) {
  o <- seq_len(n)[-i]
  vapply(seq_len(R_REF), function(r) stat(o[sample.int(n - 1L, k)]), 0)
}
folded_p <- function(sims, obs) {
  ge <- sum(sims >= obs)
  (min(ge, length(sims) - ge) + 1) / (length(sims) + 1)
}

# ---- checks of the formulas: enumeration of every draw on a small case, and simulation ----

local({
  set.seed(1)
  v <- c(3.1, -1.2, 0.4, 2.2, -0.7, 1.9, -3.3); i <- 2; w <- c(0.5, 0.3, 0.2); a <- 1.7
  o <- seq_along(v)[-i]
  draws <- as.matrix(expand.grid(o, o, o)); draws <- draws[apply(draws, 1, function(d) length(unique(d)) == 3), ]
  sims <- a * (matrix(v[draws], ncol = 3) %*% w)
  m <- draw_moments(a, w, v, i)
  stopifnot(abs(mean(sims) - m[1]) < 1e-12, abs(mean((sims - mean(sims))^2) - m[2]) < 1e-12)
  # local Geary and local join count expectations by the same enumeration
  zi <- v[i]
  cg <- (zi - matrix(v[draws], ncol = 3))^2 %*% w
  stopifnot(abs(mean(cg) - sum(w) * mean((zi - v[-i])^2)) < 1e-12)
})

# ---- Columbus ----

x <- st_read(system.file("shapes/columbus.shp", package = "spData"), quiet = TRUE)
n <- nrow(x)
cent <- st_coordinates(st_centroid(st_geometry(x)))
data(columbus, package = "spData", envir = environment())
nbs <- list(
  queen = poly2nb(x, queen = TRUE),
  rook = poly2nb(x, queen = FALSE),
  knn4_native = knn2nb(knearneigh(cent, k = 4, longlat = FALSE)),
  dist = dnearneigh(cent, d1 = 0, d2 = 0.67, longlat = FALSE),
  dist_islands = dnearneigh(cent, d1 = 0, d2 = 0.45, longlat = FALSE),
  colgal = col.gal.nb)
vars <- c("CRIME", "HOVAL", "INC")
pairs <- list(c("CRIME", "INC"), c("INC", "HOVAL"), c("HOVAL", "CRIME"))
ref(data.frame(id = seq_len(n), CP = as.integer(x$CP), EW = as.integer(x$EW)), "columbus/binary")

set.seed(20240601)
bivariate <- list(); local_bv <- list(); geary_rows <- list(); local_geary <- list()
jc_rows <- list(); local_jc <- list(); lags <- list()
for (w in names(nbs)) for (style in c("W", "B")) {
  lw <- nb2listw(nbs[[w]], style = style, zero.policy = TRUE)
  islands <- any(card(nbs[[w]]) == 0)
  crd <- card(nbs[[w]])

  # bivariate Moran: spdep moran_bv (which refuses islands) and the permutation moments
  for (p in pairs) {
    b <- bv_global(x[[p[1]]], x[[p[2]]], lw)
    if (!islands) stopifnot(abs(moran_bv(x[[p[1]]], x[[p[2]]], lw, nsim = 9)$t0 - b$I) < 1e-12)
    sx <- std(x[[p[1]]]); sy <- std(x[[p[2]]])
    sims <- vapply(seq_len(R_REF), function(r) sum(sx * lag.listw(lw, sample(sy), zero.policy = TRUE)) / sum(sx^2), 0)
    stopifnot(abs(mean(sims) - b$E) < 5 * sqrt(b$Var / R_REF), abs(var(sims) / b$Var - 1) < 0.05)
    bivariate[[length(bivariate) + 1]] <- key(w, style, x = p[1], y = p[2], n = n, I = b$I, E_I = b$E,
      Var_I = b$Var, sim_mean = mean(sims), sim_var = var(sims), p_sim_ref = folded_p(sims, b$I))
  }

  # Geary's C: spdep geary.test under both assumptions, geary.mc for the permutations
  for (v in vars) {
    mc <- geary.mc(x[[v]], lw, nsim = R_REF, zero.policy = TRUE)
    for (rnd in c(TRUE, FALSE)) {
      t2 <- geary.test(x[[v]], lw, randomisation = rnd, zero.policy = TRUE, adjust.n = TRUE,
                       alternative = "two.sided")
      geary_rows[[length(geary_rows) + 1]] <- key(w, style, variable = v,
        assumption = if (rnd) "randomisation" else "normality", n = n, n_used = sum(crd > 0),
        C = unname(t2$estimate[1]), E_C = unname(t2$estimate[2]), Var_C = unname(t2$estimate[3]),
        Z_C = unname(t2$statistic), p_two_sided = t2$p.value,
        p_sim_ref = folded_p(mc$res[seq_len(R_REF)], mc$statistic))
    }
  }

  # join counts: spdep joincount.multi (colours 0 and 1), permutations of the colours
  for (v in c("CP", "EW")) {
    f <- factor(x[[v]], levels = c(0, 1))
    jm <- joincount.multi(f, lw, zero.policy = TRUE)
    jc_of <- function(b) {
      l <- lag.listw(lw, b, zero.policy = TRUE); r <- lag.listw(lw, rep(1, n), zero.policy = TRUE)
      c(BB = sum(b * l) / 2, BW = sum(b * (r - l) + (1 - b) * l) / 2, WW = sum((1 - b) * (r - l)) / 2)
    }
    obs <- jc_of(x[[v]])
    stopifnot(abs(obs[["BB"]] - jm["1:1", 1]) < 1e-9, abs(obs[["WW"]] - jm["0:0", 1]) < 1e-9,
              abs(obs[["BW"]] - jm["1:0", 1]) < 1e-9)
    sims <- vapply(seq_len(R_REF), function(r) jc_of(sample(x[[v]])), numeric(3))
    for (kind in c("BB", "BW", "WW")) {
      row <- c(BB = "1:1", BW = "1:0", WW = "0:0")[[kind]]
      jc_rows[[length(jc_rows) + 1]] <- key(w, style, variable = v, kind = kind, n = n,
        n_used = sum(crd > 0), count = jm[row, 1], expected = jm[row, 2], variance = jm[row, 3],
        z = jm[row, 4], p_two_sided = 2 * pnorm(abs(jm[row, 4]), lower.tail = FALSE),
        p_sim_ref = folded_p(sims[kind, ], obs[[kind]]))
    }
  }

  lags[[length(lags) + 1]] <- key(w, style, id = seq_len(n), card = crd,
                                   lag_crime = lag.listw(lw, x$CRIME, zero.policy = TRUE))

  if (!(w %in% c("queen", "rook", "dist_islands"))) next
  if (style == "W") {
    # local bivariate Moran: spdep localmoran_bv's statistic, moments and p-values of draws without replacement
    for (p in pairs[1:2]) {
      xv <- x[[p[1]]]; yv <- x[[p[2]]]
      sx <- std(xv); sy <- std(yv)
      ibv <- sx * lag.listw(lw, sy, zero.policy = TRUE)
      if (!islands) stopifnot(max(abs(localmoran_bv(xv, yv, lw, nsim = 9)[, 1] - ibv)) < 1e-12)
      mom <- bv_local_moments(xv, yv, lw)
      lag_y <- lag.listw(lw, centre(yv), zero.policy = TRUE)
      p_ref <- vapply(seq_len(n), function(i) {
        if (crd[i] == 0) return(NA_real_)
        wi <- lw$weights[[i]]
        folded_p(unit_draws(i, n, crd[i], function(d) sx[i] * sum(wi * sy[d])), ibv[i])
      }, 0)
      quadrant <- paste0(ifelse(centre(xv) > 0, "H", "L"), ifelse(lag_y > 0, "H", "L"))
      local_bv[[length(local_bv) + 1]] <- key(w, style, x = p[1], y = p[2], id = seq_len(n), card = crd,
        Ibvi = ibv, E_Ibvi = mom[, 1], Var_Ibvi = mom[, 2], p_sim_ref = p_ref, quadrant = quadrant,
        cluster_ref = ifelse(!is.na(p_ref) & p_ref < 0.05, quadrant, "not significant"))
    }
    # local Geary: spdep localC, E(c_i), GeoDa's pseudo p-value and cluster categories
    for (v in vars) {
      z <- std(x[[v]])
      ci <- localC(x[[v]], lw, zero.policy = TRUE)
      e <- geary_expected(x[[v]], lw)
      lag_z <- lag.listw(lw, z, zero.policy = TRUE)
      p_ref <- vapply(seq_len(n), function(i) {
        if (crd[i] == 0) return(NA_real_)
        wi <- lw$weights[[i]]
        sims <- unit_draws(i, n, crd[i], function(d) sum(wi * (z[i] - z[d])^2))
        if (ci[i] <= e[i]) (sum(sims <= ci[i]) + 1) / (R_REF + 1) else (sum(sims > ci[i]) + 1) / (R_REF + 1)
      }, 0)
      quadrant <- paste0(ifelse(z > 0, "H", "L"), ifelse(lag_z > 0, "H", "L"))
      cluster <- ifelse(is.na(p_ref) | p_ref > 0.05, "not significant",
                 ifelse(ci > e, "negative", ifelse(quadrant %in% c("HH", "LL"), quadrant, "other positive")))
      local_geary[[length(local_geary) + 1]] <- key(w, style, variable = v, id = seq_len(n), card = crd,
        c = ifelse(crd == 0, NA_real_, unclass(ci)), E_c = e, p_sim_ref = p_ref, quadrant = quadrant,
        cluster_ref = cluster)
    }
  } else {
    # local join count on binary weights: spdep local_joincount_uni's BB, E(BB_i), p-values (NA where BB_i = 0)
    for (v in c("CP", "EW")) {
      b <- x[[v]]
      bb <- b * lag.listw(lw, b, zero.policy = TRUE)
      if (!islands) {
        # (spdep warns that the chosen colour is the more frequent one for EW)
        lj <- suppressWarnings(local_joincount_uni(factor(b, levels = c(0, 1)), "1", lw, nsim = 9))
        stopifnot(max(abs(lj$BB - bb)) < 1e-12)
      }
      p_ref <- vapply(seq_len(n), function(i) {
        if (bb[i] == 0) return(NA_real_)
        folded_p(unit_draws(i, n, crd[i], function(d) sum(b[d])), bb[i])
      }, 0)
      local_jc[[length(local_jc) + 1]] <- key(w, style, variable = v, id = seq_len(n), card = crd,
        x = as.integer(b), BB = bb, E_BB = ljc_expected(b, lw), p_sim_ref = p_ref)
    }
  }
}
ref(do.call(rbind, bivariate), "columbus/bivariate")
ref(do.call(rbind, local_bv), "columbus/local_bivariate")
ref(do.call(rbind, geary_rows), "columbus/geary")
ref(do.call(rbind, local_geary), "columbus/local_geary")
ref(do.call(rbind, jc_rows), "columbus/join_counts")
ref(do.call(rbind, local_jc), "columbus/local_join_count")
ref(do.call(rbind, lags), "columbus/spatial_lag")

# ---- North Carolina SIDS (libpysal sids2: the data and rook weights of esda's tests) ----

nc <- st_read(file.path(sids2_dir, "sids2.shp"), quiet = TRUE)
m <- nrow(nc)
wkt <- vapply(st_geometry(nc), function(g) {
  polys <- vapply(g, function(p) {
    rings <- vapply(p, function(r) paste(shortest(r[, 1]), shortest(r[, 2]), collapse = ", "), "")
    paste0("(", paste0("(", rings, ")", collapse = ", "), ")")
  }, "")
  paste0("MULTIPOLYGON (", paste(polys, collapse = ", "), ")")
}, "")
ref(data.frame(id = seq_len(m), fipsno = as.integer(nc$FIPSNO), name = as.character(nc$NAME),
               SID74 = nc$SID74, BIR74 = nc$BIR74, SID79 = nc$SID79, BIR79 = nc$BIR79,
               SIDR74 = nc$SIDR74, SIDR79 = nc$SIDR79, NWR74 = nc$NWR74, NWR79 = nc$NWR79, wkt = wkt),
    "nc/data")
gal <- read.gal(file.path(sids2_dir, "sids2.gal"), region.id = nc$FIPSNO)
rook <- poly2nb(nc, queen = FALSE, row.names = nc$FIPSNO)
stopifnot(sum(card(suppressWarnings(diffnb(rook, gal)))) == 0)
ref(edges(gal), "nc/nb_rook")

rate_rows <- list(); local_rate <- list(); change_rows <- list(); local_change <- list()
moran_rows <- function(v, lw, style, ...) {
  do.call(rbind, lapply(c(TRUE, FALSE), function(rnd) {
    t2 <- moran.test(v, lw, randomisation = rnd, zero.policy = TRUE, alternative = "two.sided")
    key("rook", style, ..., assumption = if (rnd) "randomisation" else "normality",
        I = unname(t2$estimate[1]), E_I = unname(t2$estimate[2]), Var_I = unname(t2$estimate[3]),
        Z_I = unname(t2$statistic), p_two_sided = t2$p.value)
  }))
}
local_rows <- function(v, lw, ...) {
  lm <- localmoran(v, lw, zero.policy = TRUE)
  z <- centre(v)
  data.frame(..., id = seq_len(m), Ii = lm[, 1], E_Ii = lm[, 2], Var_Ii = lm[, 3], Z_Ii = lm[, 4],
             P_two_sided = lm[, 5],
             quadrant = paste0(ifelse(z > 0, "H", "L"), ifelse(lag.listw(lw, z) > 0, "H", "L")))
}
for (yr in c("74", "79")) {
  e <- nc[[paste0("SID", yr)]]; b <- nc[[paste0("BIR", yr)]]
  # Assuncao & Reis (1999) as esda assuncao_rate; a variance a + mr / b that is not positive
  # would be mr / b (spdep EBImoran.mc), but the SIDS data have none
  r <- e / b; mr <- sum(e) / sum(b)
  a_est <- sum(b * (r - mr)^2) / sum(b) - mr / (sum(b) / m)
  v <- a_est + mr / b
  stopifnot(all(v > 0))
  z <- (r - mr) / sqrt(v)
  for (style in c("W", "B")) {
    lw <- nb2listw(gal, style = style)
    # spdep's EB index is Moran's I of z
    ebi <- suppressMessages(EBImoran.mc(e, b, lw, nsim = 9))
    stopifnot(abs(ebi$statistic - moran.test(z, lw)$estimate[1]) < 1e-12)
    rate_rows[[length(rate_rows) + 1]] <- moran_rows(z, lw, style, events = paste0("SID", yr),
                                                     population = paste0("BIR", yr))
  }
  local_rate[[length(local_rate) + 1]] <- local_rows(z, nb2listw(gal, style = "W"),
    weights = "rook", style = "W", events = paste0("SID", yr), population = paste0("BIR", yr))
}
change <- nc$SIDR79 - nc$SIDR74
for (style in c("W", "B"))
  change_rows[[length(change_rows) + 1]] <- moran_rows(change, nb2listw(gal, style = style), style,
                                                       t0 = "SIDR74", t1 = "SIDR79")
local_change[[1]] <- local_rows(change, nb2listw(gal, style = "W"), weights = "rook", style = "W",
                                t0 = "SIDR74", t1 = "SIDR79")
ref(do.call(rbind, rate_rows), "nc/rate_moran")
ref(do.call(rbind, local_rate), "nc/local_rate_moran")
ref(do.call(rbind, change_rows), "nc/differential_moran")
ref(do.call(rbind, local_change), "nc/local_differential_moran")
