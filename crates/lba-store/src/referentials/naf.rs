// Included in each backend module of `referential_writer!` (see mod.rs):
// NAF sections and codes, hiring per ROME and NAF, tension, contact modes, headcount brackets.

async fn write_naf(
    tx: &mut Transaction<'_, Db>,
    data: &Referentials,
    counts: &mut WriteCounts,
) -> Result<(), sqlx::Error> {
    let mut done = |table: &str, n: u64| counts.tables.push((table.to_owned(), n));

    done(
        "naf_sections",
        insert(
            tx,
            "naf_sections",
            &["code", "label"],
            &["code"],
            &data.naf_sections,
            |b, s| {
                b.push_bind(s.code.as_str()).push_bind(s.label.as_str());
            },
        )
        .await?,
    );
    done(
        "naf_codes",
        insert(
            tx,
            "naf_codes",
            &["code", "label"],
            &["code"],
            &data.naf_codes,
            |b, n| {
                b.push_bind(n.code.as_str()).push_bind(n.label.as_str());
            },
        )
        .await?,
    );
    done(
        "rome_naf_hirings",
        insert(
            tx,
            "rome_naf_hirings",
            &["rome_v3_code", "naf_code", "hirings"],
            &[],
            &data.rome_naf_hirings,
            |b, h| {
                b.push_bind(h.rome_v3.as_str())
                    .push_bind(h.naf.as_str())
                    .push_bind(h.hirings);
            },
        )
        .await?,
    );
    done(
        "rome_tension",
        insert(
            tx,
            "rome_tension",
            &["fap_code", "rome_v3_code", "fap_label", "tension_pct"],
            &[],
            &data.rome_tension,
            |b, t| {
                b.push_bind(t.fap_code.as_str())
                    .push_bind(t.rome_v3.as_str())
                    .push_bind(t.fap_label.as_str())
                    .push_bind(t.tension_pct);
            },
        )
        .await?,
    );
    done(
        "contact_modes",
        insert(
            tx,
            "contact_modes",
            &["naf_prefix", "rome_v3_code", "mode"],
            &[],
            &data.contact_modes,
            |b, m| {
                b.push_bind(m.naf_prefix.as_str())
                    .push_bind(m.rome_v3.as_str())
                    .push_bind(m.mode.as_deref());
            },
        )
        .await?,
    );
    done(
        "headcount_brackets",
        insert(
            tx,
            "headcount_brackets",
            &["code", "label"],
            &["code"],
            &data.headcount_brackets,
            |b, h| {
                b.push_bind(h.code.as_str()).push_bind(h.label.as_str());
            },
        )
        .await?,
    );
    Ok(())
}
