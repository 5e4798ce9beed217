//! WGS84 longitude/latitude → British National Grid (OSGB36, EPSG:27700) eastings and
//! northings, for the hotspot grid and for placing reports, sites and imported crimes.
//!
//! The transform is the one in PROJ's EPSG:27700 definition with the seven-parameter
//! Helmert datum shift (accurate to a few metres, ample for 250 m cells); proj4rs computes it.

use proj4rs::proj::Proj;

const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";
const EPSG_27700: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 \
     +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";

pub struct BritishNationalGrid {
    from: Proj,
    to: Proj,
}

impl Default for BritishNationalGrid {
    fn default() -> Self {
        Self::new()
    }
}

impl BritishNationalGrid {
    pub fn new() -> Self {
        BritishNationalGrid {
            from: Proj::from_proj_string(WGS84).expect("WGS84 definition"),
            to: Proj::from_proj_string(EPSG_27700).expect("EPSG:27700 definition"),
        }
    }

    /// (easting, northing) in metres, or `None` if the projection fails.
    pub fn project(&self, longitude: f64, latitude: f64) -> Option<(f64, f64)> {
        let mut p = (longitude.to_radians(), latitude.to_radians(), 0.0);
        proj4rs::transform::transform(&self.from, &self.to, &mut p).ok()?;
        (p.0.is_finite() && p.1.is_finite()).then_some((p.0, p.1))
    }

    /// (longitude, latitude) in degrees of a grid point: the inverse of [`Self::project`].
    pub fn unproject(&self, easting: f64, northing: f64) -> Option<(f64, f64)> {
        let mut p = (easting, northing, 0.0);
        proj4rs::transform::transform(&self.to, &self.from, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_points() {
        let bng = BritishNationalGrid::new();
        // Ordnance Survey's own worked example ("A guide to coordinate systems in Great
        // Britain", Annex C): Caister water tower, ETRS89 52°39'28.8282"N 1°42'57.8663"E
        // → OSGB36 651409.903 E, 313177.270 N (OSTN15). The Helmert shift is within ~5 m.
        let (e, n) = bng.project(1.0 + 42.0 / 60.0 + 57.8663 / 3600.0, 52.0 + 39.0 / 60.0 + 28.8282 / 3600.0).unwrap();
        assert!((e - 651_409.9).abs() < 5.0, "{e}");
        assert!((n - 313_177.3).abs() < 5.0, "{n}");
        // The true origin: 49°N 2°W is 400 000 E, -100 000 N (false origin offsets), to the
        // datum shift's few metres.
        let (e, n) = bng.project(-2.0, 49.0).unwrap();
        assert!((e - 400_000.0).abs() < 150.0, "{e}");
        assert!((n + 100_000.0).abs() < 150.0, "{n}");
        // And back: a Birmingham postcode's grid point to degrees and again to the grid.
        let (lon, lat) = bng.unproject(406_523.0, 286_448.0).unwrap();
        assert!((lon + 1.904).abs() < 0.01 && (lat - 52.48).abs() < 0.01, "{lon} {lat}");
        let (e, n) = bng.project(lon, lat).unwrap();
        assert!((e - 406_523.0).abs() < 0.01 && (n - 286_448.0).abs() < 0.01, "{e} {n}");
    }
}
