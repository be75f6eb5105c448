//! Installs the front-end libraries (`@gouvfr/dsfr`, `leaflet`) that
//! `src/assets.rs` serves, so that `cargo run -- serve` is enough on a fresh
//! machine with Node.js. A machine without npm (or offline) still builds the
//! Rust code: it only gets a warning, and the pages then lack their styles.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=assets/package.json");
    println!("cargo:rerun-if-changed=assets/package-lock.json");

    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let assets = Path::new(&manifest_dir).join("assets");
    let needed = [
        "node_modules/@gouvfr/dsfr/dist",
        "node_modules/leaflet/dist",
    ];
    if needed.iter().all(|dir| assets.join(dir).is_dir()) {
        return;
    }

    // `npm.cmd` on Windows; `npm` elsewhere.
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    // `--ignore-scripts` (also in assets/.npmrc): DSFR's preinstall script
    // refuses to run outside a DSFR-scaffolded project, and we only need the
    // prebuilt `dist/` folders.
    let status = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(&assets)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => println!(
            "cargo:warning=`npm ci` in {} failed ({s}): /assets/dsfr and /assets/leaflet will answer 404",
            assets.display()
        ),
        Err(e) => println!(
            "cargo:warning=npm not found ({e}): run `npm ci` in {} to serve /assets/dsfr and /assets/leaflet",
            assets.display()
        ),
    }
}
