//! The campaign page: specification, arms, report per arm and the actions its status allows.

use super::*;

struct ArmRow {
    name: String,
    share: u32,
    control: bool,
    channels: String,
}

/// One line of the report.
struct ReportRow {
    arm: String,
    cells: Vec<String>,
}

/// Report columns: (JSON key, French heading).
const REPORT_COLUMNS: &[(&str, &str)] = &[
    ("targeted", "Ciblés"),
    ("messages", "Messages"),
    ("sent", "Envoyés"),
    ("delivered", "Délivrés"),
    ("bounced", "Rejetés"),
    ("clicked", "Cliqueurs"),
    ("unsubscribed", "Désinscrits"),
    ("searches", "Recherches"),
    ("applications", "Candidatures"),
    ("module_starts", "Parcours commencés"),
    ("module_completions", "Parcours terminés"),
    ("cfa_requests", "Demandes aux CFA"),
    ("mde", "Effet minimal détectable"),
];

#[derive(Template)]
#[template(path = "operateur/campagne.html")]
struct CampaignPage {
    meta: Meta,
    csrf: String,
    c: StoredCampaign,
    status: &'static str,
    created: String,
    launched: Option<String>,
    start_at: Option<String>,
    channels: String,
    audience: String,
    arms: Vec<ArmRow>,
    columns: Vec<&'static str>,
    report: Vec<ReportRow>,
    report_error: Option<String>,
    baseline: String,
    can_edit: bool,
    can_launch: bool,
    can_assign: bool,
    can_pause: bool,
    can_resume: bool,
    notice: Option<String>,
    notice_error: bool,
}

fn cell(v: Option<&serde_json::Value>, key: &str) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "–".to_owned(),
        Some(serde_json::Value::Number(n)) if key == "mde" => n
            .as_f64()
            .map(|x| format!("{:.1} pts", x * 100.0))
            .unwrap_or_default(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn report_rows(report: &app::Report) -> Vec<ReportRow> {
    let value = serde_json::to_value(report).unwrap_or_default();
    let arms = value
        .get("arms")
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    arms.iter()
        .map(|a| ReportRow {
            arm: a
                .get("arm")
                .or_else(|| a.get("name"))
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned(),
            cells: REPORT_COLUMNS
                .iter()
                .map(|(k, _)| cell(a.get(*k), k))
                .collect(),
        })
        .collect()
}

pub(super) async fn campaign_page(
    state: &AppState,
    operator: &Operator,
    id: &str,
    status: StatusCode,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let notice_error = status.is_client_error();
    let Some(c) = app::find(&state.store, id).await? else {
        return Err(PageError::NotFound);
    };
    let spec = parse_spec(&c);
    let arms = spec
        .as_ref()
        .map(|s| {
            s.arms
                .iter()
                .map(|a| ArmRow {
                    name: a.name.clone(),
                    share: a.share,
                    control: a.control,
                    channels: if a.control {
                        "aucun message".to_owned()
                    } else {
                        s.channels
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let (report, report_error, baseline) = match app::report(&state.store, id).await {
        Ok(r) => (
            report_rows(&r),
            None,
            format!("{:.0}", r.mde_baseline * 100.0),
        ),
        Err(CampaignError::Store(e)) => return Err(PageError::Store(e)),
        Err(e) => (Vec::new(), Some(e.to_string()), String::new()),
    };
    let page = CampaignPage {
        baseline,
        meta: Meta {
            title: format!("{} – Opérateurs – La bonne alternance", c.name),
            description: "Campagne".into(),
        },
        csrf: operator.csrf.clone(),
        status: c.status.label(),
        created: when(c.created_at),
        launched: c.launched_at.map(when),
        start_at: spec.as_ref().and_then(|s| s.start_at).map(when),
        channels: spec
            .as_ref()
            .map(|s| {
                s.channels
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        audience: spec
            .as_ref()
            .map(|s| match s.audience {
                lba_campaign::segment::Audience::Young => "le jeune",
                lba_campaign::segment::Audience::ParentIfMinor => {
                    "un parent si mineur, sinon le jeune"
                }
                lba_campaign::segment::Audience::Both => "le jeune et un parent s'il est mineur",
            })
            .unwrap_or_default()
            .to_owned(),
        arms,
        columns: REPORT_COLUMNS.iter().map(|(_, h)| *h).collect(),
        report,
        report_error,
        can_edit: c.status == CampaignStatus::Draft,
        can_launch: matches!(c.status, CampaignStatus::Draft | CampaignStatus::Assigned),
        can_assign: matches!(c.status, CampaignStatus::Draft | CampaignStatus::Assigned),
        can_pause: c.status == CampaignStatus::Launched,
        can_resume: c.status == CampaignStatus::Paused,
        notice,
        notice_error,
        c,
    };
    Ok(render(status, &page))
}

/// GET `/operateur/campagnes/{id}`.
pub(crate) async fn show(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    campaign_page(&state, &operator, &id, StatusCode::OK, None).await
}
