//! Selector helpers for the HTML page tests.

use scraper::{ElementRef, Html, Selector};

/// The elements matching `css`.
pub fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&selector).collect()
}

/// The one element matching `css`.
pub fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let found = all(doc, css);
    assert_eq!(
        found.len(),
        1,
        "{css}: {} matches in {}",
        found.len(),
        doc.html()
    );
    found[0]
}

/// The text of the element matching `css`, whitespace collapsed.
pub fn text(doc: &Html, css: &str) -> String {
    words(one(doc, css))
}

/// The text of `element`, whitespace collapsed.
pub fn words(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `attr` of the element matching `css`.
pub fn attr(doc: &Html, css: &str, attr: &str) -> String {
    one(doc, css)
        .value()
        .attr(attr)
        .unwrap_or_else(|| panic!("{css} has no {attr}"))
        .to_owned()
}

/// The page `<title>`.
pub fn title(doc: &Html) -> String {
    text(doc, "title")
}

/// Checks the layout every page shares: French, DSFR assets, header with
/// the service name, skip link, `<main id="contenu">`, footer, description.
pub fn assert_layout(doc: &Html) {
    assert_eq!(attr(doc, "html", "lang"), "fr");
    for href in [
        "/assets/dsfr/dsfr.min.css",
        "/assets/dsfr/utility/icons/icons.min.css",
        "/assets/app/app.css",
    ] {
        one(doc, &format!("link[rel=stylesheet][href=\"{href}\"]"));
    }
    one(
        doc,
        "script[type=module][src=\"/assets/dsfr/dsfr.module.min.js\"]",
    );
    one(doc, "script[src=\"/assets/app/autocomplete.js\"][defer]");
    assert!(text(doc, ".fr-header .fr-logo").contains("République"));
    assert_eq!(
        text(doc, ".fr-header__service-title"),
        "La bonne alternance"
    );
    assert_eq!(
        text(doc, ".fr-skiplinks a[href=\"#contenu\"]"),
        "Aller au contenu"
    );
    one(doc, "main#contenu");
    one(doc, "footer.fr-footer");
    assert!(!attr(doc, "meta[name=description]", "content").is_empty());
}
