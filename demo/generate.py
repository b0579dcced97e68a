#!/usr/bin/env python3
"""Synthetic but physically plausible rasters for the demo (labelled synthetic).

Writes ESRI ASCII grids (read by raster2pgsql through GDAL) on a 1 km grid in
EPSG:32119 (NAD83 / North Carolina, metres) covering the bundled North
Carolina counties.  Everything is a deterministic function of the position
and a fixed seed, so every run produces the same files.

    demo/generate.py OUTDIR

Layers (value units):
  landcover_<year>.asc    CLCD codes 1-9 for 2000, 2010 and 2020 (cities grow)
  npp_2020.asc            net primary productivity, g C m-2 yr-1
  temp_2020_<mm>.asc      monthly mean air temperature, degC (12 files)
  prec_2020_<mm>.asc      monthly precipitation, mm (12 files)
  runoff_2020.asc         annual runoff depth, mm
  lights_2020.asc         night-time light, digital number 0-63
"""
import math
import os
import sys

X0, Y0 = 116000.0, 18000.0      # lower-left corner, metres (EPSG:32119)
CELL = 1000.0
NCOLS, NROWS = 824, 312
NODATA = -9999

# real city locations (EPSG:32119 metres, approximate) and 2000 urban radius in km
CITIES = [
    ("Charlotte", 441000, 145000, 24.0), ("Raleigh", 640000, 225000, 19.0),
    ("Greensboro", 530000, 260000, 14.0), ("Durham", 618000, 248000, 12.0),
    ("Winston-Salem", 490000, 262000, 12.0), ("Fayetteville", 620000, 140000, 11.0),
    ("Wilmington", 720000, 60000, 10.0), ("Asheville", 290000, 205000, 9.0),
    ("Greenville", 760000, 210000, 7.0), ("High Point", 515000, 245000, 7.0),
]
# growth of urban radius relative to 2000
GROWTH = {2000: 1.0, 2010: 1.22, 2020: 1.45}


def hash_noise(i, j, layer):
    """Uniform value in [0, 1) from integer coordinates (splitmix64 mix)."""
    z = (i * 0x9E3779B97F4A7C15 + j * 0xBF58476D1CE4E5B9 + layer * 0x94D049BB133111EB + 2026) & (2**64 - 1)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
    return ((z ^ (z >> 31)) >> 11) / float(2**53)


def smooth(x, y, layer):
    """A smooth field in about [-1, 1]: a few fixed sinusoids."""
    k = layer * 0.37
    return (0.5 * math.sin(x / 61000.0 + k) * math.cos(y / 47000.0 - k)
            + 0.3 * math.sin((x + y) / 23000.0 + 2 * k) + 0.2 * math.cos((x - 2 * y) / 17000.0 + k))


def elevation(x):
    """Metres: mountains in the west, coastal plain in the east."""
    return max(0.0, 1200.0 * math.exp(-(x - 116000.0) / 160000.0) + 60.0)


def urban_intensity(x, y, year):
    best = 0.0
    for _, cx, cy, r_km in CITIES:
        r = r_km * 1000.0 * GROWTH[year]
        d = math.hypot(x - cx, y - cy)
        best = max(best, 1.0 - d / r if d < r else 0.0)
    return best


def landcover(i, j, x, y, year):
    u = urban_intensity(x, y, year) + 0.25 * (hash_noise(i, j, 1) - 0.5)
    if u > 0.35:
        return 8                                    # construction (impervious)
    east = (x - X0) / (NCOLS * CELL)                # 0 west .. 1 east
    s = smooth(x, y, 2) + 0.4 * (hash_noise(i, j, 3) - 0.5)
    if east > 0.93 and s > 0.25:
        return 5                                    # water (sounds)
    if east > 0.80 and s > 0.45:
        return 9                                    # wetland
    if east < 0.30:
        return 2 if s > -0.55 else 4                # mountains: forest, some grassland
    if s > 0.15:
        return 2                                    # forest
    if s > -0.35:
        return 1                                    # cropland
    if s > -0.55:
        return 4                                    # grassland
    if s > -0.62:
        return 3                                    # shrubland
    return 7                                        # unused (barren)


NPP_BY_CLASS = {1: 520.0, 2: 780.0, 3: 560.0, 4: 430.0, 5: 120.0, 6: 0.0, 7: 60.0, 8: 300.0, 9: 650.0}


def write_grid(path, value_at, fmt):
    with open(path, "w") as f:
        f.write(f"ncols {NCOLS}\nnrows {NROWS}\nxllcorner {X0:.1f}\nyllcorner {Y0:.1f}\n"
                f"cellsize {CELL:.1f}\nNODATA_value {NODATA}\n")
        for r in range(NROWS):
            y = Y0 + (NROWS - r - 0.5) * CELL       # first row is the northern edge
            f.write(" ".join(fmt % value_at(c, r, X0 + (c + 0.5) * CELL, y) for c in range(NCOLS)))
            f.write("\n")


def main(out):
    os.makedirs(out, exist_ok=True)
    lc2020 = {}
    for year in (2000, 2010, 2020):
        def lc(c, r, x, y, year=year):
            v = landcover(c, r, x, y, year)
            if year == 2020:
                lc2020[(c, r)] = v
            return v
        write_grid(os.path.join(out, f"landcover_{year}.asc"), lc, "%d")

    def npp(c, r, x, y):
        base = NPP_BY_CLASS[lc2020[(c, r)]]
        return base * (1.0 + 0.12 * smooth(x, y, 4) + 0.06 * (hash_noise(c, r, 5) - 0.5))
    write_grid(os.path.join(out, "npp_2020.asc"), npp, "%.1f")

    for m in range(1, 13):
        season = math.sin(2 * math.pi * (m - 4) / 12.0)

        def temp(c, r, x, y, season=season):
            lat_cool = (y - Y0) / 310000.0 * 2.5     # cooler to the north
            return 15.5 + 10.5 * season - 0.0065 * elevation(x) - lat_cool + 0.4 * smooth(x, y, 6)

        def prec(c, r, x, y, m=m):
            summer = 1.0 + 0.25 * math.sin(2 * math.pi * (m - 5) / 12.0)
            coast = 1.0 + 0.15 * (x - X0) / (NCOLS * CELL)
            return max(0.0, 95.0 * summer * coast * (1.0 + 0.2 * smooth(x, y, 7 + m)))
        write_grid(os.path.join(out, f"temp_2020_{m:02d}.asc"), temp, "%.2f")
        write_grid(os.path.join(out, f"prec_2020_{m:02d}.asc"), prec, "%.1f")

    def runoff(c, r, x, y):
        return 380.0 + 120.0 * smooth(x, y, 20) + 0.05 * elevation(x)
    write_grid(os.path.join(out, "runoff_2020.asc"), runoff, "%.1f")

    def lights(c, r, x, y):
        u = urban_intensity(x, y, 2020)
        return min(63, int(63 * u ** 0.6 + 3 * hash_noise(c, r, 21)))
    write_grid(os.path.join(out, "lights_2020.asc"), lights, "%d")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
