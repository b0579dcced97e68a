#!/usr/bin/python3
"""Independent NumPy re-implementation of the MGWR steps as PySAL mgwr
documents them (Sel_BW golden section, multi_bw backfitting with
bws_same_times=5, MGWR.fit hat-matrix replay for ENP_j and standard
errors), for an adaptive bisquare kernel.  Dense n x n: for small n only.

usage: gwr_mgwr_check.py data.csv [bw_min bw_max]
data.csv columns: x, y (coordinates), yv (response), x1..xk (covariates,
already standardised as wanted).  Prints JSON with the bandwidths, ENP per
term, AICc, RSS and the first rows' coefficients and standard errors."""
import json
import sys

import numpy as np


def weights(d, bw):
    # mgwr Kernel: adaptive bandwidth = k-th distance (self included) * 1.0000001
    band = np.partition(d, int(bw) - 1)[int(bw) - 1] * 1.0000001
    z = d / band
    w = (1 - z ** 2) ** 2
    w[d >= band] = 0
    return w


def gwr_lite(D, y, X, bw):
    n = len(y)
    params = np.empty_like(X)
    influ = np.empty(n)
    for i in range(n):
        w = weights(D[i], bw)
        xT = (X * w[:, None]).T
        C = np.linalg.solve(xT @ X, xT)
        params[i] = C @ y
        influ[i] = X[i] @ C[:, i]
    predy = np.sum(X * params, axis=1)
    return params, predy, y - predy, influ


def aicc(resid, influ):
    n = len(resid)
    rss = resid @ resid
    trs = influ.sum()
    llf = -n / 2 * (1 + np.log(2 * np.pi * rss / n))
    return -2 * llf + 2 * n * (trs + 1) / (n - trs - 2)


def golden(D, y, X, a, c):
    delta = 0.38197
    b = a + delta * abs(c - a)
    d = c - delta * abs(c - a)
    diff, it, cache, opt = 1e9, 0, {}, None
    f = lambda bw: aicc(*gwr_lite(D, y, X, bw)[2:])
    while abs(diff) > 1e-6 and it < 200:
        it += 1
        b, d = np.round(b), np.round(d)
        sb = cache[b] if b in cache else cache.setdefault(b, f(b))
        sd = cache[d] if d in cache else cache.setdefault(d, f(d))
        if sb <= sd:
            opt = b
            c, d = d, b
            b = a + delta * abs(c - a)
        else:
            opt = d
            a, b = b, d
            d = c - delta * abs(c - a)
        diff = sb - sd
    return opt


def main():
    data = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
    coords, y = data[:, :2], data[:, 2]
    X = np.hstack([np.ones((len(y), 1)), data[:, 3:]])
    n, k = X.shape
    D = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1))
    lo = float(sys.argv[2]) if len(sys.argv) > 2 else 40 + 2
    hi = float(sys.argv[3]) if len(sys.argv) > 3 else n
    bw0 = golden(D, y, X, 40 + 2 * k, n)
    params, predy, err, _ = gwr_lite(D, y, X, bw0)
    XB = params * X
    bws, stable, hist = np.full(k, np.nan), np.ones(k), []
    for it in range(200):
        new_XB, new_params = np.zeros_like(X), np.zeros_like(X)
        for j in range(k):
            ty, tX = XB[:, j] + err, X[:, j:j + 1]
            if np.all(stable == 5):
                bw = bws[j]
            else:
                bw = golden(D, ty, tX, lo, hi)
                if bw == bws[j]:
                    stable[j] += 1
                else:
                    stable = np.ones(k)
            p, pr, err, _ = gwr_lite(D, ty, tX, bw)
            new_XB[:, j], new_params[:, j], bws[j] = pr, p[:, 0], bw
        score = np.sqrt(np.sum((new_XB - XB) ** 2) / n / np.sum(np.sum(new_XB, axis=1) ** 2))
        XB, params = new_XB, new_params
        hist.append(bws.copy())
        if score < 1e-5:
            break
    # hat matrices R_j replayed over the bandwidth history (mgwr _chunk_compute_R)
    pR = np.zeros((n, n, k))
    for i in range(n):
        w = weights(D[i], bw0)
        xT = (X * w[:, None]).T
        pR[i] = np.linalg.solve(xT @ X, xT).T * X[i]
    errR = np.eye(n) - pR.sum(axis=2)
    for bwrow in hist:
        for j in range(k):
            old = pR[:, :, j] + errR
            Xj = X[:, j]
            A = np.empty((n, n))
            for i in range(n):
                xw = Xj * weights(D[i], bwrow[j])
                A[i] = Xj[i] / np.sum(xw * Xj) * xw
            pR[:, :, j] = A @ old
            errR = old - pR[:, :, j]
    enp = np.array([np.trace(pR[:, :, j]) for j in range(k)])
    cct = np.stack([((pR[:, :, j] / X[:, j:j + 1]) ** 2).sum(axis=1) for j in range(k)], axis=1)
    predy = np.sum(X * params, axis=1)
    resid = y - predy
    rss = resid @ resid
    trs = enp.sum()
    sigma2 = rss / (n - trs)
    llf = -n / 2 * (1 + np.log(2 * np.pi * rss / n))
    out = {"gwr_bw": bw0, "bandwidths": bws.tolist(), "iterations": len(hist), "enp": enp.tolist(),
           "tr_s": trs, "rss": rss, "aicc": -2 * llf + 2 * n * (trs + 1) / (n - trs - 2),
           "sigma2": sigma2, "beta_first_rows": params[:3].tolist(),
           "se_first_rows": np.sqrt(cct[:3] * sigma2).tolist(),
           "s_y_minus_predy_max": float(np.max(np.abs(pR.sum(axis=2) @ y - predy)))}
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
