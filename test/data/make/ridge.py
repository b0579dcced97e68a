#!/usr/bin/python3
"""test/data/ridge/ridge_coefficients.csv: ridge regressions of the STIRPAT
model ln CE ~ ln P + ln W + ln IS + ln TI + ln UR + ln CEI on
test/data/ridge/stirpat_data.csv, in two conventions, for K in
{0, 0.01, 0.02, 0.05, 0.1}:

  i_correlation_form   (Hoerl-Kennard; SPSS ridge macro, NCSS): on the
                       correlation matrix R of the logs, b* = (R + kI)^-1 r,
                       b_j = b*_j sd(y)/sd(x_j), b0 = ybar - xbar'b,
                       VIF = diag((R + kI)^-1 R (R + kI)^-1)
  ii_plain_glmnet_like a plain penalty on the centred logs,
                       b = (Xc'Xc/n + k I)^-1 Xc'yc/n, std_coef = b_j sd(x_j)/sd(y),
                       VIF analogue diag((S + nkI)^-1 S (S + nkI)^-1) diag(S), S = Xc'Xc

    python3 ridge.py stirpat_data.csv OUTDIR
Debian 12: python3 3.11, python3-numpy 1.24.2.
"""
import csv
import sys

import numpy as np

TERMS = ["P", "W", "IS", "TI", "UR", "CEI"]
KS = [0.0, 0.01, 0.02, 0.05, 0.1]


def main(data_file, out_dir):
    with open(data_file, newline="") as f:
        rows = list(csv.DictReader(f))
    y = np.log([float(r["CE"]) for r in rows])
    x = np.log([[float(r[t]) for t in TERMS] for r in rows])
    n, p = x.shape
    xc = x - x.mean(axis=0)
    yc = y - y.mean()
    sd_x = x.std(axis=0, ddof=1)
    sd_y = y.std(ddof=1)
    corr = np.corrcoef(x, rowvar=False)
    r_xy = np.array([np.corrcoef(x[:, j], y)[0, 1] for j in range(p)])
    cross = xc.T @ xc
    eye = np.eye(p)

    out = []
    for convention in ("i_correlation_form", "ii_plain_glmnet_like"):
        for k in KS:
            if convention == "i_correlation_form":
                inv = np.linalg.inv(corr + k * eye)
                std_coef = inv @ r_xy
                coef = std_coef * sd_y / sd_x
                vif = np.diag(inv @ corr @ inv)
            else:
                coef = np.linalg.solve(cross / n + k * eye, xc.T @ yc / n)
                std_coef = coef * sd_x / sd_y
                inv = np.linalg.inv(cross + n * k * eye)
                vif = np.diag(inv @ cross @ inv) * np.diag(cross)
            intercept = y.mean() - x.mean(axis=0) @ coef
            rss = float(np.sum((y - intercept - x @ coef) ** 2))
            r2 = 1 - rss / float(np.sum(yc ** 2))
            adj = 1 - (1 - r2) * (n - 1) / (n - p - 1)
            fit = [repr(r2), repr(adj), repr(rss)]
            out.append([convention, repr(k), "Intercept", "", repr(float(intercept)), ""] + fit)
            for j, t in enumerate(TERMS):
                out.append([convention, repr(k), "ln" + t, repr(float(std_coef[j])), repr(float(coef[j])),
                            repr(float(vif[j]))] + fit)
    with open(f"{out_dir}/ridge_coefficients.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["convention", "k", "term", "std_coef", "coef", "VIF", "R2", "adj_R2", "RSS"])
        w.writerows(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
