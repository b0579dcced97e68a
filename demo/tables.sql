-- Staging tables that raster2pgsql appends to, and the analysis tables.
CREATE TABLE landcover_load (rid serial PRIMARY KEY, rast raster);
CREATE TABLE landcover (year int, rast raster);
COMMENT ON TABLE landcover IS 'Synthetic CLCD land cover, 1 km, EPSG:32119, tiles of 128 x 128 pixels';
CREATE TABLE npp_load (rid serial PRIMARY KEY, rast raster);
CREATE TABLE runoff_load (rid serial PRIMARY KEY, rast raster);
CREATE TABLE lights_load (rid serial PRIMARY KEY, rast raster);
CREATE TABLE temp_load (rid serial PRIMARY KEY, rast raster, month int);
CREATE TABLE prec_load (rid serial PRIMARY KEY, rast raster, month int);
