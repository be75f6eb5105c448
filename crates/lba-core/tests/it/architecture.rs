//! The import rules of ARCHITECTURE.md, enforced from the `Cargo.toml`
//! files: each crate's `[dependencies]` on workspace crates must be among
//! those its rule allows, and every crate must have a rule.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Workspace crates each crate may depend on (`[dependencies]` only).
const RULES: &[(&str, &[&str])] = &[
    ("lba-core", &[]),
    ("lba-campaign", &["lba-core"]),
    ("lba-model", &["lba-core"]),
    ("lba-search", &["lba-core"]),
    ("lba-learning", &["lba-core"]),
    ("lba-data", &["lba-core", "lba-model", "lba-campaign"]),
    ("lba-store", &["lba-core", "lba-campaign", "lba-data"]),
    ("lba-notify", &["lba-core", "lba-campaign", "lba-store"]),
    (
        "lba-app",
        &[
            "lba-core",
            "lba-campaign",
            "lba-model",
            "lba-search",
            "lba-data",
            "lba-store",
            "lba-notify",
            "lba-learning",
        ],
    ),
    (
        "lba-web",
        &["lba-app", "lba-core", "lba-campaign", "lba-search"],
    ),
    (
        "lba-cli",
        &[
            "lba-core",
            "lba-campaign",
            "lba-model",
            "lba-search",
            "lba-data",
            "lba-store",
            "lba-notify",
            "lba-app",
            "lba-web",
            "lba-learning",
        ],
    ),
];

/// The workspace crates named in the `[dependencies]` table of `manifest`
/// (`lba-x.workspace = true`, `lba-x = { … }` or `lba-x = "…"`).
fn workspace_dependencies(manifest: &str) -> BTreeSet<String> {
    let mut in_dependencies = false;
    let mut found = BTreeSet::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if !in_dependencies {
            continue;
        }
        let key = line
            .split(['=', '.', ' '])
            .next()
            .unwrap_or_default()
            .trim_matches('"');
        if key.starts_with("lba-") {
            found.insert(key.to_owned());
        }
    }
    found
}

fn manifests() -> BTreeMap<String, String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut manifests = BTreeMap::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let path = entry.unwrap().path().join("Cargo.toml");
        if path.is_file() {
            let name = path
                .parent()
                .and_then(Path::file_name)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            manifests.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    manifests
}

#[test]
fn every_crate_imports_only_what_its_rule_allows() {
    let manifests = manifests();
    assert!(manifests.len() >= 10, "{:?}", manifests.keys());
    let rules: BTreeMap<&str, &[&str]> = RULES.iter().copied().collect();
    let mut broken = Vec::new();
    for (name, manifest) in &manifests {
        let Some(allowed) = rules.get(name.as_str()) else {
            broken.push(format!(
                "{name}: no rule; add it to RULES here and to ARCHITECTURE.md"
            ));
            continue;
        };
        for dependency in workspace_dependencies(manifest) {
            if !allowed.contains(&dependency.as_str()) {
                broken.push(format!("{name} must not depend on {dependency}"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_web_layer_is_a_leaf_and_never_reaches_storage() {
    let manifests = manifests();
    for (name, manifest) in &manifests {
        let deps = workspace_dependencies(manifest);
        assert!(!deps.contains("lba-cli"), "{name} depends on lba-cli");
        if name != "lba-cli" {
            assert!(!deps.contains("lba-web"), "{name} depends on lba-web");
        }
    }
    let web = workspace_dependencies(&manifests["lba-web"]);
    assert!(
        !web.contains("lba-store"),
        "lba-web calls use cases of lba-app, never the store"
    );
}

#[test]
fn the_parser_reads_every_form_of_dependency() {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nlba-core.workspace = true\n\
        lba-store = { workspace = true }\n\"lba-app\" = \"0.1\"\nserde.workspace = true\n\n\
        [dev-dependencies]\nlba-web.workspace = true\n";
    let deps: Vec<String> = workspace_dependencies(manifest).into_iter().collect();
    assert_eq!(deps, ["lba-app", "lba-core", "lba-store"]);
}

#[test]
fn architecture_md_lists_every_crate() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md"),
    )
    .unwrap();
    for name in manifests().keys() {
        assert!(
            doc.contains(&format!("`{name}`")),
            "ARCHITECTURE.md does not describe {name}"
        );
    }
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// ARCHITECTURE.md: no non-test source file over 500 lines (split by
/// responsibility instead).
#[test]
fn no_source_file_is_over_500_lines() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for name in manifests().keys() {
        rust_files(&crates.join(name).join("src"), &mut files);
    }
    assert!(files.len() > 100, "{} source files found", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > 500).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files: {long:?}");
}
